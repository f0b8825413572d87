import { countFlops, countParams } from '../graph/count.ts';
import type { ModelGraph } from '../graph/model-graph.ts';
import type { AccuracySource } from '../accuracy/accuracy-source.ts';
import type { LatencyProvider } from '../latency/latency-provider.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { errorMessage } from '../errors.ts';
import type { Outcome } from '../record/outcome.ts';

/** Which metric groups an evaluation computes. */
export interface EvaluatorNeeds {
  /** paramCount and flops (cheap, counted on the graph). @defaultValue true */
  counts?: boolean;
  accuracy?: AccuracySource;
  latency?: LatencyProvider;
}

/**
 * Evaluates architectures: builds the graph, counts params/FLOPs, asks the accuracy source and the
 * latency provider. The only place that knows both metrics and devices. Never throws for a bad
 * candidate: failures come back as `{ status: 'failed', error }`.
 */
export class Evaluator {
  constructor(readonly space: SearchSpace, private readonly needs: EvaluatorNeeds) {}

  async evaluate(g: Genotype): Promise<Outcome> {
    let graph: ModelGraph;
    try {
      graph = this.space.build(g);
    } catch (e) {
      return { status: 'failed', error: `build: ${errorMessage(e)}` };
    }
    const metrics: Record<string, number> = {};
    const info: Record<string, string | number> = {};
    if (this.needs.counts !== false) {
      metrics.paramCount = countParams(graph);
      metrics.flops = countFlops(graph);
    }
    if (this.needs.accuracy) {
      try {
        Object.assign(metrics, await this.needs.accuracy.metrics(this.space, g));
      } catch (e) {
        return { status: 'failed', error: `accuracy (${this.needs.accuracy.id}): ${errorMessage(e)}` };
      }
    }
    if (this.needs.latency) {
      try {
        const r = await this.needs.latency.latency(this.space, g, graph);
        Object.assign(metrics, r.metrics);
        Object.assign(info, r.info);
      } catch (e) {
        return { status: 'failed', error: `latency (${this.needs.latency.deviceId}): ${errorMessage(e)}` };
      }
    }
    for (const [k, v] of Object.entries(metrics)) {
      if (!Number.isFinite(v)) return { status: 'failed', error: `metric ${k} is ${v}` };
    }
    return Object.keys(info).length > 0 ? { status: 'ok', metrics, info } : { status: 'ok', metrics };
  }
}
