import { InputError } from '../errors.ts';
import { GraphBuilder, type Tensor } from '../graph/graph-builder.ts';
import type { Activation, ModelGraph } from '../graph/model-graph.ts';
import { checkGenotype, type Decision, type Genotype, type SearchSpace } from './search-space.ts';
import type { SpaceFamily } from './space-registry.ts';

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
    };

export interface ChainSpaceDef {
  id: string;
  family: 'chain';
  description?: string;
  input: [number, number, number];
  classes: number;
  stem: ChainLayerSpec[];
  stages: { layers: number; channels: number; stride: number; choices?: string[] }[];
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
        properties: { layers: posInt, channels: posInt, stride: posInt, choices: { type: 'array', items: { type: 'string' }, minItems: 1 } },
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
          properties: { op: true, expand: posInt, kernel: posInt, act, se: { type: 'number', minimum: 0, maximum: 1 }, expandConvWhenOne: { type: 'boolean' } },
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
  let y = x;
  if (spec.expand !== 1 || spec.expandConvWhenOne) y = b.act(b.batchnorm(b.conv(y, mid, { kernel: 1, pad: 0 })), a);
  y = b.act(b.batchnorm(b.conv(y, mid, { kernel: spec.kernel, stride, groups: mid })), a);
  if (spec.se && spec.se > 0) {
    // Squeeze-excite (Hu et al. 2018): pool → 1×1 reduce + ReLU → 1×1 expand + sigmoid → scale.
    const r = Math.max(1, Math.round(mid * spec.se));
    let s = b.globalAvgPool(y);
    s = b.act(b.conv(s, r, { kernel: 1, pad: 0, bias: true }), 'relu');
    s = b.act(b.conv(s, mid, { kernel: 1, pad: 0, bias: true }), 'sigmoid');
    y = b.mul(y, s);
  }
  y = b.batchnorm(b.conv(y, out, { kernel: 1, pad: 0 }));
  return stride === 1 && inC === out ? b.add(y, x) : y;
}

class ChainSpace implements SearchSpace {
  readonly family = 'chain';
  readonly decisions: readonly Decision[];
  readonly id: string;
  readonly inputShape: readonly number[];
  readonly classes: number;
  private readonly layers: { stride: number; channels: number }[] = [];

  constructor(private readonly def: ChainSpaceDef, readonly file: string) {
    this.id = def.id;
    this.inputShape = def.input;
    this.classes = def.classes;
    const decisions: Decision[] = [];
    def.stages.forEach((st, si) => {
      const choices = st.choices ?? def.choices;
      choices.forEach((c, ci) => {
        if (!def.blocks[c]) {
          throw new InputError('schema', 'choice names no block', { file, path: st.choices ? `/stages/${si}/choices/${ci}` : `/choices/${ci}`, expected: `one of ${JSON.stringify(Object.keys(def.blocks))}`, actual: JSON.stringify(c) });
        }
      });
      for (let l = 0; l < st.layers; l++) {
        this.layers.push({ stride: l === 0 ? st.stride : 1, channels: st.channels });
        decisions.push({ name: `layer${decisions.length}`, choices });
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
    checkGenotype(this, g);
    const b = new GraphBuilder(`${this.id}:${this.encode(g)}`, this.inputShape);
    let x = b.input;
    for (const l of this.def.stem) x = conv(b, x, l);
    this.layers.forEach((l, i) => {
      const name = this.decisions[i]!.choices[g[i]!]!;
      x = block(b, x, this.def.blocks[name]!, l.channels, l.stride);
    });
    for (const l of this.def.head) x = conv(b, x, l);
    x = b.linear(b.flatten(b.globalAvgPool(x)), this.classes, true);
    return b.build(x);
  }
}

/** The `chain` family (NAS-Bench-Macro, and MobileNet-like chains). */
export const chainFamily: SpaceFamily<ChainSpaceDef> = {
  name: 'chain',
  schema: chainSchema,
  create: (def, file) => new ChainSpace(def, file),
};
