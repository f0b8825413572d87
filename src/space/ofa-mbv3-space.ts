import { InputError } from '../errors.ts';
import type { Activation, ModelGraph, Shape } from '../graph/model-graph.ts';
import { composeLayers, makeLayer, type LayeredSpace, type SpaceLayer } from './layered-space.ts';
import { buildMobileBlock, hasResidual, makeDivisible, type MobileBlock } from './mobile-block.ts';
import { checkGenotype, type Decision, type Genotype } from './search-space.ts';
import type { SpaceFamily } from './space-family.ts';

/**
 * The `ofa-mbv3` family: the Once-for-All MobileNetV3 space (Cai et al., ICLR 2020, §3.2 / Fig. 2):
 * input resolution, per stage a depth, per layer a kernel and an expansion ratio. Skeleton: stem
 * conv 3×3 stride 2 + BN + act, a fixed inverted residual with expansion 1 (no 1×1 expansion conv,
 * identity residual), searchable stages (first layer with the stage stride, MBConv mid channels
 * `makeDivisible(in · expand, 8)`, squeeze-excite on `makeDivisible(mid / 4, 8)` channels with an
 * h-sigmoid gate where the stage has SE), head conv 1×1 + BN + act, global pool, conv 1×1 `mix`
 * (no BN, no bias) + act, linear.
 *
 * Layers beyond a stage's depth are inactive: their kernel and expansion genes do not change the
 * model, and {@link decode} sets them to 0. The space's `inputShape` is the largest resolution; a
 * model's graph has its own resolution as input.
 *
 * Arch string: `r<res>:` then the stages joined by `-`, each its active layers `k<kernel>e<expand>`
 * joined by `.`, e.g. `r224:k3e4.k5e6-k7e3.k3e3.k3e6-...`.
 */
export interface OfaMbv3SpaceDef {
  id: string;
  family: 'ofa-mbv3';
  description?: string;
  resolutions: number[];
  classes: number;
  stem: { channels: number; act: Activation };
  first: { channels: number; act: Activation };
  stages: { channels: number; stride: number; act: Activation; se: boolean }[];
  depths: number[];
  kernels: number[];
  expands: number[];
  head: { channels: number; mix: number; act: Activation };
}

const posInt = { type: 'integer', minimum: 1 };
const act = { enum: ['relu', 'relu6', 'hswish', 'swish'] };
const ints = { type: 'array', items: posInt, minItems: 1, uniqueItems: true };

/** JSON Schema of an `ofa-mbv3` space file. */
export const ofaMbv3Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'family', 'resolutions', 'classes', 'stem', 'first', 'stages', 'depths', 'kernels', 'expands', 'head'],
  properties: {
    $schema: { type: 'string' },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    family: { const: 'ofa-mbv3' },
    description: { type: 'string' },
    resolutions: ints,
    classes: posInt,
    stem: { type: 'object', additionalProperties: false, required: ['channels', 'act'], properties: { channels: posInt, act } },
    first: { type: 'object', additionalProperties: false, required: ['channels', 'act'], properties: { channels: posInt, act } },
    stages: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['channels', 'stride', 'act', 'se'],
        properties: { channels: posInt, stride: posInt, act, se: { type: 'boolean' } },
      },
    },
    depths: ints,
    kernels: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 9 }, minItems: 1, uniqueItems: true },
    expands: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 9 }, minItems: 1, uniqueItems: true },
    head: { type: 'object', additionalProperties: false, required: ['channels', 'mix', 'act'], properties: { channels: posInt, mix: posInt, act } },
  },
} as const;

class OfaMbv3Space implements LayeredSpace {
  readonly family = 'ofa-mbv3';
  readonly id: string;
  readonly inputShape: Shape;
  readonly classes: number;
  readonly decisions: readonly Decision[];
  private readonly maxDepth: number;

