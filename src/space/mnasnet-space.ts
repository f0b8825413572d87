import { InputError } from '../errors.ts';
import { convOutSize, type GraphBuilder, type Tensor } from '../graph/graph-builder.ts';
import type { Activation, ModelGraph, Shape } from '../graph/model-graph.ts';
import { composeLayers, makeLayer, type LayeredSpace, type SpaceLayer } from './layered-space.ts';
import { buildMobileBlock, hasResidual, makeDivisible, midChannels, type MobileBlock } from './mobile-block.ts';
import { checkGenotype, type Decision, type Genotype } from './search-space.ts';
import type { SpaceFamily } from './space-family.ts';

/**
 * The `mnasnet` family: MnasNet's factorized hierarchical space (Tan et al., CVPR 2019, §4, Fig. 4)
 * on a MobileNetV2 skeleton. The network is split into blocks; each block picks, for all its
 * layers at once: conv op, kernel, squeeze-excite ratio, skip op, layer count (relative to the
 * skeleton) and width (multiplier of the skeleton's channels). The first layer of a block has the
 * block's stride and output channels; the others stride 1.
 *
 * Conv ops: `conv` (k×k conv + BN + act), `dconv` (depthwise k×k + BN + act, 1×1 + BN), `e<N>`
 * (inverted residual with expansion N). Skip ops: `id` (identity residual where stride 1 and the
 * channels match), `no` (none). SE reduces to `max(1, floor(in · ratio))` channels of the layer
 * input (TF MnasNet reference) with a sigmoid gate. Channels: `makeDivisible(channels · width, 8)`
 * (MobileNetV2's rounding: nearest multiple of 8, at least 8, never below 90 % of the exact value).
 * Layer counts below 1 are not offered (a block never vanishes).
 *
 * Arch string: one token per block joined by `-`, each
 * `<op>k<kernel>se<ratio·100><id|no><±layers>w<width·100>`, e.g. `e6k5se25id+1w100`.
 */
export interface MnasnetSpaceDef {
  id: string;
  family: 'mnasnet';
  description?: string;
  input: [number, number, number];
  classes: number;
  stem: { channels: number; kernel: number; stride: number };
  /** Skeleton blocks (MobileNetV2: 7 blocks). */
  blocks: { layers: number; channels: number; stride: number }[];
  ops: string[];
  kernels: number[];
  /** Squeeze-excite ratios; 0 = none. */
  seRatios: number[];
  skips: ('id' | 'no')[];
  /** Layer count deltas relative to the skeleton. */
  layerDeltas: number[];
  widths: number[];
  head: { channels: number };
  /** @defaultValue 'relu' */
  act?: Activation;
}

const posInt = { type: 'integer', minimum: 1 };
const nonEmpty = (items: object) => ({ type: 'array', items, minItems: 1, uniqueItems: true });

/** JSON Schema of a `mnasnet` space file. */
export const mnasnetSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'family', 'input', 'classes', 'stem', 'blocks', 'ops', 'kernels', 'seRatios', 'skips', 'layerDeltas', 'widths', 'head'],
  properties: {
    $schema: { type: 'string' },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    family: { const: 'mnasnet' },
    description: { type: 'string' },
    input: { type: 'array', items: posInt, minItems: 3, maxItems: 3 },
    classes: posInt,
    stem: { type: 'object', additionalProperties: false, required: ['channels', 'kernel', 'stride'], properties: { channels: posInt, kernel: posInt, stride: posInt } },
    blocks: {
      type: 'array', minItems: 1,
      items: { type: 'object', additionalProperties: false, required: ['layers', 'channels', 'stride'], properties: { layers: posInt, channels: posInt, stride: posInt } },
    },
    ops: nonEmpty({ type: 'string', pattern: '^(conv|dconv|e[1-9])$' }),
    kernels: nonEmpty({ type: 'integer', minimum: 1, maximum: 9 }),
    seRatios: nonEmpty({ type: 'number', minimum: 0, maximum: 0.99 }),
    skips: nonEmpty({ enum: ['id', 'no'] }),
    layerDeltas: nonEmpty({ type: 'integer', minimum: -9, maximum: 9 }),
    widths: nonEmpty({ type: 'number', exclusiveMinimum: 0, maximum: 9.99 }),
    head: { type: 'object', additionalProperties: false, required: ['channels'], properties: { channels: posInt } },
    act: { enum: ['relu', 'relu6', 'hswish', 'swish'] },
  },
} as const;

/** Decision slots per block, in genotype order. */
const FIELDS = ['op', 'kernel', 'se', 'skip', 'layers', 'width'] as const;

const pct = (x: number): number => Math.round(x * 100);
const signed = (d: number): string => (d < 0 ? `${d}` : `+${d}`);

