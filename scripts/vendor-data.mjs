#!/usr/bin/env node
// Vendor the benchmark tables the product needs from the development share (../shared/data) into
// data/. Run by a developer from the project root: `node scripts/vendor-data.mjs [sharedDataDir]`.
// Never used at run time or by tests. Deterministic: the same inputs give byte-identical outputs.
//
// What it does (see data/README.md):
//   - nb201/accuracy.json.gz, nb201/latency.json.gz, fbnet/latency.json.gz: copied byte for byte.
//   - macro/accuracy.json, luts/*.json: gzipped (level 9), content unchanged.
//   - fashion-mnist-subset: the first TRAIN_N train and TEST_N test images/labels, re-written as IDX + gzip.
//   - cifar10-subset: the first CIFAR_TRAIN_N / CIFAR_TEST_N JPEG records of the shuffled CIFAR-10 record
//     files (any prefix is a random sample), bytes unchanged, re-gzipped.
//   - prints sha256 and size of every written file.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = resolve(process.argv[2] ?? join(ROOT, '..', 'shared', 'data'));
const OUT = join(ROOT, 'data');

/** Fashion-MNIST subset sizes: first N of each split, in file order. */
const TRAIN_N = 2000;
const TEST_N = 500;
/** CIFAR-10 subset sizes: first N records of each (already shuffled) record file. */
const CIFAR_TRAIN_N = 10000;
const CIFAR_TEST_N = 2000;

const written = [];

function out(rel) {
  const file = join(OUT, rel);
  mkdirSync(dirname(file), { recursive: true });
  written.push(file);
  return file;
}

function copy(rel, outRel = rel) {
  copyFileSync(join(SRC, rel), out(outRel));
}

function gzipJson(rel) {
  const text = readFileSync(join(SRC, rel));
  JSON.parse(text.toString('utf8')); // fail loudly on a broken source
  writeFileSync(out(`${rel}.gz`), gzipSync(text, { level: 9 }));
}

/**
 * Keep the first `n` items of an IDX file (big-endian header: magic with the dimension count in its
 * last byte, then one uint32 per dimension; dimension 0 is the item count).
 */
function idxHead(rel, n, outRel) {
  const buf = gunzipSync(readFileSync(join(SRC, rel)));
  const dims = buf[3];
  const header = 4 + 4 * dims;
  const count = buf.readUInt32BE(4);
  if (n > count) throw new Error(`${rel} has ${count} items, asked for ${n}`);
  let itemBytes = 1;
  for (let d = 1; d < dims; d++) itemBytes *= buf.readUInt32BE(4 + 4 * d);
  const head = Buffer.from(buf.subarray(0, header + n * itemBytes));
  head.writeUInt32BE(n, 4);
  writeFileSync(out(outRel), gzipSync(head, { level: 9 }));
}

copy('nb201/accuracy.json.gz');
copy('nb201/latency.json.gz');
copy('fbnet/latency.json.gz');
gzipJson('macro/accuracy.json');
for (const f of readdirSync(join(SRC, 'luts')).filter((f) => f.endsWith('.json')).sort()) gzipJson(`luts/${f}`);
for (const [split, n] of [['train', TRAIN_N], ['t10k', TEST_N]]) {
  for (const part of ['images-idx3', 'labels-idx1']) {
    const name = `${split}-${part}-ubyte.gz`;
    idxHead(`fashion-mnist/${name}`, n, `fashion-mnist-subset/${name}`);
  }
}
copy('fashion-mnist/COPYRIGHT', 'fashion-mnist-subset/COPYRIGHT');

/** The first `n` records of a CIFAR-10 JPEG-record file (1 label byte, uint16 LE length, JPEG bytes). */
function recordsHead(rel, n, outRel) {
  const buf = gunzipSync(readFileSync(join(SRC, rel)));
  let o = 0;
  for (let k = 0; k < n; k++) {
    if (o + 3 > buf.length) throw new Error(`${rel} has fewer than ${n} records`);
    o += 3 + buf.readUInt16LE(o + 1);
  }
  writeFileSync(out(outRel), gzipSync(buf.subarray(0, o), { level: 9 }));
}
recordsHead('cifar10/cifar10-train.jpgrec.gz', CIFAR_TRAIN_N, 'cifar10-subset/cifar10-train.jpgrec.gz');
recordsHead('cifar10/cifar10-test.jpgrec.gz', CIFAR_TEST_N, 'cifar10-subset/cifar10-test.jpgrec.gz');