  constructor(private readonly def: OfaMbv3SpaceDef, readonly file: string) {
    this.id = def.id;
    this.classes = def.classes;
    const maxRes = Math.max(...def.resolutions);
    this.inputShape = [3, maxRes, maxRes];
    this.maxDepth = Math.max(...def.depths);
    const decisions: Decision[] = [{ name: 'resolution', choices: def.resolutions.map((r) => `r${r}`) }];
    def.stages.forEach((_, s) => decisions.push({ name: `stage${s}.depth`, choices: def.depths.map(String) }));
    def.stages.forEach((_, s) => {
      for (let l = 0; l < this.maxDepth; l++) {
        decisions.push({ name: `stage${s}.layer${l}.kernel`, choices: def.kernels.map((k) => `k${k}`) });
        decisions.push({ name: `stage${s}.layer${l}.expand`, choices: def.expands.map((e) => `e${e}`) });
      }
    });
    this.decisions = decisions;
    this.build(decisions.map(() => 0));
  }

  private depthAt(g: Genotype, s: number): number {
    return this.def.depths[g[1 + s]!]!;
  }

  private geneAt(s: number, l: number): number {
    return 1 + this.def.stages.length + 2 * (s * this.maxDepth + l);
  }

  encode(g: Genotype): string {
    checkGenotype(this, g);
    const stages = this.def.stages.map((_, s) => {
      const layers: string[] = [];
      for (let l = 0; l < this.depthAt(g, s); l++) {
        const i = this.geneAt(s, l);
        layers.push(`k${this.def.kernels[g[i]!]}e${this.def.expands[g[i + 1]!]}`);
      }
      return layers.join('.');
    });
    return `r${this.def.resolutions[g[0]!]}:${stages.join('-')}`;
  }

  decode(arch: string): Genotype {
    const d = this.def;
    const expected = `r<resolution>:<stage>-<stage>-... with ${d.stages.length} stages of ${d.depths.join('/')} layers k<kernel>e<expand> joined by "."; resolutions ${d.resolutions.join(', ')}, kernels ${d.kernels.join(', ')}, expands ${d.expands.join(', ')}`;
    const bad = (what: string): never => {
      throw new InputError('bad-arch', `malformed ${this.id} arch: ${what}`, { expected, actual: JSON.stringify(arch) });
    };
    const m = /^r(\d+):(.*)$/.exec(arch);
    if (!m) return bad('no r<resolution>: prefix');
    const g = new Array<number>(this.decisions.length).fill(0);
    g[0] = d.resolutions.indexOf(Number(m[1]));
    if (g[0] < 0) bad(`resolution ${m[1]}`);
    const stages = m[2]!.split('-');
    if (stages.length !== d.stages.length) bad(`${stages.length} stages`);
    stages.forEach((st, s) => {
      const layers = st.split('.');
      const di = d.depths.indexOf(layers.length);
      if (di < 0) bad(`stage ${s} has ${layers.length} layers`);
      g[1 + s] = di;
      layers.forEach((tok, l) => {
        const lm = /^k(\d+)e(\d+)$/.exec(tok);
        const ki = lm ? d.kernels.indexOf(Number(lm[1])) : -1;
        const ei = lm ? d.expands.indexOf(Number(lm[2])) : -1;
        if (ki < 0 || ei < 0) bad(`stage ${s} layer ${l} is "${tok}"`);
        g[this.geneAt(s, l)] = ki;
        g[this.geneAt(s, l) + 1] = ei;
      });
    });
    return g;
  }

  build(g: Genotype): ModelGraph {
    const r = this.def.resolutions[g[0]!]!;
    return composeLayers(`${this.id}:${this.encode(g)}`, [3, r, r], this.layers(g));
  }

  private stemLayer(res: number): SpaceLayer {
    const { channels, act } = this.def.stem;
    return makeLayer('stem', `stem[c3x${channels}s2${act}]`, [3, res, res], 2, (b, x) =>
      b.act(b.batchnorm(b.conv(x, channels, { kernel: 3, stride: 2 })), act));
  }

