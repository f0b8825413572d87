import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ciOf, stopDecision, timeInterleaved, type Visit } from '../../src/latency/measure.ts';
import { referenceNetwork } from '../../src/latency/reference-network.ts';
import type { TimingOptions } from '../../src/latency/device-profile.ts';
import { getRuntime } from '../../src/runtime/runtime-registry.ts';
import type { Runnable } from '../../src/runtime/runtime.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

const space = loadSpace('nasbench-macro');
const ort = getRuntime('ort-cpu')!;
const ARCHS = ['00000000', '10000001', '01000010'];

async function withSessions<T>(work: (rs: Runnable[], ref: Runnable) => Promise<T>): Promise<T> {
  const rs = await Promise.all(ARCHS.map((a) => ort.load(space.build(space.decode(a)), { threads: 1 })));
  const ref = await ort.load(referenceNetwork(), { threads: 1 });
  try {
    return await work(rs, ref);
  } finally {
    for (const r of [...rs, ref]) await r.dispose();
  }
}

/** The visits grouped by round. */
function rounds(visits: readonly Visit[]): Visit[][] {
  const out: Visit[][] = [];
  for (const v of visits) (out[v.round] ??= []).push(v);
  return out;
}

test('a batch is timed in interleaved rounds A B C R … and each candidate stops at the first round its CI is within tolerance (real ORT)', async () => {
  const t: TimingOptions = { warmupRuns: 1, warmupMs: 0, iterations: 30, minTimeMs: 15, minRounds: 6, ciTolerancePct: 50, maxTimeMs: 20_000 };
  await withSessions(async (rs, ref) => {
    const visits: Visit[] = [];
    const res = await timeInterleaved(rs, t, { reference: ref, onVisit: (v) => visits.push(v) });
    const byRound = rounds(visits);
    // Every round: the unfinished candidates in batch order, then the reference; a finished one never returns.
    let active = ARCHS.map((_, i) => i);
    for (const [r, vs] of byRound.entries()) {
      assert.deepEqual(vs.map((v) => v.index), [...vs.slice(0, -1).map((v) => v.index).sort((a, b) => a - b), -1], `round ${r}: ${vs.map((v) => v.index)}`);
      const here = vs.slice(0, -1).map((v) => v.index);
      assert.ok(here.every((i) => active.includes(i)), `round ${r}: a finished candidate came back`);
      active = here;
    }
    assert.ok(byRound.length >= t.minRounds);
    for (const [i, c] of res.candidates.entries()) {
      assert.ok('ok' in c, `candidate ${i} failed`);
      const m = c.ok;
      const mine = visits.filter((v) => v.index === i);
      assert.equal(m.rounds, mine.length);
      assert.ok(m.rounds >= t.minRounds && m.samples.length >= t.iterations);
      assert.equal(m.toleranceMet, true, `candidate ${i}: CI ±${m.ciHalfWidthPct}%`);
      assert.ok(m.ciHalfWidthPct <= t.ciTolerancePct);
      assert.equal(m.ciHalfWidthPct, ciOf(m.roundMediansMs, m.samples).halfWidthPct);
      // Replay the rule on every prefix: it says "continue" before the last round, and stop at it.
      let runs = 0;
      let ms = 0;
      for (const [k, v] of mine.entries()) {
        runs += v.runs;
        ms += v.timedMs;
        const d = stopDecision({ roundMedians: m.roundMediansMs.slice(0, k + 1), samples: m.samples.slice(0, runs), timedMs: ms }, t);
        assert.equal(d, k === mine.length - 1 ? 'met' : 'continue', `candidate ${i} round ${k}`);
      }
      const sorted = [...m.roundMediansMs].sort((a, b) => a - b);
      const n = sorted.length;
      assert.equal(m.latencyMs, n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2);
    }
    assert.ok(res.reference && res.reference.latencyMs > 0 && res.reference.rounds === byRound.length);
  });
});

test('an impossible tolerance runs every candidate to its time cap and says the tolerance was missed (real ORT)', async () => {
  const t: TimingOptions = { warmupRuns: 1, warmupMs: 0, iterations: 6, minTimeMs: 6, minRounds: 6, ciTolerancePct: 0.0001, maxTimeMs: 40 };
  await withSessions(async (rs) => {
    const res = await timeInterleaved(rs, t);
    for (const c of res.candidates) {
      assert.ok('ok' in c);
      assert.equal(c.ok.toleranceMet, false);
      assert.ok(c.ok.timedMs >= t.maxTimeMs, `${c.ok.timedMs} ms`);
      assert.ok(c.ok.ciHalfWidthPct > t.ciTolerancePct);
    }
    assert.equal(res.reference, undefined);
  });
});
