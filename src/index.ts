/**
 * hwnas as a library: everything the CLI does is a call here first.
 * `import { search } from 'hwnas'` does what `hwnas search` does.
 */
export { search, type SearchOptions, type SearchResult } from './run/search.ts';
export { Evaluator, type EvaluatorNeeds } from './run/evaluator.ts';
export { runSearchLoop, type SearchLoopOptions, type SearchLoopResult } from './run/search-loop.ts';
export { Journal, type JournalEntry } from './record/journal.ts';
export type { Outcome } from './record/outcome.ts';
export { compare, type CompareOptions, type CompareResult } from './run/compare.ts';
export { computeTruthFront, frontQuality, type TruthFront } from './run/truth.ts';
export { runMoo, type RunMooOptions, type RunMooResult } from './search/problems/run-moo.ts';
export { parseObjectives, parseConstraint, registerMetric, type Objective, type Constraint } from './record/metric-registry.ts';

export { loadSpace, registerSpaceFamily, builtinSpaceIds, type SpaceFamily } from './space/space-registry.ts';
export { spaceSize, genotypeAt, genotypeIndex, type SearchSpace, type Genotype, type Decision } from './space/search-space.ts';
export { readArchsFile, allArchs, randomArchs } from './space/arch-list.ts';

export type { ModelGraph, Node, Shape } from './graph/model-graph.ts';
export { GraphBuilder } from './graph/graph-builder.ts';
export { countParams, countFlops } from './graph/count.ts';
export { toOnnx } from './graph/onnx-export.ts';

export { registerRuntime, getRuntime, runtimeIds, type Runtime, type Runnable, type Probe } from './runtime/runtime.ts';
export { registerBuiltinRuntimes } from './runtime/builtin-runtimes.ts';
export { measure, measureGraph } from './latency/measure.ts';
export { summarize, type LatencyStats } from './latency/latency-stats.ts';
export { loadDevice, builtinDeviceIds, type DeviceProfile } from './latency/device-profile.ts';
export { createLatencyProvider } from './latency/create-latency-provider.ts';
export { getAccuracySource, registerAccuracySource, accuracySourceIds, type AccuracySource } from './accuracy/accuracy-source.ts';

export { Rng } from './util/rng.ts';
export { registerStrategy, createStrategy, strategyIds, type Strategy, type Trial, type StrategyContext } from './search/strategy.ts';
export { registerBuiltinStrategies } from './search/builtin-strategies.ts';
export { nonDominatedSort } from './pareto/non-dominated-sort.ts';
export { crowdingDistance } from './pareto/crowding-distance.ts';
export { hypervolume } from './pareto/hypervolume.ts';
export { igdPlus } from './pareto/igd-plus.ts';

export { buildLeaderboard, leaderboardCsv, writeLeaderboard, type LeaderboardRow } from './record/leaderboard.ts';
export { InputError, UnavailableError } from './errors.ts';
