import { InputError } from '../../errors.ts';
import type { Shape } from '../../graph/model-graph.ts';
import { isLayeredSpace, type LayeredSpace, type SpaceLayer } from '../../space/layered-space.ts';
import type { Genotype, SearchSpace } from '../../space/search-space.ts';
import type { ChainSpaceDef } from '../../space/chain-space.ts';
import { makeDivisible } from '../../space/mobile-block.ts';
import { spaceFamilies } from '../../space/space-registry.ts';
import { readJsonFile } from '../../util/json-file.ts';

/**
 * Where a one-shot supernet's shared weights live: a chain of layer positions, each either fixed
 * (stem, head, a stage's fixed block) or picked by exactly one decision of the space, with the same
 * input and output shape whatever is picked. Weights are then shared per (position, choice): every
 * architecture that picks choice c at position p runs the same block with the same weights (SPOS,
 * Guo et al., ECCV 2020, §3.2: "each choice block … is shared").
 *
 * This holds for the `chain` family (NAS-Bench-Macro, FBNet, ProxylessNAS). It does not hold where
 * a decision changes the depth or the widths of the network, or where the decisions are the edges of
 * a cell: those spaces are refused with the reason ({@link supernetLayout}).
 */
export interface SupernetPosition {
  /** Index of the decision picking this position's block, or -1 for a fixed layer. */
  readonly decision: number;
  /** The layer of each choice (one entry for a fixed layer), each built on {@link inShape}. */
  readonly layers: readonly SpaceLayer[];
  readonly inShape: Shape;
  readonly outShape: Shape;
}

export interface SupernetLayout {
  /** The space the supernet is trained on (the searched space, or its variant at the data's resolution). */
  readonly space: LayeredSpace;
  readonly positions: readonly SupernetPosition[];
  /** Position of each decision (-1 for a decision with a single choice: its layer is fixed). */
  readonly positionOf: readonly number[];
}

function refuse(space: SearchSpace, why: string): never {
  throw new InputError('incompatible', `the one-shot supernet cannot serve space ${space.id}: ${why}`, {
    path: '--accuracy',
    expected: 'a space whose every decision picks the block of one fixed layer position (chain family: nasbench-macro, fbnet, fbnet-cifar100, proxyless-mobile)',
    actual: `${space.id} (${space.family} family)`,
  });
}

/** Why a family cannot share weights per (layer, choice), for the refusal message. */
const FAMILY_REASONS: Record<string, string> = {
  'nb201-cell': 'its decisions are the operations on the edges of a repeated cell, not blocks of a chain of layers (a cell supernet is not implemented)',
  mnasnet: 'its decisions change the number of layers and the channel widths of each block, so layer positions and weight shapes differ between architectures (that needs elastic, sliced weights as in OFA, not implemented)',
  'ofa-mbv3': 'its decisions change the depth of each stage, the expansion widths and the input resolution, so layer positions and weight shapes differ between architectures (that needs OFA-style elastic, sliced weights and progressive shrinking, not implemented)',
};

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** How the trained supernet differs from the searched space. */
export interface TrainedVariant {
  /** Input side (H = W) to train at: the data's. */
  readonly side: number;
  /** Classes of the data. */
  readonly classes: number;
  /** Multiplier of every channel count of a chain space (rounded to a multiple of 8, at least 8). @defaultValue 1 */
  readonly widthMultiplier?: number;
}

/**
 * The space to train: `space` itself when its input has the data's height and width, it has as many
 * classes as the data and the width is kept; else a copy built from the same space file at the
 * data's resolution with the data's classes (the 224-px ImageNet spaces trained on 32-px CIFAR-10:
 * same stem, blocks, strides and head convs; the final feature map is then 1×1 instead of 7×7) and,
 * for a chain space, every channel count times `widthMultiplier` (MobileNet's width multiplier,
 * rounded with `makeDivisible`).
 */
