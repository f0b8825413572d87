/**
 * Result of evaluating one architecture on one device. A candidate that fails to build, export or run
 * is a value (`status: 'failed'`), never a thrown error.
 */
export type Outcome =
  | {
      status: 'ok';
      /** Numeric metrics: `accuracy`, `latencyMs`, `paramCount`, `flops`, `predictedLatencyMs`... */
      metrics: Record<string, number>;
      /** Non-numeric facts about the measurement (runtime, version, provider...). */
      info?: Record<string, string | number>;
    }
  | { status: 'failed'; error: string };
