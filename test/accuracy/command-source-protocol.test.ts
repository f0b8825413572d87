import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { commandSource, parseTrainerResult } from '../../src/accuracy/command-source.ts';
import { getAccuracySource } from '../../src/accuracy/accuracy-registry.ts';
import { InputError } from '../../src/errors.ts';
import { loadSpace } from '../../src/space/space-registry.ts';
import { splitCommandLine } from '../../src/util/command-line.ts';
import { tempDir } from '../helpers/cli.ts';

// A trainer of the test's own, in JavaScript: what it does is chosen by its first argument.
const TRAINER = String.raw`
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
const [mode, ...rest] = process.argv.slice(2);
const env = process.env;
switch (mode) {
  case 'ok': {
    const arch = JSON.parse(readFileSync(env.HWNAS_ARCH_JSON, 'utf8'));
    const net = JSON.parse(readFileSync(env.HWNAS_NETWORK_JSON, 'utf8'));
    const onnx = readFileSync(env.HWNAS_ONNX);
    writeFileSync(rest[2], env.HWNAS_CANDIDATE_DIR);
    process.stderr.write('epoch 1/1 loss 2.30\n');
    console.log('a line the trainer prints before its result');
    console.log(JSON.stringify({
      accuracy: 87.5, loss: 0.42, networkNodes: net.nodes.length, networkVersion: net.version, paramsSeen: net.paramCount,
      onnxBytes: onnx.length, archMatches: arch.arch === env.HWNAS_ARCH && arch.arch === rest[0] ? 1 : 0,
      dirMatches: rest[1] === env.HWNAS_CANDIDATE_DIR ? 1 : 0, protocol: Number(env.HWNAS_PROTOCOL), note: 'strings are ignored',
    }));
    break;
  }
  case 'budget': {
    const arch = JSON.parse(readFileSync(env.HWNAS_ARCH_JSON, 'utf8'));
    console.log(JSON.stringify({
      accuracy: 61, epochs: Number(env.HWNAS_EPOCHS), trainImages: Number(env.HWNAS_TRAIN_IMAGES ?? -1), lrTimes1e4: Number(env.HWNAS_TRAIN_LR ?? -1) * 1e4,
      augment: env.HWNAS_TRAIN_AUGMENT === 'true' ? 1 : 0, hasBatch: env.HWNAS_TRAIN_BATCH === undefined ? 0 : 1,
      dataMatches: env.HWNAS_DATA === rest[0] && rest[0] === rest[1] && arch.data === rest[0] ? 1 : 0, archTrainImages: arch.training.trainImages,
    }));
    break;
  }
  case 'pretty': console.log(JSON.stringify({ accuracy: 50 }, null, 2)); break;
  case 'bad-json': console.log('accuracy: 93'); break;
  case 'nan': console.log('{"accuracy": NaN}'); break;
  case 'infinite': console.log('{"accuracy": 1e999}'); break;
  case 'range': console.log('{"accuracy": 150}'); break;
  case 'missing': console.log('{"acc": 93}'); break;
  case 'array': console.log('[93]'); break;
  case 'reserved': console.log('{"accuracy": 93, "flops": 5}'); break;
  case 'silent': break;
  case 'exit3': process.stderr.write('Traceback (most recent call last):\nRuntimeError: CUDA out of memory\n'); process.exit(3);
  case 'sigkill': process.stderr.write('about to be killed\n'); process.kill(process.pid, 'SIGKILL'); break;
  case 'epochs': console.log(JSON.stringify({ accuracy: 60, epochs: Number(env.HWNAS_EPOCHS) + Number(rest[0] ?? 0), argEpochs: Number(rest[1] ?? -1) })); break;
  case 'stubborn': {
    // Ignores SIGTERM, and so does the grandchild it starts: only SIGKILL of the group ends them.
    process.on('SIGTERM', () => {});
    const g = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
    writeFileSync(rest[0], String(g.pid));
    setInterval(() => {}, 1000);
    break;
  }
  case 'together': {
    // Waits until another candidate's program has started too: passes only when two run at once.
    writeFileSync(join(rest[0], env.HWNAS_SEED + '-' + process.pid), '');
    const t0 = Date.now();
    const poll = () => {
      const n = readdirSync(rest[0]).length;
      if (n >= 2 || Date.now() - t0 > 30000) console.log(JSON.stringify({ accuracy: 70, seenRunning: n }));
      else setTimeout(poll, 50);
    };
    poll();
    break;
  }
}
`;

const space = loadSpace('nb201');
const g = space.decode('|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|');
const arch = space.encode(g);

