import * as tf from '@tensorflow/tfjs-core';
import { layerGraph } from '../../space/layered-space.ts';
import { buildTfjsModel, type TfjsModel } from '../../runtime/tfjs/tfjs-model.ts';
import { Rng } from '../../util/rng.ts';
import type { Genotype } from '../../space/search-space.ts';
import type { SupernetLayout } from './supernet-layout.ts';

/**
 * The shared weights of a one-shot supernet: one TF.js model per (layer position, choice), built
 * from that choice's layer alone, so an architecture is a path through them and every architecture
 * picking choice c at position p reads and trains the same variables. An identity choice (a layer
 * that adds no node) has no model.
 *
 * Batch norm keeps running statistics of the last batch only (momentum 1): they are re-estimated
 * for each scored architecture ({@link recalibrateBatchNorm}), never used from training.
 */

/** A path: the choice index at every layer position (0 at fixed positions). */
export type SupernetPath = readonly number[];

/** One variable of the supernet under its stable name `p<position>c<choice>/<onnx name>`. */
export interface SupernetVariable {
  readonly name: string;
  readonly variable: tf.Variable;
  /** A conv or linear weight (weight decay applies), not a bias, γ/β or running statistic. */
  readonly decays: boolean;
  readonly trainable: boolean;
  readonly role: string;
}

export class SupernetWeights {
  /** `models[p][c]`: model of choice c at position p; `null` for an identity. */
  private readonly models: (TfjsModel | null)[][];
  private readonly named: SupernetVariable[][][];
  private disposed = false;

  /**
   * Build every (position, choice) model on the current tfjs backend with seeded He-normal weights:
   * the seed of a block is forked from `seed` by its position and choice, so blocks of the same
   * shape start from different values and a block's start depends on nothing else.
   */
  constructor(readonly layout: SupernetLayout, readonly seed: number) {
    const root = new Rng(seed);
    this.models = layout.positions.map((pos, p) =>
      pos.layers.map((layer, c) => {
        if (layer.empty) return null;
        return buildTfjsModel(layerGraph(layer), {
          seed: root.fork(`supernet/p${p}/c${c}`).seed,
          bnMomentum: 1,
          // The first position reads the images: nothing needs their gradient.
          inputGradients: p > 0,
        });
      }),
    );
    this.named = this.models.map((row, p) => row.map((m, c) => (m ? m.variables.map((v) => ({
      name: `p${p}c${c}/${v.name}`,
      variable: v.variable,
      decays: v.role === 'weight',
      trainable: v.trainable,
      role: v.role,
    })) : [])));
  }

  /** The path of a genotype of the layout's space. */
  pathOf(g: Genotype): number[] {
    return this.layout.positions.map((pos) => (pos.decision < 0 ? 0 : g[pos.decision]!));
  }

  /** Logits `[N, classes]` of the path for an NHWC batch. */
  forward(path: SupernetPath, x: tf.Tensor4D, training: boolean): tf.Tensor {
    this.check();
    return tf.tidy(() => {
      let y: tf.Tensor = x;
      this.models.forEach((row, p) => {
        const m = row[path[p]!];
        if (m) y = m.forward(y as tf.Tensor4D, { training, customGradients: training });
      });
      return y;
    });
  }

  /** Forward pass in training mode without gradients (batch statistics, running ones updated). */
  forwardStatistics(path: SupernetPath, x: tf.Tensor4D): tf.Tensor {
    this.check();
    return tf.tidy(() => {
      let y: tf.Tensor = x;
      this.models.forEach((row, p) => {
        const m = row[path[p]!];
        if (m) y = m.forward(y as tf.Tensor4D, { training: true, customGradients: false });
      });
      return y;
    });
  }

  /** Variables of a path, in position order. */
  pathVariables(path: SupernetPath): SupernetVariable[] {
    return this.named.flatMap((row, p) => row[path[p]!]!);
  }

  /** Every variable of the supernet, in a fixed order (positions, choices, nodes). */
  allVariables(): SupernetVariable[] {
    return this.named.flat(2);
  }

  /** Values of every parameter of the supernet, trainable or not. */
  get parameterCount(): number {
    return this.allVariables().reduce((s, v) => s + v.variable.size, 0);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const row of this.models) for (const m of row) m?.dispose();
  }

  private check(): void {
    if (this.disposed) throw new Error('supernet weights were disposed');
  }
}