interface BlockChoice {
  op: string;
  kernel: number;
  se: number;
  skip: 'id' | 'no';
  layers: number;
  width: number;
}

class MnasnetSpace implements LayeredSpace {
  readonly family = 'mnasnet';
  readonly id: string;
  readonly inputShape: Shape;
  readonly classes: number;
  readonly decisions: readonly Decision[];
  /** Per block: the allowed layer deltas (those leaving at least one layer). */
  private readonly deltas: number[][];
  private readonly act: Activation;

  constructor(private readonly def: MnasnetSpaceDef, readonly file: string) {
    this.id = def.id;
    this.inputShape = def.input;
    this.classes = def.classes;
    this.act = def.act ?? 'relu';
    if (new Set(def.seRatios.map(pct)).size !== def.seRatios.length || new Set(def.widths.map(pct)).size !== def.widths.length) {
      throw new InputError('schema', 'SE ratios and widths must differ in their first two decimals', { file, path: '/seRatios' });
    }
    this.deltas = def.blocks.map((b, i) => {
      const ds = def.layerDeltas.filter((d) => b.layers + d >= 1);
      if (ds.length === 0) throw new InputError('schema', 'no layer delta leaves this block a layer', { file, path: `/blocks/${i}/layers` });
      return ds;
    });
    const decisions: Decision[] = [];
    def.blocks.forEach((_, i) => {
      decisions.push({ name: `block${i}.op`, choices: def.ops });
      decisions.push({ name: `block${i}.kernel`, choices: def.kernels.map((k) => `k${k}`) });
      decisions.push({ name: `block${i}.se`, choices: def.seRatios.map((r) => `se${pct(r)}`) });
      decisions.push({ name: `block${i}.skip`, choices: def.skips });
      decisions.push({ name: `block${i}.layers`, choices: this.deltas[i]!.map(signed) });
      decisions.push({ name: `block${i}.width`, choices: def.widths.map((w) => `w${pct(w)}`) });
    });
    this.decisions = decisions;
    this.build(decisions.map(() => 0));
  }

  private choice(g: Genotype, i: number): BlockChoice {
    const at = (f: number): number => g[i * FIELDS.length + f]!;
    return {
      op: this.def.ops[at(0)]!,
      kernel: this.def.kernels[at(1)]!,
      se: this.def.seRatios[at(2)]!,
      skip: this.def.skips[at(3)]!,
      layers: this.def.blocks[i]!.layers + this.deltas[i]![at(4)]!,
      width: this.def.widths[at(5)]!,
    };
  }

  encode(g: Genotype): string {
    checkGenotype(this, g);
    return this.def.blocks
      .map((_, i) => FIELDS.map((__, f) => this.decisions[i * FIELDS.length + f]!.choices[g[i * FIELDS.length + f]!]!))
      .map(([op, k, se, skip, layers, w]) => `${op}${k}${se}${skip}${layers}${w}`)
      .join('-');
  }

  decode(arch: string): Genotype {
    const n = this.def.blocks.length;
    const tokens = arch.split('-');
    // A negative layer delta also contains '-': re-join a token that starts with a digit.
    const merged: string[] = [];
    for (const t of tokens) {
      if (/^\d/.test(t) && merged.length > 0) merged[merged.length - 1] += `-${t}`;
      else merged.push(t);
    }
    const expected = `${n} block tokens <op>k<kernel>se<ratio%><id|no><±layers>w<width%> joined by "-", e.g. e6k5se25id+1w100`;
    if (merged.length !== n) throw new InputError('bad-arch', `malformed ${this.id} arch: ${merged.length} blocks`, { expected, actual: JSON.stringify(arch) });
    const g: number[] = [];
    merged.forEach((tok, i) => {
      const m = /^([a-z0-9]+?)(k\d+)(se\d+)(id|no)([+-]\d+)(w\d+)$/.exec(tok);
      const parts = m ? m.slice(1) : [];
      const idx = parts.map((p, f) => this.decisions[i * FIELDS.length + f]!.choices.indexOf(p));
      if (!m || idx.some((v) => v < 0)) {
        const bad = m ? FIELDS[idx.findIndex((v) => v < 0)]! : 'token';
        const allowed = m ? this.decisions[i * FIELDS.length + FIELDS.indexOf(bad as (typeof FIELDS)[number])]!.choices.join(', ') : expected;
        throw new InputError('bad-arch', `malformed ${this.id} arch: block ${i} ${bad} in "${tok}"`, { expected: m ? `one of ${allowed}` : expected, actual: JSON.stringify(arch) });
      }
      g.push(...idx);
    });
    return g;
  }

