import { InputError } from '../../errors.ts';
import type { ModelGraph } from '../../graph/model-graph.ts';
import { chainFamily, type ChainSpaceDef } from '../../space/chain-space.ts';
import type { SearchSpace } from '../../space/search-space.ts';
import { readJsonFile } from '../../util/json-file.ts';

/**
 * The pieces of a `chain`-family space as separate graphs, for a layer-wise supernet (FBNet, Wu et
 * al., CVPR 2019, §3.1): the stem, one graph per (searchable layer, candidate block), and the head
 * (head convs + global pool + linear). Each piece is built by the space's own family code from a
 * one-layer space derived from the space file, so a block here is exactly the block of a sampled
 * architecture. Options shrink the network for fast proxy search.
 */
export interface ChainPieces {
  stem: ModelGraph;
  /** `blocks[l][c]`: candidate `c` of layer `l`, input = that layer's input shape. */
  blocks: ModelGraph[][];
  head: ModelGraph;
  /** Input shape `[C, H, W]` of the (possibly shrunk) network. */
  input: readonly number[];
}

export interface ShrinkOptions {
  /** Multiplies every channel count (rounded, at least 1). @defaultValue 1 */
  widthMultiplier?: number;
  /** Input side (H = W) instead of the space's. @defaultValue the space's */
  inputSize?: number;
  /** Input channels instead of the space's. @defaultValue the space's */
  inputChannels?: number;
}

/** Cut a graph before its global pool: the value feeding the pool becomes the output. */
function cutBeforePool(g: ModelGraph): ModelGraph {
  const k = g.nodes.findIndex((n) => n.op === 'globalavgpool');
  if (k < 0) throw new Error(`${g.name} has no global pool to cut at`);
  return { name: g.name, input: g.input, nodes: g.nodes.slice(0, k), output: g.nodes[k]!.inputs[0]! };
}

/** Split a `chain` space into supernet pieces; any other family is an `incompatible` InputError. */
export function chainPieces(space: SearchSpace, o: ShrinkOptions = {}): ChainPieces {
  if (space.family !== 'chain') {
    throw new InputError('incompatible', `DNAS needs a layer-wise (chain family) space`, { path: '--space', expected: 'a chain-family space such as nasbench-macro', actual: `${space.id} (${space.family})` });
  }
  const def = readJsonFile(space.file) as ChainSpaceDef;
  const wm = o.widthMultiplier ?? 1;
  const ch = (c: number): number => Math.max(1, Math.round(c * wm));
  const input: [number, number, number] = [o.inputChannels ?? def.input[0], o.inputSize ?? def.input[1], o.inputSize ?? def.input[2]];
  const piece = (id: string, inShape: readonly number[], part: Partial<ChainSpaceDef>): ModelGraph => {
    const d: ChainSpaceDef = { ...def, id, input: inShape as [number, number, number], stem: [], head: [], ...part };
    const s = chainFamily.create(d, space.file);
    return s.build(s.decisions.map(() => 0));
  };
  const stemOut = def.stem.length > 0 ? ch(def.stem[def.stem.length - 1]!.channels) : input[0];
  // Stem: the real stem, then one identity layer that keeps its shape.
  const stem = cutBeforePool(piece(`${def.id}-stem`, input, {
    stem: def.stem.map((l) => ({ ...l, channels: ch(l.channels) })),
    stages: [{ layers: 1, channels: stemOut, stride: 1, choices: ['__id'] }],
    blocks: { ...def.blocks, __id: { op: 'identity' } },
  }));
  let shape = stem.nodes.length > 0 ? stem.nodes.find((n) => n.id === stem.output)?.shape ?? input : input;
  const blocks: ModelGraph[][] = [];
  for (const [si, st] of def.stages.entries()) {
    for (let l = 0; l < st.layers; l++) {
      const choices = st.choices ?? def.choices;
      const row = choices.map((c) => {
        const g = cutBeforePool(piece(`${def.id}-s${si}l${l}-${c}`, shape, {
          stages: [{ layers: 1, channels: ch(st.channels), stride: l === 0 ? st.stride : 1, choices: [c] }],
        }));
        return g;
      });
      blocks.push(row);
      const first = row[0]!;
      shape = first.output === 'input' ? shape : first.nodes.find((n) => n.id === first.output)!.shape;
    }
  }
  const headFull = piece(`${def.id}-head`, shape, {
    head: def.head.map((l) => ({ ...l, channels: ch(l.channels) })),
    stages: [{ layers: 1, channels: shape[0]!, stride: 1, choices: ['__id'] }],
    blocks: { ...def.blocks, __id: { op: 'identity' } },
  });
  return { stem, blocks, head: headFull, input };
}
