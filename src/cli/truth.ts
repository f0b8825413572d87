import { loadDevice } from '../latency/device-profile.ts';
import { loadSpace } from '../space/space-registry.ts';
import type { Command } from './command.ts';
import { ACCURACY_DATA_FLAGS, ACCURACY_DATA_USAGE, parseAccuracyDataFlags } from './accuracy-flags.ts';
import { parseFlags } from './flags.ts';
import { parseConstraint, parseObjectives } from './objective-flags.ts';

const usage = `usage: hwnas truth --device D [flags]

Enumerate every architecture of a small space from its tables and write the exact Pareto front,
with its hypervolume in the problem's fixed normalisation (the front's ideal point -> 0 and nadir
point -> 1 in every objective; reference point 1.1 per normalised objective).

  --space S        space id or path (tables needed)         [nb201]
  --device D       table device id (hwnas devices)          (required with latencyMs)
                   repeatable: a joint problem, objectives latencyMs@<device> for each
  --objectives L   comma-separated metrics                  [accuracy,latencyMs]
  --constraint C   only architectures meeting it, e.g. 'latencyMs<=5' (quoted: < and > are
                   shell redirects); repeatable. Score a constrained search against this front
  --accuracy A     accuracy source                          [table]
${ACCURACY_DATA_USAGE}
  --out DIR        output folder                            [.]

Writes <out>/truth-<space>-<device>.csv (arch, objectives, testAccuracy) and
truth-<space>-<device>.json (bounds, reference point, hypervolume); with constraints the names end
in one -<metric>-le-<value> (or -ge-) per constraint.`;

export const truthCommand: Command = {
  name: 'truth',
  summary: 'exact Pareto front of a table space on a device (for scoring strategies)',
  usage,
  async run(argv, io) {
    const f = parseFlags(argv, {
      space: { type: 'string' }, device: { type: 'string', multiple: true }, objectives: { type: 'string' },
      constraint: { type: 'string', multiple: true }, accuracy: { type: 'string' }, out: { type: 'string' },
      ...ACCURACY_DATA_FLAGS,
    });
    const accuracyData = parseAccuracyDataFlags(f);
    const { computeTruthFront } = await import('../run/truth.ts');
    const { writeTruthFront } = await import('../record/exact-front-file.ts');
    const truth = await computeTruthFront({
      space: loadSpace(f.space ?? 'nb201'),
      devices: (f.device ?? []).map((d) => loadDevice(d)),
      objectives: parseObjectives(f.objectives ?? 'accuracy,latencyMs'),
      ...(f.constraint !== undefined && { constraints: f.constraint.map((c) => parseConstraint(c)) }),
      ...(f.accuracy !== undefined && { accuracy: f.accuracy }),
      ...accuracyData,
    });
    const files = writeTruthFront(f.out ?? '.', truth);
    const feasible = truth.constraints ? ` (${truth.feasible} meet ${truth.constraints.map((c) => `${c.metric}${c.op}${c.value}`).join(', ')})` : '';
    io.out(`${truth.space}${truth.device ? ` on ${truth.device}` : ''}: ${truth.enumerated} architectures${feasible}, front of ${truth.front.length}, hypervolume ${truth.hypervolume.toPrecision(6)} (reference ${truth.reference.join(', ')})\n  ${files.csv}\n  ${files.json}\n`);
    return 0;
  },
};
