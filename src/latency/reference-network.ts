import { GraphBuilder } from '../graph/graph-builder.ts';
import type { ModelGraph } from '../graph/model-graph.ts';

/**
 * The fixed reference network timed between the rounds of every measured batch: a small
 * CIFAR-sized CNN (3×32×32 → conv 3×3 32 → conv 3×3 64 → conv 3×3 64 stride 2 → depthwise 3×3 →
 * conv 1×1 128 → global pool → 10 logits, each conv with BN and ReLU) of about 31 M
 * multiply-accumulates, about half a millisecond on one CPU core, like the smaller candidates of a
 * search. It never changes, so its latency is a clock for the machine: when it drifts by more than
 * the tolerance between batches, the machine got slower or faster while the run measured.
 */
export function referenceNetwork(): ModelGraph {
  const b = new GraphBuilder('hwnas-reference', [3, 32, 32]);
  let x = b.act(b.batchnorm(b.conv(b.input, 32, { kernel: 3, pad: 1 })), 'relu');
  x = b.act(b.batchnorm(b.conv(x, 64, { kernel: 3, pad: 1 })), 'relu');
  x = b.act(b.batchnorm(b.conv(x, 64, { kernel: 3, stride: 2, pad: 1 })), 'relu');
  x = b.act(b.batchnorm(b.conv(x, 64, { kernel: 3, pad: 1, groups: 64 })), 'relu');
  x = b.act(b.batchnorm(b.conv(x, 128, { kernel: 1 })), 'relu');
  x = b.linear(b.flatten(b.globalAvgPool(x)), 10);
  return b.build(x);
}
