/**
 * hwnas as a library: everything the CLI does is a call here first, with typed objects (only the
 * CLI parses strings). `search()` writes what `hwnas search` writes except the plots, which
 * `renderSearchPlots(out)` draws from the results folder.
 */
export { search, type SearchOptions, type SearchResult } from './run/search.ts';
export {
  Study, inProcessBackend,
  type StudySettings, type TypedStudySettings, type StudyOptions, type StudyStorage, type StudyTarget, type StudyEvent, type StudyResult,
  type TargetResult, type TargetPlan, type EvaluationBackend, type StrategyOptions,
} from './run/study.ts';
export { StudyTrial } from './run/study-trial.ts';
export type { ToldValues } from './run/told-values.ts';
export {
  runTrialLoop, TrialLoop, MemoryStore,
  type TrialLoopOptions, type TrialLoopCoreOptions, type TrialLoopResult, type TrialStore, type Candidate, type RoundCandidate, type Evaluated, type BatchEvaluate,
} from './run/trial-loop.ts';
export { Evaluator, type EvaluatorNeeds } from './run/evaluator.ts';
export { ResultsFolder, type ResultsFolderOptions } from './run/results-folder.ts';
export { compare, type CompareOptions, type CompareResult } from './run/compare.ts';
export {
  runAccuracyBench, resolveSignal, benchArchs, ACCURACY_BENCH_FILES,
  type AccuracyBenchOptions, type AccuracyBenchResult, type AccuracyBenchRow, type AccuracyBenchEvent, type BenchSignal,
} from './run/accuracy-bench.ts';
export { rankAgreement, rankAverage, type RankAgreement, type RankAgreementOptions } from './run/accuracy-bench-stats.ts';
export { kendallTauB, topPrecision, bootstrapIntervals, bootstrapInterval, type Interval } from './util/rank-agreement.ts';
export { computeTruthFront, enumerateSpace, type TruthOptions, type Enumeration } from './run/truth.ts';
export { runMoo, type RunMooOptions, type RunMooResult } from './run/moo.ts';
export { runSuite, DEFAULT_SUITE_STRATEGIES, PROXY_SUITE_RESULT_COLUMNS, type SuiteRunOptions, type SuiteRunResult, type ProxySuiteResultRow } from './run/suite/suite-run.ts';
export { loadSuite, builtinSuiteIds, suiteSchema, type Suite, type LoadedSuite, type SuiteProblem, type SuiteProblemSpec, type SuiteFrontPoint } from './run/suite/suite-file.ts';
export { solveProblems, solveProblem, problemDifferences } from './run/suite/exact-problem.ts';
export { studyMetric, fileMetric, studyObjectives, studyConstraints, problemDevices } from './run/suite/problem-metrics.ts';
export { problemTruth, scoreRun as scoreSuiteRun, type RunScore } from './run/suite/problem-score.ts';
export { runSuiteTask, createProblemStudy, type SuiteTask, type SuiteTaskResult, type SuiteAccuracy } from './run/suite/suite-task.ts';
export { scoreProxyRun, tableTruth, type ProxyRunScores, type TruthAccuracy } from './run/suite/truth-rescore.ts';
export { summarizeSuite, SUITE_RESULT_COLUMNS, type SuiteSummary, type SuiteResultRow } from './run/suite/suite-summary.ts';
// Queue workers on Redis: BullMQ and ioredis are loaded only when a backend or worker is started.
export { QueueBackend, type QueueBackendOptions, type QueueStatus, type QueueCounts } from './run/queue/queue-backend.ts';
export { startQueueWorker, type QueueWorkerOptions, type RunningWorker } from './run/queue/queue-worker.ts';
export { listWorkers, type WorkerAnnouncement, type AnnouncedDevice } from './run/queue/worker-announcement.ts';
export { jobId, deviceQueueName, accuracyQueueName, type EvaluationJob, type LatencyJob, type AccuracyJob, type JobResult } from './run/queue/queue-jobs.ts';

