import { InputError } from '../errors.ts';
import { convOutSize, type GraphBuilder, type Tensor } from '../graph/graph-builder.ts';
import type { Activation, ModelGraph, Shape } from '../graph/model-graph.ts';
import { composeLayers, makeLayer, type LayeredSpace, type SpaceLayer } from './layered-space.ts';
import { checkGenotype, type Decision, type Genotype } from './search-space.ts';
import type { SpaceFamily } from './space-family.ts';

/**
 * The `chain` family: a MobileNet-style chain (stem → stages of searchable layers → head → global
 * pool → linear). Each searchable layer picks one block from `choices`. The first layer of a stage
 * has the stage's stride and output channels; the others stride 1.
 *
 * Blocks:
 * - `identity`: nothing; where the stride is not 1 or the channels change it becomes conv 1×1 with
 *   that stride + BN (NAS-Bench-Macro's rule).
 * - `mbconv` (inverted residual, Sandler et al. 2018): conv 1×1 to in·expand + BN + act (left out
 *   when expand = 1 and `expandConvWhenOne` is false), depthwise k×k with the stride + BN + act,
 *   optional squeeze-excite, conv 1×1 to out + BN; residual add when stride 1 and in = out.
 *   With `groups` g > 1 both 1×1 convs are group convs and a channel shuffle follows the expansion
 *   (FBNet's `_g2` blocks, Wu et al. CVPR 2019, Fig. 3 / ShuffleNet, Zhang et al. 2018).
 *
 * A stage may fix its block (`block`: no decision) or give its first layer its own choices
 * (`firstChoices`, e.g. ProxylessNAS, where `zero` is offered only where the residual applies).
 */
export interface ChainLayerSpec {
  op: 'conv';
  channels: number;
  kernel: number;
  /** @defaultValue 1 */
  stride?: number;
  /** @defaultValue 'relu' */
  act?: Activation | 'none';
}

export type ChainBlockSpec =
  | { op: 'identity' }
  | {
      op: 'mbconv';
      expand: number;
      kernel: number;
      /** @defaultValue 'relu' */
      act?: Activation;
      /** Squeeze-excite ratio of the mid channels (0 = none). @defaultValue 0 */
      se?: number;
      /** Whether expand = 1 still has its 1×1 expansion conv. @defaultValue false */
      expandConvWhenOne?: boolean;
      /** Groups of both 1×1 convs; channel shuffle after the expansion when > 1. @defaultValue 1 */
      groups?: number;
    };

export interface ChainSpaceDef {
  id: string;
  family: 'chain';
  description?: string;
  input: [number, number, number];
  classes: number;
  stem: ChainLayerSpec[];
  stages: {
    layers: number;
    channels: number;
    stride: number;
    /** Choices of this stage's layers. @defaultValue the space's `choices` */
    choices?: string[];
    /** Choices of the stage's first layer. @defaultValue the stage's choices */
    firstChoices?: string[];
    /** A fixed block for every layer of the stage: no decision, not in the arch string. */
    block?: string;
  }[];
  blocks: Record<string, ChainBlockSpec>;
  choices: string[];
  head: ChainLayerSpec[];
  /** `digits`: one digit (choice index) per layer; `names`: block names joined by `separator`. */
  encoding: { kind: 'digits' } | { kind: 'names'; separator: string };
}

const act = { enum: ['relu', 'relu6', 'hswish', 'hsigmoid', 'sigmoid', 'swish', 'none'] };
const posInt = { type: 'integer', minimum: 1 };
const layer = {
  type: 'object',
  additionalProperties: false,
  required: ['op', 'channels', 'kernel'],
  properties: { op: { const: 'conv' }, channels: posInt, kernel: posInt, stride: posInt, act },
};

/** JSON Schema of a `chain` space file. */
export const chainSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'family', 'input', 'classes', 'stem', 'stages', 'blocks', 'choices', 'head', 'encoding'],
  properties: {
    $schema: { type: 'string' },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    family: { const: 'chain' },
    description: { type: 'string' },
    input: { type: 'array', items: posInt, minItems: 3, maxItems: 3 },
    classes: posInt,
    stem: { type: 'array', items: layer },
    stages: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['layers', 'channels', 'stride'],
        properties: {
          layers: posInt, channels: posInt, stride: posInt,
          choices: { type: 'array', items: { type: 'string' }, minItems: 1 },
          firstChoices: { type: 'array', items: { type: 'string' }, minItems: 1 },
          block: { type: 'string' },
        },
      },
    },
    blocks: {
      type: 'object', minProperties: 1,
      additionalProperties: {
        type: 'object', required: ['op'],
        properties: { op: { enum: ['identity', 'mbconv'] } },
        if: { properties: { op: { const: 'mbconv' } } },
        then: {
          additionalProperties: false, required: ['op', 'expand', 'kernel'],
          properties: { op: true, expand: posInt, kernel: posInt, act, se: { type: 'number', minimum: 0, maximum: 1 }, expandConvWhenOne: { type: 'boolean' }, groups: posInt },
        },
        else: { additionalProperties: false, properties: { op: true } },
      },
    },
    choices: { type: 'array', items: { type: 'string' }, minItems: 1 },
    head: { type: 'array', items: layer },
    encoding: {
      type: 'object', required: ['kind'],
      properties: { kind: { enum: ['digits', 'names'] }, separator: { type: 'string', minLength: 1 } },
      if: { properties: { kind: { const: 'names' } } },
      then: { required: ['kind', 'separator'] },
    },
  },
} as const;

