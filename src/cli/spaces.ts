import { builtinSpaceIds, loadSpace } from '../space/space-registry.ts';
import { spaceSize } from '../space/search-space.ts';
import type { Command } from './command.ts';
import { choiceFlag, parseFlags } from './flags.ts';

const usage = `usage: hwnas spaces [--format table|json]

List the built-in search spaces (spaces/*.json) with family, size and an example arch string.`;

export const spacesCommand: Command = {
  name: 'spaces',
  summary: 'list the built-in search spaces',
  usage,
  async run(argv, io) {
    const f = parseFlags(argv, { format: { type: 'string' } });
    const format = choiceFlag(f.format, '--format', ['table', 'json'] as const, 'table');
    const rows = builtinSpaceIds().map((id) => {
      const s = loadSpace(id);
      return { id, family: s.family, decisions: s.decisions.length, size: spaceSize(s), input: s.inputShape.join('x'), classes: s.classes, example: s.encode(s.decisions.map(() => 0)) };
    });
    if (format === 'json') io.out(`${JSON.stringify(rows, null, 1)}\n`);
    else for (const r of rows) io.out(`${r.id.padEnd(18)} ${r.family.padEnd(12)} ${String(r.decisions).padStart(3)} decisions  ${r.size.toExponential(2).padStart(9)} archs  input ${r.input}, ${r.classes} classes\n    e.g. ${r.example}\n`);
    return 0;
  },
};
