import { InputError } from '../errors.ts';
import { macroAccuracy, nb201Accuracy, nb201IndexOf } from '../tables/table-data.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { isBuiltinSpace } from '../space/space-registry.ts';
import type { AccuracyCall, AccuracySource, AccuracySourceFactory } from './accuracy-source.ts';

/**
 * Accuracy sources backed by vendored benchmark tables: exact published results, looked up by the
 * canonical arch string of the space (tables in `data/`, see `data/README.md`).
 */

/** A table accuracy source serving exactly one built-in space. */
interface TableAccuracy extends AccuracySource {
  /** The space id whose arch strings key the table. */
  readonly space: string;
}

/**
 * NAS-Bench-201 (Dong & Yang, ICLR 2020) / NATS-Bench topology space, 200-epoch results.
 * `accuracy` is the CIFAR-10 validation accuracy (trained on the train half, the benchmark's search
 * target); test accuracies are reported alongside, never searched on.
 */
const nb201Table: TableAccuracy = {
  id: 'nb201',
  space: 'nb201',
  metric: 'accuracy',
  metricNames: ['accuracy', 'testAccuracy', 'cifar100ValidAcc', 'cifar100TestAcc', 'imagenet16ValidAcc', 'imagenet16TestAcc'],
  description: 'NAS-Bench-201 / NATS-Bench table (Dong & Yang, ICLR 2020): CIFAR-10 validation accuracy after 200 epochs; CIFAR-10/100 and ImageNet16-120 test and validation accuracies alongside',
  metrics(space: SearchSpace, g: Genotype) {
    const arch = space.encode(g);
    const i = nb201IndexOf(arch);
    if (i === undefined) return Promise.reject(new Error(`no NAS-Bench-201 entry for ${arch}`));
    const t = nb201Accuracy();
    return Promise.resolve({
      accuracy: t.cifar10ValidAcc[i]!,
      testAccuracy: t.cifar10TestAcc[i]!,
      cifar100ValidAcc: t.cifar100ValidAcc[i]!,
      cifar100TestAcc: t.cifar100TestAcc[i]!,
      imagenet16ValidAcc: t.imagenet16ValidAcc[i]!,
      imagenet16TestAcc: t.imagenet16TestAcc[i]!,
    });
  },
};

/** NAS-Bench-Macro (Su et al., CVPR 2021): CIFAR-10 test accuracy, mean and std of three trainings. */
const macroTable: TableAccuracy = {
  id: 'nasbench-macro',
  space: 'nasbench-macro',
  metric: 'accuracy',
  metricNames: ['accuracy', 'accuracyStd'],
  description: 'NAS-Bench-Macro table (Su et al., CVPR 2021): CIFAR-10 test accuracy, mean of three trainings (accuracyStd = their standard deviation)',
  metrics(space: SearchSpace, g: Genotype) {
    const arch = space.encode(g);
    const row = Object.hasOwn(macroAccuracy(), arch) ? macroAccuracy()[arch] : undefined;
    if (!row) return Promise.reject(new Error(`no NAS-Bench-Macro entry for ${arch}`));
    return Promise.resolve({ accuracy: row.meanAcc, accuracyStd: row.std });
  },
};

const tablesBySpace = new Map<string, TableAccuracy>([nb201Table, macroTable].map((t) => [t.space, t]));

function forSpace(t: TableAccuracy, space: SearchSpace, name: string): AccuracySource {
  if (space.id !== t.space) {
    throw new InputError('incompatible', `accuracy source "${name}" has no table for space "${space.id}"`, { path: '--accuracy', expected: `space ${t.space}`, actual: JSON.stringify(space.id) });
  }
  if (!isBuiltinSpace(space)) {
    throw new InputError('incompatible', `space "${space.id}" differs from the built-in one, so the published accuracies of ${t.id} do not describe its networks`, { file: space.file, expected: `the built-in ${space.id} space, or another accuracy source (--accuracy proxy-train or zero-cost:naswot)` });
  }
  return t;
}

/** `table`: the table of the space in use; the per-table ids `nb201` and `nasbench-macro`. */
export const tableAccuracyFactories: readonly AccuracySourceFactory[] = [
  {
    id: 'table',
    description: `published benchmark accuracy of the space's table (spaces with tables: ${[...tablesBySpace.keys()].join(', ')})`,
    create(space) {
      const t = tablesBySpace.get(space.id);
      if (t) return forSpace(t, space, 'table');
      throw new InputError('incompatible', `no accuracy table for space "${space.id}"`, { path: '--accuracy', expected: `a space with a table (${[...tablesBySpace.keys()].join(', ')}), or another source: --accuracy proxy-train (tfjs training on CIFAR-10) or zero-cost:naswot / zero-cost:synflow`, actual: JSON.stringify(space.id) });
    },
  },
  ...[nb201Table, macroTable].map((t): AccuracySourceFactory => ({
    id: t.id,
    description: t.description,
    create: (space) => forSpace(t, space, t.id),
  })),
];

/** The metric a non-table source reports beside its own on a space with a table. */
export const TABLE_ACCURACY_METRIC = 'tableAccuracy';

/**
 * `source` with the space's table accuracy beside its own metrics, as `tableAccuracy` (%: the
 * table's searched accuracy — NAS-Bench-201's CIFAR-10 validation accuracy after 200 epochs,
 * NAS-Bench-Macro's mean CIFAR-10 test accuracy): on a
 * built-in space with an accuracy table (nb201, nasbench-macro), a search driven by a proxy (proxy
 * training, a zero-cost score, a supernet, a user's trainer) still shows how good each found
 * architecture really is. It is a reported metric, never an objective unless one is asked for by
 * name. Any other space, a table source, or a source that already reports it: `source` unchanged.
 * An architecture the table lacks gets no `tableAccuracy` (its own metrics are kept).
 */
export function withTableAccuracy(source: AccuracySource, space: SearchSpace): AccuracySource {
  const table = tablesBySpace.get(space.id);
  if (!table || !isBuiltinSpace(space) || source.metricNames.includes(TABLE_ACCURACY_METRIC) || tableAccuracyFactories.some((f) => f.id === source.id)) return source;
  return {
    id: source.id,
    metric: source.metric,
    description: source.description,
    metricNames: [...source.metricNames, TABLE_ACCURACY_METRIC],
    alongside: [...(source.alongside ?? []), TABLE_ACCURACY_METRIC],
    async metrics(sp: SearchSpace, g: Genotype, call?: AccuracyCall) {
      const own = await source.metrics(sp, g, call);
      try {
        return { ...own, [TABLE_ACCURACY_METRIC]: (await table.metrics(sp, g)).accuracy! };
      } catch {
        return own;
      }
    },
    ...(source.concurrency !== undefined && { concurrency: source.concurrency }),
    ...(source.fidelity !== undefined && { fidelity: source.fidelity }),
    ...(source.close && { close: () => source.close!() }),
  };
}
