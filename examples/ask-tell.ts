// Ask/tell: hwnas proposes architectures, your code evaluates them, hwnas keeps the strategy,
// the journal, resume and the leaderboards. Run: npx tsx ask-tell.ts [output folder]
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { Study, customMetric, getAccuracySource, loadSpace, type StudyTrial } from 'hwnas';

const out = process.argv[2] ?? 'results/ask-tell';
const space = loadSpace('nasbench-macro');

// Your trainer goes here. As a stand-in, NAS-Bench-Macro's published CIFAR-10 accuracy of the
// architecture (mean of 3 trainings) is looked up; hwnas only sees the number you return.
const benchmark = await getAccuracySource('table', space);
async function train(trial: StudyTrial): Promise<number> {
  const { accuracy } = await benchmark.metrics(space, trial.genotype);
  if (accuracy === undefined) throw new Error(`no accuracy for ${trial.arch}`);
  return accuracy;
}

// Your device goes here. As a stand-in: the exported ONNX model on this CPU (onnxruntime-node,
// one thread), median wall time of 10 runs after 2 warm-up runs.
async function timeOnMyDevice(model: Uint8Array, inputShape: readonly number[]): Promise<number> {
  const session = await InferenceSession.create(model, { intraOpNumThreads: 1 });
  try {
    const size = inputShape.reduce((a, b) => a * b, 1);
    const feeds = { [session.inputNames[0]!]: new Tensor('float32', new Float32Array(size), [1, ...inputShape]) };
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      const t = performance.now();
      await session.run(feeds);
      if (i >= 2) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return (times[4]! + times[5]!) / 2;
  } finally {
    await session.release();
  }
}

// Everything your code measures of one candidate.
async function evaluate(trial: StudyTrial) {
  const model = trial.onnx();
  const latencyMs = await timeOnMyDevice(model, trial.graph().input);
  return { accuracy: await train(trial), latencyMs, onnxBytes: model.byteLength };
}

// A metric of your own needs customMetric(): a misspelt built-in name ('latncyMs') fails to compile.
const onnxBytes = customMetric('onnxBytes');
const study = await Study.create({
  space,
  objectives: [{ metric: 'accuracy', direction: 'max' }, { metric: 'latencyMs', direction: 'min' }],
  constraints: [{ metric: 'paramCount', op: '<=', value: 2_000_000 }], // counted by hwnas
  toldMetrics: ['accuracy', 'latencyMs', onnxBytes], // what your code measures
  strategy: 'nsga2',
  budget: 30,
  seed: 1,
}, { storage: { kind: 'folder', dir: out, resume: true } }); // run again: continues where it stopped

for (let trial = await study.ask(); trial !== undefined; trial = await study.ask()) {
  // A candidate your code cannot evaluate is told as failed; the search goes on.
  const values = await evaluate(trial).catch((e: unknown) => ({ failed: e instanceof Error ? e.message : String(e) }));
  study.tell(trial, values); // journaled (fsync) before the strategy hears of it
}

const result = (await study.close()).targets[0]!;
console.log(`${result.records.length} evaluated (${result.resumed} from the journal), ${result.failed} failed; Pareto front:`);
for (const row of result.front) {
  const m = row.metrics;
  console.log(`  ${row.arch}  accuracy ${m.accuracy!.toFixed(2)} %  latency ${m.latencyMs!.toFixed(3)} ms  ${m.paramCount} params  ${m.onnxBytes} bytes`);
}
console.log(`leaderboard: ${result.files!.leaderboard}`);
