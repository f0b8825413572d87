import { forward, initParams, type NetParams } from '../../accuracy/zero-cost/graph-net.ts';
import { imageBatch, type ImageBatch } from '../../accuracy/zero-cost/image-batch.ts';
import { tf, tfBackend } from '../../accuracy/zero-cost/tf-backend.ts';
import type { ModelGraph } from '../../graph/model-graph.ts';
import type { Genotype, SearchSpace } from '../../space/search-space.ts';
import { Rng } from '../rng.ts';
import { chainPieces, type ShrinkOptions } from './chain-supernet.ts';

export interface ProxyTrainOptions {
  shrink?: ShrinkOptions;
  /** @defaultValue 5 */
  epochs?: number;
  /** @defaultValue 32 */
  batchSize?: number;
  /** SGD-momentum (0.9) learning rate. @defaultValue 0.05 */
  lr?: number;
  /** Training images, Fashion-MNIST subset. @defaultValue 2000 */
  trainImages?: number;
  /** Test images, Fashion-MNIST test subset. @defaultValue 500 */
  testImages?: number;
  seed: number;
}

/**
 * Proxy-trained top-1 accuracy (%) of one chain-space architecture, standalone and from scratch:
 * the (shrunk) network of `g` trained with SGD-momentum on the Fashion-MNIST training subset, then
 * scored on the test subset in batches of 100 (BN uses each test batch's statistics, like training).
 * A cheap, noisy signal for comparing DNAS results, not a benchmark accuracy.
 */
export async function proxyTrainAccuracy(space: SearchSpace, g: Genotype, o: ProxyTrainOptions): Promise<number> {
  await tfBackend();
  const rng = new Rng(o.seed);
  const p = chainPieces(space, o.shrink ?? {});
  const [channels, size] = p.input as [number, number, number];
  const graphs: ModelGraph[] = [p.stem, ...p.blocks.map((row, l) => row[g[l]!]!), p.head];
  const params: NetParams[] = graphs.map((gr, i) => initParams(gr, rng.fork(`piece${i}`), true));
  const run = (x: tf.Tensor4D): tf.Tensor => {
    let h: tf.Tensor = x;
    graphs.forEach((gr, i) => {
      h = gr.output === 'input' ? h : forward(gr, params[i]!, h as tf.Tensor4D).y;
    });
    return h;
  };
  const train = imageBatch({ n: o.trainImages ?? 2000, size, channels, split: 'train' });
  const test = imageBatch({ n: o.testImages ?? 500, size, channels, split: 't10k' });
  const bs = o.batchSize ?? 32;
  const vars: tf.Variable[] = [];
  for (const ps of params) for (const np of ps.values()) for (const t of [np.w, np.b, np.gamma, np.beta]) if (t) vars.push(t as tf.Variable);
  const opt = tf.train.momentum(o.lr ?? 0.05, 0.9);
  const shuffleRng = rng.fork('order');
  const slice = (b: ImageBatch, idx: number[]): { x: tf.Tensor4D; y: tf.Tensor2D } => {
    const per = b.size * b.size * b.channels;
    const px = new Float32Array(idx.length * per);
    idx.forEach((k, i) => px.set(b.pixels.subarray(k * per, (k + 1) * per), i * per));
    const labels = Int32Array.from(idx.map((k) => b.labels[k]!));
    return { x: tf.tensor4d(px, [idx.length, b.size, b.size, b.channels]), y: tf.oneHot(tf.tensor1d(labels, 'int32'), 10) as tf.Tensor2D };
  };
  for (let e = 0; e < (o.epochs ?? 5); e++) {
    const order = shuffleRng.shuffle(Array.from({ length: train.n }, (_, i) => i));
    for (let s = 0; s + bs <= order.length; s += bs) {
      tf.tidy(() => {
        const { x, y } = slice(train, order.slice(s, s + bs));
        opt.minimize(() => tf.losses.softmaxCrossEntropy(y, run(x)) as tf.Scalar, false, vars);
      });
    }
  }
  let correct = 0;
  for (let s = 0; s < test.n; s += 100) {
    const idx = Array.from({ length: Math.min(100, test.n - s) }, (_, i) => s + i);
    correct += tf.tidy(() => {
      const { x, y } = slice(test, idx);
      return tf.sum(tf.cast(tf.equal(tf.argMax(run(x), 1), tf.argMax(y, 1)), 'int32')).dataSync()[0]!;
    });
  }
  tf.dispose(vars);
  opt.dispose();
  return (100 * correct) / test.n;
}
