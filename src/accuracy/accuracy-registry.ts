import { InputError } from '../errors.ts';
import type { SearchSpace } from '../space/search-space.ts';
import { Registry } from '../util/registry.ts';
import { DEFAULT_ACCURACY_SETTINGS, type AccuracySettings, type AccuracySource, type AccuracySourceFactory } from './accuracy-source.ts';
import { tableAccuracyFactories } from './table-accuracy.ts';
import { zeroCostSourceFactories } from './zero-cost/zero-cost-sources.ts';

/**
 * Every accuracy source by `--accuracy` name: the benchmark tables (`table`, `nb201`,
 * `nasbench-macro`), `proxy-train` (TF.js training, loaded when a source is created) and
 * `zero-cost:<proxy>` (loaded on first score). Add yours with `accuracySources.register`.
 */
export const accuracySources = new Registry<AccuracySourceFactory>('accuracy source', '--accuracy');
for (const f of tableAccuracyFactories) accuracySources.register(f.id, f);
accuracySources.register('proxy-train', {
  id: 'proxy-train',
  description: 'train each architecture 1 epoch on 2,000 Fashion-MNIST images (TF.js wasm) and report held-out accuracy on 500',
  create: async (space, settings) => (await import('./proxy-train.ts')).proxyTrainFactory.create(space, settings),
});
for (const f of zeroCostSourceFactories) accuracySources.register(f.id, f);

/** The accuracy source `name` for `space`; an unknown name or an unserved space is an {@link InputError}. */
export async function getAccuracySource(name: string, space: SearchSpace, settings: AccuracySettings = DEFAULT_ACCURACY_SETTINGS): Promise<AccuracySource> {
  const factory = accuracySources.find(name);
  if (!factory) {
    throw new InputError('unknown-id', `unknown accuracy source "${name}"`, { path: '--accuracy', expected: `one of ${accuracySources.ids().join(', ')}` });
  }
  return factory.create(space, settings);
}
