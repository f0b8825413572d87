import type { ResultsDir } from '../report/results-dir.ts';
import { sameConstraints, type TruthData } from '../report/truth-file.ts';

/**
 * Exact fronts for the table devices of search folders that hold none: the space is enumerated
 * (`hwnas truth`, about a second for NAS-Bench-201) so the report can draw the exact front and score
 * the search against it — the front of the architectures meeting the search's constraints, when it
 * had any. A device, space or accuracy source that cannot be enumerated is skipped.
 */
export async function exactFrontsFor(dirs: readonly ResultsDir[]): Promise<TruthData[]> {
  const out: TruthData[] = [];
  for (const d of dirs) {
    if (d.kind !== 'search' || d.objectives.length < 2) continue;
    const accuracy = String(d.config.accuracy ?? 'table');
    if (accuracy.includes(':') || accuracy === 'proxy-train') continue;
    for (const dev of d.devices) {
      if (dev.profile?.kind !== 'table') continue;
      const same = (t: TruthData) => t.space === d.space && t.device === dev.device && sameConstraints(t.constraints, d.constraints);
      if (d.truths.some(same) || out.some(same)) continue;
      try {
        const { computeTruthFront } = await import('../run/truth.ts');
        const { loadSpace } = await import('../space/space-registry.ts');
        const { loadDevice } = await import('../latency/device-profile.ts');
        const t = await computeTruthFront({ space: loadSpace(String(d.config.spaceFile ?? d.space)), devices: [loadDevice(dev.device)], objectives: d.objectives, constraints: d.constraints });
        out.push({
          file: `hwnas truth --space ${d.space} --device ${dev.device}${d.constraints.map((c) => ` --constraint '${c.metric}${c.op}${c.value}'`).join('')}`,
          space: t.space, device: t.device ?? null, objectives: [...t.objectives], constraints: [...(t.constraints ?? [])], ideal: [...t.bounds.ideal], nadir: [...t.bounds.nadir],
          reference: [...t.reference], hypervolume: t.hypervolume, enumerated: t.enumerated, feasible: t.feasible,
          front: t.front.map((p) => ({ arch: p.arch, metrics: { ...p.metrics } })), normalizedFront: t.normalizedFront.map((p) => [...p]),
          note: "enumerated by hwnas report: minimisation values mapped so that the exact front's ideal point -> 0 and its nadir point -> 1",
        });
      } catch {
        // Not enumerable (a space too large, a table that does not cover it): no exact front.
      }
    }
  }
  return out;
}
