import { InputError } from '../errors.ts';
import type { SearchSpace } from '../space/search-space.ts';
import { Registry } from '../util/registry.ts';
import { checkAccuracySettings } from './accuracy-settings.ts';
import { DEFAULT_ACCURACY_SETTINGS, type AccuracySettings, type AccuracySource, type AccuracySourceFactory } from './accuracy-source.ts';
import { commandSourceFactory } from './command-source.ts';
import { tableAccuracyFactories, withTableAccuracy } from './table-accuracy.ts';
import { zeroCostSourceFactories } from './zero-cost/zero-cost-sources.ts';

/**
 * Every accuracy source by `--accuracy` name: the benchmark tables (`table`, `nb201`,
 * `nasbench-macro`), `proxy-train` (TF.js training, loaded when a source is created),
 * `zero-cost:<proxy>` (loaded on first score) and `command:<command>` (your own trainer, a program
 * run per candidate) and `supernet` (a one-shot weight-sharing supernet, loaded when a source is
 * created). Add yours with `accuracySources.register`.
 */
export const accuracySources = new Registry<AccuracySourceFactory>('accuracy source', '--accuracy');
for (const f of tableAccuracyFactories) accuracySources.register(f.id, f);
accuracySources.register('proxy-train', {
  id: 'proxy-train',
  description: 'train each architecture 1 epoch on 2,000 CIFAR-10 images (--data, --train-epochs, --train-images…; TF.js wasm) and report held-out accuracy on 500',
  create: async (space, settings) => (await import('./proxy-train.ts')).proxyTrainFactory.create(space, settings),
});
for (const f of zeroCostSourceFactories) accuracySources.register(f.id, f);
accuracySources.register(commandSourceFactory.id, commandSourceFactory);
accuracySources.register('supernet', {
  id: 'supernet',
  description: 'one-shot weight-sharing supernet (SPOS) trained once on CIFAR-10 and cached; each candidate scored with inherited weights after batch-norm re-estimation (chain spaces)',
  create: async (space, settings) => (await import('./supernet/supernet-source.ts')).supernetFactory.create(space, settings),
});

/**
 * The factory serving the accuracy source `name`: a registered id, or a name starting with a
 * registered id that ends in `:` (`command:python3 train.py`), checked by its `validate`. An unknown
 * or invalid name is an {@link InputError} naming `--accuracy`.
 */
export function accuracyFactory(name: string): AccuracySourceFactory {
  let factory = accuracySources.find(name);
  if (!factory) {
    const colon = name.indexOf(':');
    const prefixed = colon > 0 ? accuracySources.find(name.slice(0, colon + 1)) : undefined;
    if (prefixed?.validate) {
      prefixed.validate(name);
      factory = prefixed;
    }
  }
  if (!factory) {
    throw new InputError('unknown-id', `unknown accuracy source "${name}"`, { path: '--accuracy', expected: `one of ${accuracySources.ids().map((id) => (id.endsWith(':') ? `${id}<command>` : id)).join(', ')}` });
  }
  return factory;
}

/**
 * The accuracy source `name` for `space`; an unknown name, an unserved space or bad settings
 * (`data`, `training`) are an {@link InputError}. On a space with an accuracy table, a proxy source
 * also reports the table's accuracy as `tableAccuracy` ({@link withTableAccuracy}).
 */
export async function getAccuracySource(name: string, space: SearchSpace, settings: AccuracySettings = DEFAULT_ACCURACY_SETTINGS): Promise<AccuracySource> {
  const factory = accuracyFactory(name);
  checkAccuracySettings(settings);
  return withTableAccuracy(await factory.create(space, settings, name), space);
}
