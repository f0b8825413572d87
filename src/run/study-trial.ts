import type { ModelGraph } from '../graph/model-graph.ts';
import { toOnnx, type OnnxExportOptions } from '../graph/onnx-export.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';

/**
 * A candidate a study asked your code to evaluate (Optuna's `Trial` of `study.ask()`): its evaluation
 * number, architecture, and what hwnas already measured of it. Give its results back with
 * `study.tell(trial, values)`.
 */
export class StudyTrial {
  /** The architecture's choice indices (a frozen copy). */
  readonly genotype: Genotype;
  /** What the study measured itself before handing the trial out (`paramCount`, `flops`, a device's `latencyMs`…). */
  readonly metrics: Readonly<Record<string, number>>;

  constructor(
    /** 1-based evaluation number within the run (the leaderboard's `evaluation` column). */
    readonly number: number,
    /** Canonical arch string of the space (`02012100`). */
    readonly arch: string,
    genotype: Genotype,
    /** The study's target id (device, `a+b` for a joint search, or the space id without a device). */
    readonly target: string,
    metrics: Readonly<Record<string, number>>,
    private readonly space: SearchSpace,
  ) {
    this.genotype = Object.freeze([...genotype]);
    this.metrics = Object.freeze({ ...metrics });
  }

  /** The model graph of the architecture (shapes inferred), for your own builder or counters. */
  graph(): ModelGraph {
    return this.space.build(this.genotype);
  }

  /** The architecture as ONNX bytes (seeded He-normal weights), for your runtime or trainer. */
  onnx(opts: OnnxExportOptions = {}): Uint8Array {
    return toOnnx(this.graph(), opts);
  }
}
