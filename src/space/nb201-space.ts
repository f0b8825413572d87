import { InputError } from '../errors.ts';
import { GraphBuilder, type Tensor } from '../graph/graph-builder.ts';
import type { ModelGraph } from '../graph/model-graph.ts';
import { checkGenotype, type Decision, type Genotype, type SearchSpace } from './search-space.ts';
import type { SpaceFamily } from './space-family.ts';

/**
 * The `nb201-cell` family: the NAS-Bench-201 network (Dong & Yang, ICLR 2020, Fig. 1).
 * Stem conv 3×3 + BN; stages of `cellsPerStage` identical cells at each width in `stageChannels`,
 * separated by residual reduction blocks (ReLU-conv3×3/2-BN, ReLU-conv3×3-BN, shortcut avg-pool 2×2 +
 * conv 1×1); then BN + ReLU, global average pool, linear to `classes`.
 *
 * A cell is a DAG of `nodes` nodes; node j = Σ_{i<j} op_{j←i}(node i), each edge one of `ops`:
 * `none` (zero), `skip_connect`, `nor_conv_1x1` / `nor_conv_3x3` (ReLU-conv-BN), `avg_pool_3x3`
 * (stride 1, padding 1, padded cells not counted). Edges carrying `none` are dropped; a node whose
 * every incoming edge is `none` is zero, and so is every edge leaving it; a cell whose output is zero
 * outputs zeros. Arch string: `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`, edges grouped by target node.
 */
export interface Nb201SpaceDef {
  id: string;
  family: 'nb201-cell';
  description?: string;
  input: [number, number, number];
  classes: number;
  stemChannels: number;
  stageChannels: number[];
  cellsPerStage: number;
  /** Nodes per cell, input node included. @defaultValue 4 */
  nodes: number;
  ops: ('none' | 'skip_connect' | 'nor_conv_1x1' | 'nor_conv_3x3' | 'avg_pool_3x3')[];
}

const posInt = { type: 'integer', minimum: 1 };

/** JSON Schema of an `nb201-cell` space file. */
export const nb201Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'family', 'input', 'classes', 'stemChannels', 'stageChannels', 'cellsPerStage', 'nodes', 'ops'],
  properties: {
    $schema: { type: 'string' },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    family: { const: 'nb201-cell' },
    description: { type: 'string' },
    input: { type: 'array', items: posInt, minItems: 3, maxItems: 3 },
    classes: posInt,
    stemChannels: posInt,
    stageChannels: { type: 'array', items: posInt, minItems: 1 },
    cellsPerStage: posInt,
    nodes: { type: 'integer', minimum: 2, maximum: 8 },
    ops: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] } },
  },
} as const;

class Nb201Space implements SearchSpace {
  readonly family = 'nb201-cell';
  readonly id: string;
  readonly decisions: readonly Decision[];
  readonly inputShape: readonly number[];
  readonly classes: number;
  /** `[target, source]` of each decision, in arch-string order. */
  private readonly edges: [number, number][] = [];

  constructor(private readonly def: Nb201SpaceDef, readonly file: string) {
    this.id = def.id;
    this.inputShape = def.input;
    this.classes = def.classes;
    const decisions: Decision[] = [];
    for (let j = 1; j < def.nodes; j++) {
      for (let i = 0; i < j; i++) {
        this.edges.push([j, i]);
        decisions.push({ name: `edge(${j},${i})`, choices: def.ops });
      }
    }
    this.decisions = decisions;
    this.build(decisions.map(() => 0));
  }

  encode(g: Genotype): string {
    checkGenotype(this, g);
    const groups: string[] = [];
    let k = 0;
    for (let j = 1; j < this.def.nodes; j++) {
      const parts: string[] = [];
      for (let i = 0; i < j; i++) parts.push(`${this.def.ops[g[k++]!]}~${i}`);
      groups.push(`|${parts.join('|')}|`);
    }
    return groups.join('+');
  }

