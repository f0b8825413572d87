import type { Genotype, SearchSpace } from '../space/search-space.ts';
import { isLayeredSpace } from '../space/layered-space.ts';
import type { TableDevice } from './device-profile.ts';
import { tableArchStrings, tableLatencyAll } from './device-table.ts';
import { countFeatures, fitAdditive, predictAdditive, type FittedModel } from './fitted-predictor.ts';

/**
 * Latency of an architecture that a partial table (the FBNet table lists 5,000 sampled archs of a
 * 9^22 space) does not list: the layer-wise NNLS model (BRP-NAS / HELP style, src/latency/
 * fitted-predictor.ts) fitted on every row of the device's table. On the FBNet table it predicts
 * held-out archs within ±10 % for ≥ 90 % on every GPU and server-CPU device (docs/latency-prediction.md).
 * Rows filled this way say so (`latencySource: fitted:…`, `predictedLatencyMs`).
 */
export class TableFallback {
  private model: FittedModel | undefined;

  constructor(private readonly device: TableDevice, private readonly space: SearchSpace) {}

  /** Whether the space has a per-layer view (needed for the layer features). */
  get usable(): boolean {
    return isLayeredSpace(this.space);
  }

  private fit(): FittedModel {
    if (this.model) return this.model;
    const space = this.space;
    if (!isLayeredSpace(space)) throw new Error(`space ${space.id} has no per-layer view for a fitted latency model`);
    const archs = tableArchStrings(this.device);
    const y = tableLatencyAll(this.device);
    const features = archs.map((a) => countFeatures(space.layers(space.decode(a)).filter((l) => !l.empty).map((l) => l.key)));
    this.model = fitAdditive(features, [...y]);
    return this.model;
  }

  /** Predicted latency (ms) of `g`; throws when the model has never seen one of its layer configurations. */
  predictMs(g: Genotype): number {
    const space = this.space;
    if (!isLayeredSpace(space)) throw new Error(`space ${space.id} has no per-layer view for a fitted latency model`);
    const p = predictAdditive(this.fit(), countFeatures(space.layers(g).filter((l) => !l.empty).map((l) => l.key)));
    if (p.unseen.length > 0) throw new Error(`no table entry, and the fitted model never saw layer ${p.unseen[0]}`);
    return p.latencyMs;
  }

  /** Number of table rows the model is fitted on. */
  get rows(): number {
    return tableArchStrings(this.device).length;
  }
}
