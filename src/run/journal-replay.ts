import { lstatSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../errors.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import { journalEntryProblem, readJournalFile, type Journal, type JournalEntry } from '../record/journal.ts';
import { COUNT_METRICS, deviceMetric, LATENCY_METRICS, splitDeviceMetric } from '../record/metric-registry.ts';
import type { SearchSpace } from '../space/search-space.ts';
import type { StudyTarget, TargetPlan } from './study.ts';
import type { TrialStore } from './trial-loop.ts';

/**
 * Which metrics a record of this target may hold: whatever the evaluation declares or the caller's code
 * tells (ask/tell's `toldMetrics`), and no latency
 * or count metric it does not produce — a record holding `latencyMs@pixel3` in an fpga journal, or
 * plain `latencyMs` in a joint one, was measured for another target.
 */
export function replayableMetric(plan: TargetPlan, told: readonly string[] = []): (name: string) => boolean {
  const declared = new Set<string>(told);
  if (plan.counts) for (const m of COUNT_METRICS) declared.add(m);
  for (const m of plan.accuracy?.metricNames ?? []) declared.add(m);
  if (plan.accuracy) declared.add(plan.accuracy.metric);
  for (const p of plan.providers) {
    for (const m of [...LATENCY_METRICS, ...p.metricNames]) declared.add(plan.target.joint ? deviceMetric(m, p.deviceId) : m);
  }
  const kindBound = new Set([...LATENCY_METRICS, ...COUNT_METRICS]);
  return (name) => declared.has(name) || (!kindBound.has(splitDeviceMetric(name).base) && splitDeviceMetric(name).device === undefined);
}

/**
 * Where a record's own facts say it was measured, when that is not this target: its `target` tag,
 * or (a record written before the tag existed) the table or LUT its `latencySource` names.
 */
function otherTarget(e: JournalEntry, t: StudyTarget): string | undefined {
  if (e.target !== undefined) return e.target === t.id ? undefined : `for ${JSON.stringify(e.target)}`;
  if (e.outcome.status !== 'ok') return undefined;
  const info = e.outcome.info ?? {};
  for (const d of t.devices) {
    const source = info[t.joint ? deviceMetric('latencySource', d.id) : 'latencySource'];
    if (typeof source !== 'string') continue;
    const expected = expectedSources(d);
    if (expected.length > 0 && !expected.some((x) => (x.endsWith('*') ? source.startsWith(x.slice(0, -1)) : source === x))) {
      return `with latencySource ${JSON.stringify(source)} (${d.id} gives ${expected.join(' or ')})`;
    }
  }
  return undefined;
}

/** The `latencySource` a table or LUT device writes (`*`: any ending). */
function expectedSources(d: DeviceProfile): string[] {
  if (d.kind === 'table') return [`table:${d.table}/${d.key}`, `fitted:${d.table}/${d.key} *`];
  if (d.kind === 'lut') return [d.lut.includes('{') ? `lut:${d.lut.split('{')[0]!}*` : `lut:${d.lut}`];
  return [];
}

function checkRecordsTarget(records: readonly JournalEntry[], file: string, t: StudyTarget): void {
  for (const e of records) {
    const elsewhere = otherTarget(e, t);
    if (elsewhere) {
      throw new InputError('incompatible', `cannot resume: record ${e.n} (${e.arch}) of this journal was measured ${elsewhere}, not for ${t.id}`, {
        file, expected: `a journal of ${t.id} (journal-${t.id}.jsonl as this run wrote it), or a new --out`,
      });
    }
  }
}

/**
 * Check a target's journal before the run writes anything. Resumed: a regular file (never a symbolic
 * link out of the results folder) whose records were measured for this target. New: none yet.
 */
export function checkJournalForResume(file: string, t: StudyTarget, resuming: boolean): void {
  if (!resuming) {
    // A new run's folder (no config.json) that already holds this target's journal: its records
    // would be replayed although nothing says which settings made them.
    let present = true;
    try {
      lstatSync(file);
    } catch {
      present = false;
    }
    if (present) {
      throw new InputError('io', `the folder holds ${basename(file)} but no config.json, so the settings its records were made with cannot be checked`, {
        file, expected: 'a new --out folder, or a folder an earlier run wrote (with its config.json) and --resume',
      });
    }
    return;
  }
  checkRecordsTarget(readJournalFile(file).entries, file, t);
}

/**
 * The journal of a target as the trial loop replays it. A record measured for another target (a
 * pixel3 journal saved as `journal-fpga.jsonl`) refuses the whole journal with an
 * {@link InputError}: its numbers describe another device. A record that does not decode to its
 * genotype in this space, or holds a latency or count metric this evaluation does not produce, is
 * reported and left out. Every record appended is tagged with the target it was measured for.
 */
export function replayStore(journal: Journal, file: string, plan: TargetPlan, space: SearchSpace, told: readonly string[], note: (text: string) => void): TrialStore {
  const t = plan.target;
  const allowed = replayableMetric(plan, told);
  const bad = new Set<string>();
  checkRecordsTarget(journal.replayed, file, t);
  for (const e of journal.replayed) {
    let why: string | undefined;
    try {
      why = space.encode(e.genotype) === e.arch ? undefined : `arch ${e.arch} does not match its genotype in space ${space.id}`;
    } catch {
      why = `arch ${e.arch} does not match its genotype in space ${space.id}`;
    }
    why ??= journalEntryProblem(e, { has: allowed });
    if (why) {
      bad.add(e.arch);
      note(`${file}: record ${e.n} skipped: ${why}`);
    }
  }
  return {
    replayed: journal.replayed.filter((e) => !bad.has(e.arch)),
    lookup: (arch) => (bad.has(arch) ? undefined : journal.lookup(arch)),
    append: (e) => journal.append({ ...e, target: t.id }),
    sync: () => journal.sync(),
  };
}