export function trainedSpace(space: SearchSpace, v: TrainedVariant): SearchSpace {
  const reason = FAMILY_REASONS[space.family];
  if (reason) refuse(space, reason);
  const [c, h, w] = space.inputShape as [number, number, number];
  const wm = v.widthMultiplier ?? 1;
  if (h === v.side && w === v.side && space.classes === v.classes && wm === 1) return space;
  const family = spaceFamilies.find(space.family);
  if (!family) refuse(space, `unknown family ${space.family}`);
  let def = readJsonFile(space.file) as Record<string, unknown>;
  if (wm !== 1) {
    if (space.family !== 'chain') refuse(space, 'a width multiplier applies to chain spaces only');
    const ch = (n: number): number => makeDivisible(n * wm, 8);
    const scale = <T extends { channels: number }>(xs: T[]): T[] => xs.map((x) => ({ ...x, channels: ch(x.channels) }));
    const d = def as unknown as ChainSpaceDef;
    def = { ...def, stem: scale(d.stem), stages: scale(d.stages), head: scale(d.head) };
  }
  try {
    return family.create({ ...def, input: [c, v.side, v.side], classes: v.classes } as never, space.file);
  } catch (e) {
    if (e instanceof InputError) refuse(space, `it cannot be built at the data's ${v.side}×${v.side} resolution${wm !== 1 ? ` and width ×${wm}` : ''} (${e.reason})`);
    throw e;
  }
}

/** The supernet layout of `space`, or an `incompatible` {@link InputError} saying why it has none. */
export function supernetLayout(space: SearchSpace): SupernetLayout {
  const reason = FAMILY_REASONS[space.family];
  if (reason) refuse(space, reason);
  if (!isLayeredSpace(space)) refuse(space, 'its networks are not chains of layers');
  const d = space.decisions.length;
  if (d === 0) refuse(space, 'it has no decisions');
  const base: Genotype = space.decisions.map(() => 0);
  const last: Genotype = space.decisions.map((x) => x.choices.length - 1);
  const baseLayers = space.layers(base);
  const lastLayers = space.layers(last);
  const n = baseLayers.length;
  const positionOf = new Array<number>(d).fill(-1);
  const options: SpaceLayer[][] = baseLayers.map((l) => [l]);
  for (let k = 0; k < d; k++) {
    const choices = space.decisions[k]!.choices;
    // A decision with one choice picks nothing: its layer is fixed.
    if (choices.length === 1) continue;
    for (let c = 0; c < choices.length; c++) {
      const g = base.slice();
      g[k] = c;
      const ls = c === 0 ? baseLayers : space.layers(g);
      if (ls.length !== n) refuse(space, `decision ${space.decisions[k]!.name} changes the number of layers`);
      ls.forEach((l, p) => {
        if (!sameShape(l.inShape, baseLayers[p]!.inShape) || !sameShape(l.outShape, baseLayers[p]!.outShape)) {
          refuse(space, `decision ${space.decisions[k]!.name} changes the shape of layer ${p}`);
        }
        if (l.key === baseLayers[p]!.key) return;
        if (positionOf[k] !== -1 && positionOf[k] !== p) refuse(space, `decision ${space.decisions[k]!.name} changes more than one layer`);
        positionOf[k] = p;
      });
      if (c > 0 && positionOf[k] !== -1) options[positionOf[k]!]![c] = ls[positionOf[k]!]!;
    }
    const p = positionOf[k]!;
    // A decision whose choices all build the same layer still owns the position of its slot.
    if (p === -1) refuse(space, `decision ${space.decisions[k]!.name} changes no layer`);
    if (positionOf.indexOf(p) !== k) refuse(space, `decisions ${space.decisions[positionOf.indexOf(p)]!.name} and ${space.decisions[k]!.name} change the same layer`);
    // The block at a position must not depend on the other decisions: the last choice built on the
    // last genotype is the same layer as built on the first.
    if (lastLayers[p]!.key !== options[p]![choices.length - 1]!.key) refuse(space, `the block of decision ${space.decisions[k]!.name} depends on other decisions`);
  }
  const decisionAt = new Map(positionOf.flatMap((p, k) => (p < 0 ? [] : [[p, k] as const])));
  const positions: SupernetPosition[] = baseLayers.map((l, p) => ({
    decision: decisionAt.get(p) ?? -1,
    layers: options[p]!,
    inShape: l.inShape,
    outShape: l.outShape,
  }));
  return { space, positions, positionOf };
}
