import { readFileSync, statSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { errorMessage, InputError } from '../errors.ts';
import { MAX_MEASURE_FILES, MAX_ONNX_FILE_BYTES } from '../limits.ts';
import { BatchMeasurer, measuredRow } from '../latency/batch-measurer.ts';
import { deviceFile, loadDevice, type DeviceProfile, type MeasuredDevice } from '../latency/device-profile.ts';
import { hostLoad, type HostLoad } from '../latency/host-load.ts';
import { timedRows, timingQuality, type TimingQuality } from '../latency/timing-quality.ts';
import type { JournalEntry } from '../record/journal.ts';
import { buildLeaderboard, type LeaderboardRow } from '../record/leaderboard.ts';

/** Files timed together in one interleaved batch. @defaultValue 10 */
export const MEASURE_BATCH = 10;

export interface MeasureFilesOptions {
  /** Progress lines. */
  progress?: (line: string) => void;
  /** Files per interleaved batch. @defaultValue {@link MEASURE_BATCH} */
  batchSize?: number;
}

export interface MeasureFilesResult {
  device: string;
  /** One row per file that ran, ranked by latency (leaderboard format; `arch` is the file as given). */
  rows: LeaderboardRow[];
  /** `file: error` of files that could not be loaded or run. */
  failures: string[];
  timing: TimingQuality | undefined;
  loadBefore: HostLoad;
  loadAfter: HostLoad;
}

/** The bytes of an ONNX model file; a missing, oversized or non-ONNX file is an {@link InputError}. */
export function readOnnxFile(file: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: st.isDirectory() ? 'EISDIR' : 'not a regular file' });
    if (st.size > MAX_ONNX_FILE_BYTES) throw new InputError('io', 'file too large for one ONNX protobuf', { file, expected: 'at most 2 GiB', actual: `${(st.size / 2 ** 30).toFixed(1)} GiB` });
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('io', `cannot read file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnxProto.onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new InputError('schema', `not an ONNX model (${errorMessage(e)})`, { file, expected: 'an ONNX ModelProto (.onnx)' });
  }
  if (!model.graph || (model.graph.node ?? []).length === 0 || (model.graph.output ?? []).length === 0) {
    throw new InputError('schema', 'not an ONNX model: no graph with nodes and outputs', { file, expected: 'an ONNX ModelProto (.onnx)' });
  }
  return bytes;
}

/**
 * `hwnas measure`: time ONNX files on a measured device with the protocol of every measured latency
 * (docs/latency-protocol.md), {@link MEASURE_BATCH} files per interleaved batch, and rank them by
 * latency as leaderboard rows (`arch` = the file). Every file is read and checked first; a file
 * the runtime cannot load or run is a failure of its own, the others are measured.
 */
export async function measureFiles(files: readonly string[], deviceOrId: DeviceProfile | string, o: MeasureFilesOptions = {}): Promise<MeasureFilesResult> {
  if (files.length === 0) throw new InputError('bad-flag', 'no model files given', { path: 'MODEL.onnx', expected: 'one or more .onnx files' });
  if (files.length > MAX_MEASURE_FILES) throw new InputError('bad-flag', 'too many model files', { path: 'MODEL.onnx', expected: `at most ${MAX_MEASURE_FILES}`, actual: String(files.length) });
  const device = typeof deviceOrId === 'string' ? loadDevice(deviceOrId) : deviceOrId;
  if (device.kind !== 'measured') {
    throw new InputError('incompatible', `device "${device.id}" is a ${device.kind} device; model files are timed on a measured one`, { path: '--device', expected: 'a measured device (e.g. ort-cpu-1t)', actual: JSON.stringify(device.id) });
  }
  const batchSize = o.batchSize ?? MEASURE_BATCH;
  for (const f of files) readOnnxFile(f); // every file checked before anything is timed
  const measurer = await BatchMeasurer.open(device);
  const runtime = measurer.runtime;
  const loadFile = runtime.loadModelFile?.bind(runtime);
  if (!loadFile) {
    const file = deviceFile(device);
    throw new InputError('incompatible', `device "${device.id}" runs on ${device.runtime}, which cannot load ONNX files`, { ...(file !== undefined && { file }), path: '--device', expected: 'a device on an ONNX Runtime runtime (ort-cpu, ort-cpu-1t, ort-webgpu)', actual: JSON.stringify(device.id) });
  }
  const info = measurer.info();
  const loadBefore = hostLoad();
  const records: JournalEntry[] = [];
  const failures: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < files.length; i += batchSize) {
    const batch = files.slice(i, i + batchSize);
    const { items, batch: facts } = await measurer.measure(batch.map((f) => () => loadFile(readOnnxFile(f), { threads: device.threads })));
    for (const [k, it] of items.entries()) {
      const arch = batch[k]!;
      if ('error' in it) {
        failures.push(`${arch}: ${errorMessage(it.error)}`);
        continue;
      }
      const row = measuredRow(it.ok, facts, info, (device as MeasuredDevice).timing.ciTolerancePct);
      records.push({ n: i + k + 1, arch, genotype: [], outcome: { status: 'ok', metrics: row.metrics, info: row.info }, evalMs: Math.round(it.ok.overhead.sessionMs + it.ok.overhead.warmupMs + it.ok.overhead.timedMs) });
    }
    const done = Math.min(files.length, i + batchSize);
    o.progress?.(`measure: ${done}/${files.length} files on ${device.id} (${((performance.now() - t0) / 1000).toFixed(0)} s, reference ${facts.referenceMs.toFixed(3)} ms, drift ${facts.referenceDriftPct.toFixed(1)}%)`);
  }
  const rows = buildLeaderboard(records, [{ metric: 'latencyMs', direction: 'min' }], []);
  return {
    device: device.id, rows, failures,
    timing: timingQuality(device.id, device.timing.ciTolerancePct, timedRows(rows)),
    loadBefore, loadAfter: hostLoad(),
  };
}