export { Journal, readJournalFile, journalEntryProblem, type JournalEntry, type JournalProblem } from './record/journal.ts';
export type { Outcome } from './record/outcome.ts';
export {
  objective, customMetric, registerMetric, findMetric, deviceMetric, BUILTIN_METRICS,
  type Objective, type Constraint, type MetricInfo, type BuiltinMetric, type MetricName, type CustomMetric, type CheckedMetric, type CheckedMetrics, type PlainMetric,
} from './record/metric-registry.ts';
export { buildLeaderboard, leaderboardCsv, writeLeaderboard, paretoFront, type LeaderboardRow } from './record/leaderboard.ts';
export { exactFront, frontQuality, frontBounds, AnytimeFront, REFERENCE_POINT_VALUE, type TruthFront } from './record/exact-front.ts';

export { loadSpace, spaceFamilies, builtinSpaceIds, spaceContentHash, isBuiltinSpace } from './space/space-registry.ts';
export type { SpaceFamily } from './space/space-family.ts';
export { spaceSize, genotypeAt, genotypeIndex, type SearchSpace, type Genotype, type Decision } from './space/search-space.ts';
export { readArchsFile, allArchs, randomArchs } from './space/arch-list.ts';

export type { ModelGraph, Node, Shape } from './graph/model-graph.ts';
export { GraphBuilder } from './graph/graph-builder.ts';
export { countParams, countFlops } from './graph/count.ts';
export { toOnnx } from './graph/onnx-export.ts';

export type { Runtime, Runnable, Probe } from './runtime/runtime.ts';
export { runtimes, getRuntime } from './runtime/runtime-registry.ts';
export { measure, measureGraph, timeInterleaved, stopDecision, type CandidateTiming, type InterleavedTiming, type Visit } from './latency/measure.ts';
export { BatchMeasurer, type BatchFacts, type ItemResult } from './latency/batch-measurer.ts';
export { medianCi, medianCiRanks } from './latency/median-ci.ts';
export { hostLoad, cpuStealPct, type HostLoad } from './latency/host-load.ts';
export { timingQuality, timedRows, timingWarningText, STRICT_TIMING_EXIT_CODE, type TimingQuality } from './latency/timing-quality.ts';
export { referenceNetwork } from './latency/reference-network.ts';
export { measureFiles, type MeasureFilesResult } from './run/measure-files.ts';
export { summarize, type LatencyStats } from './latency/latency-stats.ts';
export { loadDevice, builtinDeviceIds, DEFAULT_TIMING, type DeviceProfile, type MeasuredDevice, type TimingOptions } from './latency/device-profile.ts';
export { createLatencyProvider } from './latency/create-latency-provider.ts';
export type { AccuracySource, AccuracySettings, AccuracySourceFactory, AccuracyCall } from './accuracy/accuracy-source.ts';
export { accuracySources, getAccuracySource } from './accuracy/accuracy-registry.ts';
export { commandSource, parseTrainerResult, TRAINER_PROTOCOL_VERSION, type CommandSourceOptions } from './accuracy/command-source.ts';
export { toNetworkJson, NETWORK_JSON_VERSION, type NetworkJson } from './graph/network-json.ts';
export { rungEpochs, checkFidelity, type FidelitySettings } from './run/multi-fidelity.ts';

export { Rng } from './util/rng.ts';
export type { Strategy, Trial, StrategyContext, StrategyFactory } from './search/strategy.ts';
export { strategies, createStrategy, type StrategyEntry } from './search/strategy-registry.ts';
export { nonDominatedSort } from './pareto/non-dominated-sort.ts';
export { crowdingDistance } from './pareto/crowding-distance.ts';
export { hypervolume } from './pareto/hypervolume.ts';
export { igdPlus } from './pareto/igd-plus.ts';

export { renderSearchPlots } from './report/search-plots.ts';
export { renderComparePlots } from './report/compare-plots.ts';
export { renderSuitePlots } from './report/suite-plots.ts';
export { renderSuiteTables } from './report/suite-tables.ts';
export { InputError, UnavailableError } from './errors.ts';
