import { stringify } from 'csv-stringify/sync';
import { builtinDeviceIds, loadDevice } from '../latency/device-profile.ts';
import type { Command } from './command.ts';
import { choiceFlag, parseFlags } from './flags.ts';

const usage = `usage: hwnas devices [--format table|csv|json]

List every device profile (devices/*.json): kind, what it measures or looks up, which spaces it
covers, and whether it can run here; a measured device whose runtime cannot start says why.
Exit code 0 (listing is not an error even when some devices are unavailable).`;

export const devicesCommand: Command = {
  name: 'devices',
  summary: 'list device profiles with availability and reason',
  usage,
  async run(argv, io) {
    const f = parseFlags(argv, { format: { type: 'string' } });
    const format = choiceFlag(f.format, '--format', ['table', 'csv', 'json'] as const, 'table');
    const { getRuntime } = await import('../runtime/runtime-registry.ts');
    const probes = new Map<string, { available: boolean; reason: string }>();
    const rows: Record<string, string>[] = [];
    for (const id of builtinDeviceIds()) {
      const d = loadDevice(id);
      let available = true;
      let reason = '';
      let source: string;
      let spaces = 'any';
      if (d.kind === 'measured') {
        source = `${d.runtime}${d.threads ? ` (${d.threads} thread${d.threads > 1 ? 's' : ''})` : ''}`;
        let p = probes.get(d.runtime);
        if (!p) {
          const rt = getRuntime(d.runtime);
          const probe = rt ? await rt.probe() : { available: false as const, reason: `unknown runtime ${d.runtime}` };
          p = probe.available ? { available: true, reason: '' } : { available: false, reason: probe.reason };
          probes.set(d.runtime, p);
        }
        ({ available, reason } = p);
      } else {
        source = d.kind === 'table' ? `table ${d.table}/${d.key}` : `lut ${d.lut}`;
        spaces = d.spaces.join(' ');
      }
      rows.push({ id, kind: d.kind, source, spaces, available: available ? 'yes' : 'no', reason, description: d.description ?? '' });
    }
    if (format === 'json') io.out(`${JSON.stringify(rows, null, 1)}\n`);
    else if (format === 'csv') io.out(stringify(rows, { header: true }));
    else {
      const cols = ['id', 'kind', 'source', 'spaces', 'available'] as const;
      const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c]!.length)));
      const line = (r: Record<string, string>) => cols.map((c, i) => r[c]!.padEnd(w[i]!)).join('  ').trimEnd() + (r.reason ? `  unavailable: ${r.reason}` : '');
      io.out(`${line(Object.fromEntries(cols.map((c) => [c, c])))}\n${rows.map(line).join('\n')}\n`);
    }
    return 0;
  },
};