  private mobileBlock(c: BlockChoice): MobileBlock {
    const se = c.se > 0 ? { ratio: c.se, of: 'in' as const, gate: 'sigmoid' as const } : undefined;
    const residual = c.skip === 'id';
    const base = { kernel: c.kernel, act: this.act, residual, ...(se ? { se } : {}) };
    if (c.op === 'conv') return { op: 'conv', ...base };
    if (c.op === 'dconv') return { op: 'dwsep', ...base };
    return { op: 'mbconv', ...base, expand: Number(c.op.slice(1)), expandConv: false, groups: 1 };
  }

  build(g: Genotype): ModelGraph {
    return composeLayers(`${this.id}:${this.encode(g)}`, this.inputShape, this.layers(g));
  }

  private stemLayer(): SpaceLayer {
    const st = this.def.stem;
    const act = this.act;
    return makeLayer('stem', `stem[c${st.kernel}x${st.channels}s${st.stride}${act}]`, this.inputShape, st.stride, (b, x) =>
      b.act(b.batchnorm(b.conv(x, st.channels, { kernel: st.kernel, stride: st.stride })), act));
  }

  /** One block layer; its name says `id` only where the residual really applies. */
  private blockLayer(c: Omit<BlockChoice, 'layers' | 'width'>, inShape: Shape, channels: number, stride: number): SpaceLayer {
    const spec = this.mobileBlock({ ...c, layers: 1, width: 1 });
    const inC = inShape[0]!;
    const residual = hasResidual(spec, inC, channels, stride);
    const name = `${c.op}k${c.kernel}se${pct(c.se)}${residual ? 'id' : 'no'}`;
    return makeLayer('block', name, inShape, stride, (b: GraphBuilder, x: Tensor) => buildMobileBlock(b, x, spec, channels, stride), {
      block: {
        op: spec.op, kernel: c.kernel, stride, expand: spec.op === 'mbconv' ? spec.expand : 1, mid: midChannels(spec, inC),
        se: c.se > 0, act: this.act, residual, groups: 1,
      },
    });
  }

  private headLayer(headIn: Shape): SpaceLayer {
    const act = this.act;
    const hc = this.def.head.channels;
    const classes = this.classes;
    return makeLayer('head', `head[c1x${hc}s1${act},gap,fc${classes}]`, headIn, 1, (b, x) => {
      const y = b.act(b.batchnorm(b.conv(x, hc, { kernel: 1, pad: 0 })), act);
      return b.linear(b.flatten(b.globalAvgPool(y)), classes, true);
    }, { head: { convs: [[hc, convOutSize(headIn[1]!, 1, 1, 0), convOutSize(headIn[2]!, 1, 1, 0)]], classes } });
  }

  layers(g: Genotype): SpaceLayer[] {
    checkGenotype(this, g);
    const out: SpaceLayer[] = [this.stemLayer()];
    this.def.blocks.forEach((blk, i) => {
      const c = this.choice(g, i);
      const channels = makeDivisible(blk.channels * c.width, 8);
      for (let l = 0; l < c.layers; l++) {
        out.push(this.blockLayer(c, out[out.length - 1]!.outShape, channels, l === 0 ? blk.stride : 1));
      }
    });
    out.push(this.headLayer(out[out.length - 1]!.outShape));
    return out;
  }

  allLayers(): SpaceLayer[] {
    const d = this.def;
    const found = new Map<string, SpaceLayer>();
    const add = (l: SpaceLayer): void => void (found.has(l.key) || found.set(l.key, l));
    const stem = this.stemLayer();
    add(stem);
    let inShapes: Shape[] = [stem.outShape];
    for (const blk of d.blocks) {
      const outShapes = new Map<string, Shape>();
      for (const w of d.widths) {
        const channels = makeDivisible(blk.channels * w, 8);
        for (const op of d.ops) for (const kernel of d.kernels) for (const se of d.seRatios) for (const skip of d.skips) {
          const c = { op, kernel, se, skip };
          let rest: Shape | undefined;
          for (const inShape of inShapes) {
            const first = this.blockLayer(c, inShape, channels, blk.stride);
            add(first);
            rest = first.outShape;
            outShapes.set(shapeKeyOf(rest), rest);
          }
          if (rest && Math.max(...d.layerDeltas.map((x) => blk.layers + x)) > 1) add(this.blockLayer(c, rest, channels, 1));
        }
      }
      inShapes = [...outShapes.values()];
    }
    for (const s of inShapes) add(this.headLayer(s));
    return [...found.values()];
  }
}

const shapeKeyOf = (s: Shape): string => s.join('x');

/** The `mnasnet` family. */
export const mnasnetFamily: SpaceFamily<MnasnetSpaceDef> = {
  name: 'mnasnet',
  schema: mnasnetSchema,
  create: (def, file) => new MnasnetSpace(def, file),
};