  private mbLayer(name: string, inShape: Shape, spec: MobileBlock & { op: 'mbconv' }, out: number, stride: number): SpaceLayer {
    const inC = inShape[0]!;
    const mid = spec.mid ?? inC * spec.expand;
    return makeLayer('block', name, inShape, stride, (b, x) => buildMobileBlock(b, x, spec, out, stride), {
      block: { op: 'mbconv', kernel: spec.kernel, stride, expand: spec.expand, mid, se: spec.se !== undefined, act: spec.act, residual: hasResidual(spec, inC, out, stride), groups: 1 },
    });
  }

  private firstLayer(inShape: Shape): SpaceLayer {
    const f = this.def.first;
    const spec = { op: 'mbconv' as const, kernel: 3, expand: 1, act: f.act, expandConv: false, groups: 1, residual: true };
    return this.mbLayer(`mb1_k3_${f.act}`, inShape, spec, f.channels, 1);
  }

  private stageLayer(s: number, inShape: Shape, kernel: number, expand: number, first: boolean): SpaceLayer {
    const st = this.def.stages[s]!;
    const mid = makeDivisible(inShape[0]! * expand, 8);
    const spec = {
      op: 'mbconv' as const, kernel, expand, mid, act: st.act, expandConv: false, groups: 1, residual: true,
      ...(st.se ? { se: { ratio: 0.25, of: 'mid' as const, gate: 'hsigmoid' as const } } : {}),
    };
    return this.mbLayer(`mb${expand}_k${kernel}${st.se ? '_se' : ''}_${st.act}`, inShape, spec, st.channels, first ? st.stride : 1);
  }

  private headLayer(inShape: Shape): SpaceLayer {
    const h = this.def.head;
    const classes = this.classes;
    return makeLayer('head', `head[c1x${h.channels}${h.act},gap,mix${h.mix}${h.act},fc${classes}]`, inShape, 1, (b, x) => {
      let y = b.act(b.batchnorm(b.conv(x, h.channels, { kernel: 1, pad: 0 })), h.act);
      y = b.act(b.conv(b.globalAvgPool(y), h.mix, { kernel: 1, pad: 0 }), h.act);
      return b.linear(b.flatten(y), classes, true);
    }, { head: { convs: [[h.channels, inShape[1]!, inShape[2]!]], mix: h.mix, classes } });
  }

  layers(g: Genotype): SpaceLayer[] {
    checkGenotype(this, g);
    const d = this.def;
    const out: SpaceLayer[] = [this.stemLayer(d.resolutions[g[0]!]!)];
    const last = (): Shape => out[out.length - 1]!.outShape;
    out.push(this.firstLayer(last()));
    d.stages.forEach((_, s) => {
      for (let l = 0; l < this.depthAt(g, s); l++) {
        const i = this.geneAt(s, l);
        out.push(this.stageLayer(s, last(), d.kernels[g[i]!]!, d.expands[g[i + 1]!]!, l === 0));
      }
    });
    out.push(this.headLayer(last()));
    return out;
  }

  allLayers(): SpaceLayer[] {
    const d = this.def;
    const found = new Map<string, SpaceLayer>();
    const add = (l: SpaceLayer): SpaceLayer => {
      if (!found.has(l.key)) found.set(l.key, l);
      return l;
    };
    for (const r of d.resolutions) {
      let shape = add(this.firstLayer(add(this.stemLayer(r)).outShape)).outShape;
      d.stages.forEach((_, s) => {
        let next = shape;
        for (const k of d.kernels) for (const e of d.expands) {
          next = add(this.stageLayer(s, shape, k, e, true)).outShape;
          if (this.maxDepth > 1) add(this.stageLayer(s, next, k, e, false));
        }
        shape = next;
      });
      add(this.headLayer(shape));
    }
    return [...found.values()];
  }
}

/** The `ofa-mbv3` family. */
export const ofaMbv3Family: SpaceFamily<OfaMbv3SpaceDef> = {
  name: 'ofa-mbv3',
  schema: ofaMbv3Schema,
  create: (def, file) => new OfaMbv3Space(def, file),
};
