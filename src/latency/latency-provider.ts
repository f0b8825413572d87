import type { ModelGraph } from '../graph/model-graph.ts';
import type { Genotype, SearchSpace } from '../space/search-space.ts';

/** Latency of one candidate on one device: metrics (`latencyMs`, `p90Ms`...) and facts (`runtime`...). */
export interface LatencyResult {
  metrics: Record<string, number>;
  info: Record<string, string | number>;
}

/** A candidate of a batch latency request: its genotype, and its built graph when the caller has one. */
export interface LatencyItem {
  readonly genotype: Genotype;
  readonly graph?: ModelGraph | undefined;
}

/** The latency of one candidate of a batch, or why it has none (this candidate failed, not the batch). */
export type LatencyItemResult = { ok: LatencyResult } | { error: string };

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
  /**
   * Latency of the candidates of a batch measured together: a measured device times them in
   * interleaved rounds, so drift and bursts of load hit them alike. One result per item, in order.
   * Providers without it are asked one candidate at a time.
   */
  latencyBatch?(space: SearchSpace, items: readonly LatencyItem[]): Promise<LatencyItemResult[]>;
  /** Release sessions or backends. */
  close?(): Promise<void>;
}
