import type { Command } from './command.ts';
import { parseFlags } from './flags.ts';

const usage = `usage: hwnas truth --device D [flags]

Enumerate every architecture of a small space from its tables and write the exact Pareto front,
with its hypervolume in the problem's fixed normalisation (% metrics over [0, 100], other metrics
over their min and max across the space; reference point 1.1 per normalised objective).

  --space S        space id or path (tables needed)         [nb201]
  --device D       table device id (hwnas devices)          (required with latencyMs)
  --objectives L   comma-separated metrics                  [accuracy,latencyMs]
  --accuracy A     accuracy source                          [table]
  --out DIR        output folder                            [.]

Writes <out>/truth-<space>-<device>.csv (arch, objectives, testAccuracy) and
truth-<space>-<device>.json (bounds, reference point, hypervolume).`;

export const truthCommand: Command = {
  name: 'truth',
  summary: 'exact Pareto front of a table space on a device (for scoring strategies)',
  usage,
  async run(argv, io) {
    const f = parseFlags(argv, {
      space: { type: 'string' }, device: { type: 'string' }, objectives: { type: 'string' },
      accuracy: { type: 'string' }, out: { type: 'string' },
    });
    const { computeTruthFront } = await import('../run/truth.ts');
    const { writeTruthFront } = await import('../report/truth-front.ts');
    const truth = await computeTruthFront({
      ...(f.space !== undefined && { space: f.space }),
      ...(f.device !== undefined && { device: f.device }),
      ...(f.objectives !== undefined && { objectives: f.objectives }),
      ...(f.accuracy !== undefined && { accuracy: f.accuracy }),
    });
    const files = writeTruthFront(f.out ?? '.', truth);
    io.out(`${truth.space}${truth.device ? ` on ${truth.device}` : ''}: ${truth.enumerated} architectures, front of ${truth.front.length}, hypervolume ${truth.hypervolume.toPrecision(6)} (reference ${truth.reference.join(', ')})\n  ${files.csv}\n  ${files.json}\n`);
    return 0;
  },
};
