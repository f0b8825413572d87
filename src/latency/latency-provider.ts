import type { ModelGraph } from '../graph/model-graph.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';

/** Latency of one candidate on one device: metrics (`latencyMs`, `p90Ms`...) and facts (`runtime`...). */
export interface LatencyResult {
  metrics: Record<string, number>;
  info: Record<string, string | number>;
}

/**
 * Gives latency for a device: measured live (ORT, tfjs), read from a table, or predicted from a LUT.
 * Built once per device and search; throwing means this candidate failed (recorded, not fatal).
 */
export interface LatencyProvider {
  /** Device id. */
  readonly deviceId: string;
  /** `measured`, `table` or `lut`. */
  readonly kind: string;
  /** Metrics every successful {@link LatencyProvider.latency} returns (`latencyMs` first). */
  readonly metricNames: readonly string[];
  /** Latency of `g`; `graph` is its built graph when the caller has one (a measured device builds it otherwise). */
  latency(space: SearchSpace, g: Genotype, graph?: ModelGraph): Promise<LatencyResult>;
  /** Release sessions or backends. */
  close?(): Promise<void>;
}