  decode(arch: string): Genotype {
    const fail = (why: string): never => {
      throw new InputError('bad-arch', `malformed ${this.id} arch: ${why}`, { expected: `an arch string like ${this.encode(this.decisions.map(() => 0))}`, actual: JSON.stringify(arch) });
    };
    const groups = arch.split('+');
    if (groups.length !== this.def.nodes - 1) fail(`${groups.length} node groups, need ${this.def.nodes - 1}`);
    const g: number[] = [];
    groups.forEach((grp, j) => {
      if (!grp.startsWith('|') || !grp.endsWith('|')) fail(`node group ${j + 1} must start and end with "|"`);
      const parts = grp.slice(1, -1).split('|');
      if (parts.length !== j + 1) fail(`node ${j + 1} has ${parts.length} edges, needs ${j + 1}`);
      parts.forEach((p, i) => {
        const [op, src] = p.split('~');
        const v = this.def.ops.indexOf(op as Nb201SpaceDef['ops'][number]);
        if (v < 0) fail(`unknown op "${op}" (ops: ${this.def.ops.join(', ')})`);
        if (src !== String(i)) fail(`edge "${p}" must come from node ${i}`);
        g.push(v);
      });
    });
    return g;
  }

  private reluConvBn(b: GraphBuilder, x: Tensor, out: number, kernel: number, stride: number): Tensor {
    return b.batchnorm(b.conv(b.act(x, 'relu'), out, { kernel, stride, pad: kernel >> 1 }));
  }

  private cell(b: GraphBuilder, x: Tensor, g: Genotype): Tensor {
    const c = x.shape[0]!;
    const values: (Tensor | null)[] = [x];
    let k = 0;
    for (let j = 1; j < this.def.nodes; j++) {
      const terms: Tensor[] = [];
      for (let i = 0; i < j; i++) {
        const op = this.def.ops[g[k++]!]!;
        const src = values[i]!;
        if (op === 'none' || src === null) continue;
        if (op === 'skip_connect') terms.push(src);
        else if (op === 'nor_conv_1x1') terms.push(this.reluConvBn(b, src, c, 1, 1));
        else if (op === 'nor_conv_3x3') terms.push(this.reluConvBn(b, src, c, 3, 1));
        else terms.push(b.avgpool(src, 3, 1, 1));
      }
      values.push(terms.length === 0 ? null : terms.length === 1 ? terms[0]! : b.add(...terms));
    }
    return values[this.def.nodes - 1] ?? b.zero(x);
  }

  build(g: Genotype): ModelGraph {
    checkGenotype(this, g);
    const b = new GraphBuilder(`${this.id}:${this.encode(g)}`, this.inputShape);
    let x = b.batchnorm(b.conv(b.input, this.def.stemChannels, { kernel: 3 }));
    this.def.stageChannels.forEach((ch, s) => {
      if (s > 0) {
        // ResNet basic block with stride 2 (NAS-Bench-201 `ResNetBasicblock`).
        const a = this.reluConvBn(b, x, ch, 3, 2);
        const bb = this.reluConvBn(b, a, ch, 3, 1);
        const short = b.conv(b.avgpool(x, 2, 2, 0), ch, { kernel: 1, pad: 0 });
        x = b.add(short, bb);
      } else if (x.shape[0] !== ch) {
        x = b.batchnorm(b.conv(x, ch, { kernel: 1, pad: 0 }));
      }
      for (let i = 0; i < this.def.cellsPerStage; i++) x = this.cell(b, x, g);
    });
    x = b.act(b.batchnorm(x), 'relu');
    x = b.linear(b.flatten(b.globalAvgPool(x)), this.classes, true);
    return b.build(x);
  }
}

/** The `nb201-cell` family (NAS-Bench-201 / NATS-Bench topology space). */
export const nb201Family: SpaceFamily<Nb201SpaceDef> = {
  name: 'nb201-cell',
  schema: nb201Schema,
  create: (def, file) => new Nb201Space(def, file),
};
