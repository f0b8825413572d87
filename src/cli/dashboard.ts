import { isIP } from 'node:net';
import { InputError } from '../errors.ts';
import type { Command } from './command.ts';
import { intFlag, parseFlagsAndArgs } from './flags.ts';

const usage = `usage: hwnas dashboard DIR [--port N] [--host H]

Serve the report of a results directory (as hwnas report draws it) and update it live while the
journals grow, so a long or distributed search can be watched: the page gets each new version over
server-sent events. Stop with Ctrl-C.

  --port N     port to listen on; 0 = any free port        [0]
  --host H     address to bind                            [127.0.0.1]
               requests must name an IP address, localhost, this machine's name or H
               in their Host header (a page of another origin cannot read it through
               DNS rebinding)`;

/**
 * `--host` as given, if it is an IP address or a syntactically valid host name (RFC 1123); anything
 * else is refused here, before a DNS lookup is made for it.
 */
function checkHost(host: string): string {
  const bare = /^\[(.*)\]$/.exec(host)?.[1] ?? host;
  if (isIP(bare) !== 0) return bare;
  const label = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';
  if (bare.length <= 253 && new RegExp(`^${label}(?:\\.${label})*\\.?$`).test(bare)) return bare;
  throw new InputError('bad-flag', 'not a host name or IP address', { path: '--host', expected: 'an address to bind such as 127.0.0.1, ::1, 0.0.0.0, or a host name (letters, digits, hyphens, dots)', actual: JSON.stringify(host) });
}

export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'live report of a results directory in the browser',
  usage,
  async run(argv, io) {
    const { flags: f, positionals } = parseFlagsAndArgs(argv, { port: { type: 'string' }, host: { type: 'string' } });
    if (positionals.length !== 1) throw new InputError('bad-flag', positionals.length ? 'one results directory at a time' : 'no results directory given', { path: 'DIR', expected: 'hwnas dashboard DIR', actual: positionals.length ? positionals.join(' ') : 'nothing' });
    const dir = positionals[0]!;
    const port = intFlag(f.port, '--port', 0, 0, 65535);
    const host = checkHost(f.host ?? '127.0.0.1');
    const { readResultsDir } = await import('../report/results-dir.ts');
    const { exactFrontsFor } = await import('./exact-fronts.ts');
    const { startDashboard } = await import('../report/dashboard-server.ts');
    const truths = await exactFrontsFor([readResultsDir(dir)]);
    let dash;
    try {
      dash = await startDashboard({ dir, port, host, truths, onProblem: (m) => io.err(`dashboard: cannot read ${dir} now (${m}); retrying at the next change\n`) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // In use or privileged: the port's fault; not an address of this machine, or a name that does not resolve: the host's.
      if (code === 'EADDRINUSE' || (code === 'EACCES' && port > 0 && port < 1024)) throw new InputError('bad-flag', `cannot listen on port ${port} (${code})`, { path: '--port', expected: code === 'EACCES' ? 'a port of 1024 or more (or run with the right to bind low ports)' : 'a free port, or 0 for any', actual: `${host}:${port}` });
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EACCES' || code === 'EAFNOSUPPORT') {
        throw new InputError('bad-flag', `cannot listen on ${host} (${code})`, { path: '--host', expected: 'an address of this machine (127.0.0.1, ::1, 0.0.0.0 for all) or a name that resolves to one', actual: JSON.stringify(host) });
      }
      throw e;
    }
    io.out(`hwnas dashboard: ${dash.url} (watching ${dir}; Ctrl-C to stop)\n`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void dash.close().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    io.err('dashboard: stopped\n');
    return 0;
  },
};