function setup() {
  const dir = tempDir('hwnas-trainer-');
  const script = join(dir, 'trainer.mjs');
  writeFileSync(script, TRAINER);
  const logDir = join(dir, 'logs');
  const source = (mode: string, extra: string[] = [], o: { timeoutS?: number; killGraceMs?: number; jobs?: number } = {}) =>
    commandSource({ argv: [process.execPath, script, mode, ...extra], logDir, ...o });
  return { dir, script, logDir, source };
}

/** Whether a process is alive (a zombie waiting for its parent counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

test('a trainer gets arch.json, model.onnx and network.json and its JSON result becomes metrics; its stderr and stdout go to a log', async () => {
  const { source, logDir, dir } = setup();
  const s = source('ok', ['{arch}', '{dir}', join(dir, 'candidate-dir.txt')]);
  assert.equal(s.fidelity, 'epochs');
  const m = await s.metrics(space, g);
  const graph = space.build(g);
  assert.equal(m.accuracy, 87.5);
  assert.equal(m.loss, 0.42);
  assert.equal(m.networkNodes, graph.nodes.length);
  assert.equal(m.networkVersion, 1);
  assert.ok(m.paramsSeen! > 0);
  assert.ok(m.onnxBytes! > 1000, `model.onnx has ${m.onnxBytes} bytes`);
  assert.equal(m.archMatches, 1, 'arch.json, HWNAS_ARCH and the {arch} placeholder agree');
  assert.equal(m.dirMatches, 1, '{dir} is HWNAS_CANDIDATE_DIR');
  assert.equal(m.protocol, 1);
  assert.ok(!('note' in m), 'a string in the result is not a metric');
  assert.ok(m.trainMs! > 0);
  const logs = readdirSync(logDir);
  assert.equal(logs.length, 1);
  const log = readFileSync(join(logDir, logs[0]!), 'utf8');
  assert.match(log, /epoch 1\/1 loss 2\.30/);
  assert.match(log, /a line the trainer prints before its result/);
  // The candidate's folder is removed once the program is done.
  const candidateDir = readFileSync(join(dir, 'candidate-dir.txt'), 'utf8');
  assert.match(candidateDir, /hwnas-candidate-/);
  assert.equal(existsSync(candidateDir), false);

  // All of stdout may be one (pretty-printed) JSON object too.
  assert.deepEqual(Object.keys(await source('pretty').metrics(space, g)).sort(), ['accuracy', 'trainMs']);
});

test('bad results, a non-zero exit and a kill are failed candidates whose reason says what happened', async () => {
  const { source } = setup();
  const cases: [string, RegExp][] = [
    ['bad-json', /last line of stdout is not JSON: "accuracy: 93"/],
    ['nan', /not JSON \(it holds NaN or Infinity/],
    ['infinite', /"accuracy" is Infinity, expected a finite number/],
    ['range', /"accuracy" is 150, expected a finite number of % in \[0, 100\]/],
    ['missing', /no "accuracy" \(keys: acc\)/],
    ['array', /an array/],
    ['reserved', /"flops" is a metric hwnas computes itself/],
    ['silent', /printed nothing on stdout/],
    ['exit3', /exited with code 3; log \/.*\.log; stderr ends: Traceback \(most recent call last\): ⏎ RuntimeError: CUDA out of memory$/],
    ['sigkill', /killed by SIGKILL/],
  ];
  for (const [mode, re] of cases) {
    await assert.rejects(source(mode).metrics(space, g), (e: Error) => {
      assert.match(e.message, re, mode);
      assert.match(e.message, /log \/.*\.log/, `${mode}: the error names the log file`);
      return true;
    });
  }
});

test('a trainer past its timeout is killed with its whole process tree, even when both ignore SIGTERM', async () => {
  const { source, dir } = setup();
  const pidFile = join(dir, 'grandchild.pid');
  await assert.rejects(source('stubborn', [pidFile], { timeoutS: 1.5, killGraceMs: 300 }).metrics(space, g), /timed out after 1\.5 s \(--accuracy-timeout\)/);
  const grandchild = Number(readFileSync(pidFile, 'utf8'));
  assert.ok(grandchild > 0);
  // SIGKILL was sent to the group before the promise settled; the kernel may take a moment to reap.
  for (let i = 0; i < 50 && alive(grandchild); i++) await sleep(100);
  assert.equal(alive(grandchild), false, `grandchild ${grandchild} still runs`);
});

test('epochs: HWNAS_EPOCHS and {epochs} carry the budget, a result that disagrees is refused', async () => {
  const { source } = setup();
  const m = await source('epochs', ['0', '{epochs}']).metrics(space, g, { epochs: 3 });
  assert.equal(m.epochs, 3);
  assert.equal(m.argEpochs, 3);
  await assert.rejects(source('epochs', ['1']).metrics(space, g, { epochs: 3 }), /says it trained 4 epochs; 3 were asked/);
  await assert.rejects(source('epochs', ['0', '{epochs}']).metrics(space, g), /uses \{epochs\} but no epochs budget was asked/);
});

test('the data folder and training budget the user gave reach the trainer as HWNAS_DATA, HWNAS_TRAIN_*, {data} and arch.json', async () => {
  const { dir, script, logDir } = setup();
  const data = join(dir, 'my-cifar');
  const s = commandSource({ argv: [process.execPath, script, 'budget', data, '{data}'], logDir, data, training: { epochs: 2, trainImages: 500, learningRate: 0.01, augment: true } });
  assert.match(s.description, /data .*my-cifar; training \{"epochs":2/);
  const m = await s.metrics(space, g);
  assert.deepEqual([m.epochs, m.trainImages, m.lrTimes1e4, m.augment, m.hasBatch, m.dataMatches, m.archTrainImages], [2, 500, 100, 1, 0, 1, 500]);
  // A multi-fidelity call's epochs win over the budget's; without --data, {data} is an error that says so.
  assert.equal((await s.metrics(space, g, { epochs: 5 })).epochs, 5);
  const noData = commandSource({ argv: [process.execPath, script, 'budget', 'x', '{data}'], logDir });
  await assert.rejects(noData.metrics(space, g), /uses \{data\} but no data folder was given: run with --data DIR/);
});

test('jobs: 2 runs two programs at once', async () => {
  const { source, dir } = setup();
  const marks = join(dir, 'marks');
  (await import('node:fs')).mkdirSync(marks);
  const s = source('together', [marks], { jobs: 2 });
  assert.equal(s.concurrency, 2);
  const other = space.decode('|skip_connect~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|');
  const [a, b] = await Promise.all([s.metrics(space, g), s.metrics(space, other)]);
  assert.equal(a!.seenRunning, 2);
  assert.equal(b!.seenRunning, 2);
});

test('command: names are split like a shell would, never run through one', async () => {
  assert.deepEqual(splitCommandLine(`python3 train.py --data 'my data' --tag "a \\"b\\"" x\\ y`, '--accuracy'), ['python3', 'train.py', '--data', 'my data', '--tag', 'a "b"', 'x y']);
  assert.deepEqual(splitCommandLine(`sh -c 'python3 t.py > log.txt; echo $HOME'`, '--accuracy'), ['sh', '-c', 'python3 t.py > log.txt; echo $HOME']);
  for (const bad of ['python3 t.py | tee log', 'python3 t.py > out', 'a && b', 'python3 $HOME/t.py', 'python3 ~/t.py', 'echo "$(id)"', `python3 'unterminated`]) {
    assert.throws(() => splitCommandLine(bad, '--accuracy'), (e: unknown) => e instanceof InputError && e.path === '--accuracy', bad);
  }
  // Through the registry: command:<line> makes the source; a bad line or placeholder is bad input.
  const s = await getAccuracySource(`command:${process.execPath} -e "console.log(JSON.stringify({accuracy: 12.5}))"`, space, { seed: 0, jobs: 1 });
  assert.equal(s.id, `command:${process.execPath} -e "console.log(JSON.stringify({accuracy: 12.5}))"`);
  assert.equal((await s.metrics(space, g)).accuracy, 12.5);
  await assert.rejects(getAccuracySource('command:', space), /no command after "command:"/);
  await assert.rejects(getAccuracySource('command:python3 t.py {dataset}', space), /unknown placeholder \{dataset\}/);
  await assert.rejects(getAccuracySource('commandx', space), /unknown accuracy source "commandx".*command:<command>/);
  assert.equal(arch, space.encode(g));
});

test('parseTrainerResult keeps numbers, ignores other values and refuses non-finite extras', () => {
  assert.deepEqual(parseTrainerResult('{"accuracy": 0, "top5": 99.5, "ckpt": "/x", "ok": true}'), { accuracy: 0, top5: 99.5 });
  assert.throws(() => parseTrainerResult('{"accuracy": 90, "loss": 1e999}'), /"loss" is Infinity/);
  assert.throws(() => parseTrainerResult('{"accuracy": "93"}'), /"accuracy" is "93"/);
  assert.throws(() => parseTrainerResult('{"accuracy": 90, "a b": 1}'), /not a plain metric name/);
});