function conv(b: GraphBuilder, x: Tensor, l: ChainLayerSpec): Tensor {
  let y = b.batchnorm(b.conv(x, l.channels, { kernel: l.kernel, stride: l.stride ?? 1 }));
  const a = l.act ?? 'relu';
  if (a !== 'none') y = b.act(y, a);
  return y;
}

function block(b: GraphBuilder, x: Tensor, spec: ChainBlockSpec, out: number, stride: number): Tensor {
  const inC = x.shape[0]!;
  if (spec.op === 'identity') {
    if (stride === 1 && inC === out) return x;
    return b.batchnorm(b.conv(x, out, { kernel: 1, stride, pad: 0 }));
  }
  const a = spec.act ?? 'relu';
  const mid = inC * spec.expand;
  const groups = spec.groups ?? 1;
  let y = x;
  if (spec.expand !== 1 || spec.expandConvWhenOne) {
    y = b.act(b.batchnorm(b.conv(y, mid, { kernel: 1, pad: 0, groups })), a);
    if (groups > 1) y = b.channelShuffle(y, groups);
  }
  y = b.act(b.batchnorm(b.conv(y, mid, { kernel: spec.kernel, stride, groups: mid })), a);
  if (spec.se && spec.se > 0) {
    // Squeeze-excite (Hu et al. 2018): pool → 1×1 reduce + ReLU → 1×1 expand + sigmoid → scale.
    const r = Math.max(1, Math.round(mid * spec.se));
    let s = b.globalAvgPool(y);
    s = b.act(b.conv(s, r, { kernel: 1, pad: 0, bias: true }), 'relu');
    s = b.act(b.conv(s, mid, { kernel: 1, pad: 0, bias: true }), 'sigmoid');
    y = b.mul(y, s);
  }
  y = b.batchnorm(b.conv(y, out, { kernel: 1, pad: 0, groups }));
  return stride === 1 && inC === out ? b.add(y, x) : y;
}

function convName(l: ChainLayerSpec): string {
  return `c${l.kernel}x${l.channels}s${l.stride ?? 1}${l.act ?? 'relu'}`;
}

class ChainSpace implements LayeredSpace {
  readonly family = 'chain';
  readonly decisions: readonly Decision[];
  readonly id: string;
  readonly inputShape: readonly number[];
  readonly classes: number;
  /** Every block layer of the skeleton; `decision` is the index of its decision, or -1 if fixed. */
  private readonly slots: { stride: number; channels: number; decision: number; fixed?: string }[] = [];

  constructor(private readonly def: ChainSpaceDef, readonly file: string) {
    this.id = def.id;
    this.inputShape = def.input;
    this.classes = def.classes;
    const decisions: Decision[] = [];
    const checkBlock = (c: string, path: string): void => {
      if (!def.blocks[c]) {
        throw new InputError('schema', 'choice names no block', { file, path, expected: `one of ${JSON.stringify(Object.keys(def.blocks))}`, actual: JSON.stringify(c) });
      }
    };
    def.stages.forEach((st, si) => {
      const choices = st.choices ?? def.choices;
      choices.forEach((c, ci) => checkBlock(c, st.choices ? `/stages/${si}/choices/${ci}` : `/choices/${ci}`));
      st.firstChoices?.forEach((c, ci) => checkBlock(c, `/stages/${si}/firstChoices/${ci}`));
      if (st.block !== undefined) checkBlock(st.block, `/stages/${si}/block`);
      for (let l = 0; l < st.layers; l++) {
        const stride = l === 0 ? st.stride : 1;
        if (st.block !== undefined) {
          this.slots.push({ stride, channels: st.channels, decision: -1, fixed: st.block });
          continue;
        }
        this.slots.push({ stride, channels: st.channels, decision: decisions.length });
        decisions.push({ name: `layer${decisions.length}`, choices: l === 0 && st.firstChoices ? st.firstChoices : choices });
      }
    });
    if (def.encoding.kind === 'digits' && decisions.some((d) => d.choices.length > 10)) {
      throw new InputError('schema', 'digits encoding needs at most 10 choices per layer', { file, path: '/encoding/kind' });
    }
    this.decisions = decisions;
    // Fail at load, not at search time, if the skeleton cannot be built.
    this.build(decisions.map(() => 0));
  }

