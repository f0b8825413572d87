import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import type { PathSgd } from './path-sgd.ts';
import type { SupernetWeights } from './supernet-weights.ts';

/**
 * A supernet's state in one file, written whole or not at all (temporary name, then rename), so a
 * process killed at any moment (kill -9) leaves the previous checkpoint intact:
 *
 *   8 bytes "HWNASSN1" · u32 LE header length · header JSON (UTF-8) · zero padding to 4 bytes ·
 *   float32 LE values of every tensor, in header order.
 *
 * The header holds the training position (next step), what it cost so far and every tensor's name,
 * kind (`weight`: a supernet variable, running statistics included; `momentum`: an optimizer buffer),
 * shape and offset. Random draws need no saved state: every step forks its generators from the seed
 * and the step number, so the step is the whole random state.
 */
export interface CheckpointHeader {
  /** Format version. */
  readonly version: 1;
  /** Cache key of the supernet (settings, space and data hash) it belongs to. */
  readonly key: string;
  /** Steps done: training resumes at this step. */
  readonly step: number;
  readonly totalSteps: number;
  /** CPU seconds (all threads of the process) spent training so far, across resumes. */
  readonly cpuSeconds: number;
  /** Wall seconds spent training so far, across resumes. */
  readonly wallSeconds: number;
  /** Mean training loss of each finished epoch. */
  readonly epochLoss: readonly number[];
  /** Loss sum and step count of the epoch in progress. */
  readonly partialLoss: { readonly sum: number; readonly steps: number };
  readonly tensors: readonly { name: string; kind: 'weight' | 'momentum'; shape: number[]; offset: number }[];
}

const MAGIC = 'HWNASSN1';

/** Training state besides the tensors. */
export type CheckpointState = Omit<CheckpointHeader, 'version' | 'tensors'>;

/** Write the weights (and the optimizer's momentum, when given) with `state` to `file` atomically. */
export async function writeCheckpoint(file: string, state: CheckpointState, weights: SupernetWeights, sgd?: PathSgd): Promise<void> {
  const entries: { name: string; kind: 'weight' | 'momentum'; t: tf.Tensor }[] = weights.allVariables().map((v) => ({ name: v.name, kind: 'weight', t: v.variable }));
  if (sgd) for (const name of sgd.names()) entries.push({ name, kind: 'momentum', t: sgd.buffer(name)! });
  let offset = 0;
  const tensors = entries.map((e) => {
    const r = { name: e.name, kind: e.kind, shape: e.t.shape.slice(), offset };
    offset += e.t.size;
    return r;
  });
  const header: CheckpointHeader = { version: 1, ...state, tensors };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const headBytes = 8 + 4 + json.length;
  const pad = (4 - (headBytes % 4)) % 4;
  const out = Buffer.alloc(headBytes + pad + offset * 4);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  const values = new Float32Array(out.buffer, out.byteOffset + headBytes + pad, offset);
  for (let i = 0; i < entries.length; i++) values.set(await entries[i]!.t.data() as Float32Array, tensors[i]!.offset);
  writeFileAtomic(file, out);
}

/** A checkpoint read back: its header and values. */
export interface LoadedCheckpoint {
  readonly header: CheckpointHeader;
  readonly values: Float32Array;
}

/**
 * Read a checkpoint; `undefined` when the file does not exist. A file that is not a whole
 * checkpoint throws an `Error` naming it.
 */
export function readCheckpoint(file: string): LoadedCheckpoint | undefined {
  if (!existsSync(file)) return undefined;
  const buf = readFileSync(file);
  const bad = (why: string): never => {
    throw new Error(`${file} is not a supernet checkpoint (${why})`);
  };
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) bad('no HWNASSN1 header');
  const len = buf.readUInt32LE(8);
  if (12 + len > buf.length) bad('header truncated');
  let header: CheckpointHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as CheckpointHeader;
  } catch {
    return bad('header is not JSON');
  }
  if (header.version !== 1 || !Array.isArray(header.tensors)) bad('unknown version');
  const start = 12 + len + ((4 - ((12 + len) % 4)) % 4);
  const count = header.tensors.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
  if (buf.length !== start + count * 4) bad(`expected ${start + count * 4} bytes, found ${buf.length}`);
  // Copy: the Buffer's offset inside its pool need not be 4-aligned.
  const values = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + count * 4));
  return { header, values };
}

/**
 * Load a checkpoint's weights into `weights` (and its momentum into `sgd`). Throws when a tensor is
 * missing or has another shape (a checkpoint of another supernet).
 */
export function restoreCheckpoint(ck: LoadedCheckpoint, weights: SupernetWeights, sgd?: PathSgd): void {
  const byName = new Map(ck.header.tensors.filter((t) => t.kind === 'weight').map((t) => [t.name, t]));
  for (const v of weights.allVariables()) {
    const t = byName.get(v.name);
    if (!t || t.shape.join(',') !== v.variable.shape.join(',')) throw new Error(`checkpoint has no tensor ${v.name} of shape [${v.variable.shape.join(',')}]`);
    const size = v.variable.size;
    const value = tf.tensor(ck.values.subarray(t.offset, t.offset + size), v.variable.shape);
    v.variable.assign(value);
    value.dispose();
  }
  if (!sgd) return;
  for (const t of ck.header.tensors) {
    if (t.kind !== 'momentum') continue;
    const size = t.shape.reduce((a, b) => a * b, 1);
    sgd.restore(t.name, ck.values.subarray(t.offset, t.offset + size), t.shape);
  }
}
