import * as tf from '@tensorflow/tfjs-core';
import type { SupernetVariable } from './supernet-weights.ts';

/**
 * SGD with (Nesterov) momentum and L2 weight decay whose state is kept per variable *name*, for a
 * supernet where each step trains another subset of the variables. (TF.js's optimizers index their
 * slots by the position of a variable in the list of each call, which breaks when the list changes.)
 * A variable off the sampled path is not touched, its momentum neither decays nor moves — as in
 * PyTorch, where a parameter without a gradient is skipped (SPOS, Guo et al., ECCV 2020).
 *
 * Update (Sutskever et al., ICML 2013; PyTorch's form): g ← ∇ + λ·w (decayed weights only);
 * v ← μ·v + g; w ← w − η·(g + μ·v) with Nesterov, w ← w − η·v without.
 */
export interface PathSgdOptions {
  /** μ. @defaultValue 0.9 */
  momentum: number;
  /** λ, on conv and linear weights only. @defaultValue 5e-4 */
  weightDecay: number;
  /** @defaultValue true */
  nesterov: boolean;
}

export class PathSgd {
  private readonly velocity = new Map<string, tf.Variable>();

  constructor(private readonly opts: PathSgdOptions) {}

  /** One update of `vars` with their gradients `grads` (same order) and step size `lr`. */
  step(vars: readonly SupernetVariable[], grads: readonly tf.Tensor[], lr: number): void {
    const { momentum: mu, weightDecay: wd, nesterov } = this.opts;
    vars.forEach((v, i) => {
      const grad = grads[i]!;
      tf.tidy(() => {
        const g = v.decays && wd > 0 ? tf.add(grad, tf.mul(v.variable, wd)) : grad;
        let vel = this.velocity.get(v.name);
        let next: tf.Tensor;
        if (!vel) {
          // PyTorch starts the buffer at the first gradient.
          next = g;
          vel = tf.variable(tf.zerosLike(v.variable), false);
          this.velocity.set(v.name, vel);
        } else {
          next = tf.add(tf.mul(vel, mu), g);
        }
        vel.assign(next);
        const delta = nesterov ? tf.add(g, tf.mul(next, mu)) : next;
        v.variable.assign(tf.sub(v.variable, tf.mul(delta, lr)));
      });
    });
  }

  /** Names with a momentum buffer, sorted (for checkpoints). */
  names(): string[] {
    return [...this.velocity.keys()].sort();
  }

  /** The momentum buffer of `name`. */
  buffer(name: string): tf.Variable | undefined {
    return this.velocity.get(name);
  }

  /** Set (or create) the momentum buffer of `name` from saved values. */
  restore(name: string, values: Float32Array, shape: readonly number[]): void {
    const t = tf.tensor(values, shape as number[]);
    const cur = this.velocity.get(name);
    if (cur) cur.assign(t);
    else this.velocity.set(name, tf.variable(t, false));
    t.dispose();
  }

  dispose(): void {
    for (const v of this.velocity.values()) v.dispose();
    this.velocity.clear();
  }
}