// Device profiles of the table devices: devices/<key>.json (nb201 table) and devices/fbnet-<key>.json.
const HARDWARE = [
  [/^1080ti$/, 'NVIDIA GeForce GTX 1080 Ti (desktop GPU)'],
  [/^2080ti$/, 'NVIDIA GeForce RTX 2080 Ti (desktop GPU)'],
  [/^titan_rtx$/, 'NVIDIA TITAN RTX (desktop GPU)'],
  [/^titanxp$/, 'NVIDIA TITAN Xp (desktop GPU)'],
  [/^titanx$/, 'NVIDIA TITAN X (desktop GPU)'],
  [/^gold_6226$/, 'Intel Xeon Gold 6226 (server CPU)'],
  [/^gold_6240$/, 'Intel Xeon Gold 6240 (server CPU)'],
  [/^silver_4114$/, 'Intel Xeon Silver 4114 (server CPU)'],
  [/^silver_4210r$/, 'Intel Xeon Silver 4210R (server CPU)'],
  [/^pixel2$/, 'Google Pixel 2 (phone)'],
  [/^pixel3$/, 'Google Pixel 3 (phone)'],
  [/^samsung_a50$/, 'Samsung Galaxy A50 (phone)'],
  [/^samsung_s7$/, 'Samsung Galaxy S7 (phone)'],
  [/^essential_ph_1$/, 'Essential Phone PH-1 (phone)'],
  [/^raspi4$/, 'Raspberry Pi 4 (embedded ARM CPU)'],
  [/^eyeriss$/, 'Eyeriss (ASIC accelerator)'],
  [/^fpga$/, 'FPGA accelerator'],
];

function hardware(key) {
  const gpu = /^(1080ti|2080ti|titan_rtx|titanxp|titanx)_(\d+)$/.exec(key);
  const base = gpu ? gpu[1] : key;
  const hit = HARDWARE.find(([re]) => re.test(base));
  if (!hit) throw new Error(`no hardware description for device key ${key}`);
  return gpu ? `${hit[1]}, batch size ${gpu[2]}` : hit[1];
}

function writeDevices(table, space, prefix, what) {
  const keys = Object.keys(JSON.parse(gunzipSync(readFileSync(join(SRC, table, 'latency.json.gz'))).toString('utf8')).latencyMs).sort();
  for (const key of keys) {
    const id = `${prefix}${key}`;
    const profile = {
      id,
      kind: 'table',
      description: `${hardware(key)}. ${what} Looked up, not measured here.`,
      table,
      key,
      spaces: [space],
    };
    const file = join(ROOT, 'devices', `${id}.json`);
    writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`);
    written.push(file);
  }
}

mkdirSync(join(ROOT, 'devices'), { recursive: true });
writeDevices('nb201', 'nb201', '',
  'Published end-to-end latency (ms) of all 15,625 NAS-Bench-201 cells, CIFAR-10 setting, from HW-NAS-Bench (Li et al., ICLR 2021) / BRP-NAS (Dudziak et al., NeurIPS 2020) measurements as collected by HELP (Lee et al., NeurIPS 2021).');
writeDevices('fbnet', 'fbnet-cifar100', 'fbnet-',
  'Published end-to-end latency (ms) of 5,000 sampled FBNet-space architectures, CIFAR-100 setting, as collected by HELP (Lee et al., NeurIPS 2021); other architectures have no entry.');

let total = 0;
for (const file of written) {
  const bytes = readFileSync(file);
  if (file.startsWith(OUT)) total += statSync(file).size;
  const sha = createHash('sha256').update(bytes).digest('hex');
  console.log(`${sha}  ${String(bytes.length).padStart(9)}  ${relative(ROOT, file)}`);
}
console.log(`data/ total ${total} bytes; ${written.length} files written`);