  encode(g: Genotype): string {
    checkGenotype(this, g);
    if (this.def.encoding.kind === 'digits') return g.join('');
    const sep = this.def.encoding.separator;
    return g.map((v, i) => this.decisions[i]!.choices[v]!).join(sep);
  }

  decode(arch: string): Genotype {
    const n = this.decisions.length;
    const parts = this.def.encoding.kind === 'digits' ? [...arch] : arch.split(this.def.encoding.separator);
    const expected = this.def.encoding.kind === 'digits' ? `${n} digits` : `${n} block names joined by "${this.def.encoding.separator}"`;
    if (parts.length !== n) throw new InputError('bad-arch', `malformed ${this.id} arch`, { expected, actual: JSON.stringify(arch) });
    return parts.map((p, i) => {
      const choices = this.decisions[i]!.choices;
      const v = this.def.encoding.kind === 'digits' ? (/^\d$/.test(p) ? Number(p) : -1) : choices.indexOf(p);
      if (v < 0 || v >= choices.length) {
        const allowed = this.def.encoding.kind === 'digits' ? `a digit 0-${choices.length - 1}` : `one of ${choices.join(', ')}`;
        throw new InputError('bad-arch', `malformed ${this.id} arch: layer ${i} is "${p}"`, { expected: allowed, actual: JSON.stringify(arch) });
      }
      return v;
    });
  }

  build(g: Genotype): ModelGraph {
    return composeLayers(`${this.id}:${this.encode(g)}`, this.inputShape, this.layers(g));
  }

  allLayers(): SpaceLayer[] {
    // Every block keeps its stage's output shape, so each slot sees one input shape: the layers of
    // genotype 0 give it; each slot then takes every one of its choices.
    const base = this.layers(this.decisions.map(() => 0));
    const found = new Map<string, SpaceLayer>();
    const add = (l: SpaceLayer): void => void (found.has(l.key) || found.set(l.key, l));
    const stemCount = this.def.stem.length > 0 ? 1 : 0;
    base.forEach((l, i) => {
      const slot = this.slots[i - stemCount];
      if (l.role !== 'block' || !slot || slot.fixed !== undefined) return add(l);
      for (const name of this.decisions[slot.decision]!.choices) add(this.blockLayer(name, l.inShape, slot.channels, slot.stride));
    });
    return [...found.values()];
  }

  private blockLayer(name: string, shape: Shape, channels: number, stride: number): SpaceLayer {
    const spec = this.def.blocks[name]!;
    const inC = shape[0]!;
    const facts = spec.op === 'identity'
      ? { op: 'skip' as const, kernel: 1, stride, expand: 1, mid: inC, se: false, act: 'none' as const, residual: false, groups: 1 }
      : {
          op: 'mbconv' as const, kernel: spec.kernel, stride, expand: spec.expand, mid: inC * spec.expand,
          se: (spec.se ?? 0) > 0, act: spec.act ?? 'relu', residual: stride === 1 && inC === channels, groups: spec.groups ?? 1,
        };
    return makeLayer('block', name, shape, stride, (b, x) => block(b, x, spec, channels, stride), { block: facts });
  }

  layers(g: Genotype): SpaceLayer[] {
    checkGenotype(this, g);
    const out: SpaceLayer[] = [];
    const stem = this.def.stem;
    let shape: Shape = this.inputShape;
    const push = (l: SpaceLayer): void => {
      out.push(l);
      shape = l.outShape;
    };
    if (stem.length > 0) {
      const stride = stem.reduce((s, l) => s * (l.stride ?? 1), 1);
      push(makeLayer('stem', `stem[${stem.map(convName).join(',')}]`, shape, stride, (b, x) => stem.reduce((y, l) => conv(b, y, l), x)));
    }
    for (const slot of this.slots) {
      const name = slot.fixed ?? this.decisions[slot.decision]!.choices[g[slot.decision]!]!;
      push(this.blockLayer(name, shape, slot.channels, slot.stride));
    }
    const head = this.def.head;
    const headIn = shape;
    const convs: Shape[] = [];
    let h = headIn;
    for (const l of head) {
      const s = l.stride ?? 1;
      const p = l.kernel >> 1;
      h = [l.channels, convOutSize(h[1]!, l.kernel, s, p), convOutSize(h[2]!, l.kernel, s, p)];
      convs.push(h);
    }
    const classes = this.classes;
    push(makeLayer('head', `head[${[...head.map(convName), `gap`, `fc${classes}`].join(',')}]`, headIn, 1, (b, x) => {
      const y = head.reduce((t, l) => conv(b, t, l), x);
      return b.linear(b.flatten(b.globalAvgPool(y)), classes, true);
    }, { head: { convs, classes } }));
    return out;
  }
}

/** The `chain` family (NAS-Bench-Macro, and MobileNet-like chains). */
export const chainFamily: SpaceFamily<ChainSpaceDef> = {
  name: 'chain',
  schema: chainSchema,
  create: (def, file) => new ChainSpace(def, file),
};
