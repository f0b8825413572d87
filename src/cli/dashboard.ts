import { InputError } from '../errors.ts';
import type { Command } from './command.ts';
import { intFlag, parseFlagsAndArgs } from './flags.ts';

const usage = `usage: hwnas dashboard DIR [--port N] [--host H]

Serve the report of a results directory (as hwnas report draws it) and update it live while the
journals grow, so a long or distributed search can be watched: the page gets each new version over
server-sent events. Stop with Ctrl-C.

  --port N     port to listen on; 0 = any free port        [0]
  --host H     address to bind                            [127.0.0.1]`;

export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'live report of a results directory in the browser',
  usage,
  async run(argv, io) {
    const { flags: f, positionals } = parseFlagsAndArgs(argv, { port: { type: 'string' }, host: { type: 'string' } });
    if (positionals.length !== 1) throw new InputError('bad-flag', positionals.length ? 'one results directory at a time' : 'no results directory given', { path: 'DIR', expected: 'hwnas dashboard DIR', actual: positionals.length ? positionals.join(' ') : 'nothing' });
    const dir = positionals[0]!;
    const port = intFlag(f.port, '--port', 0, 0, 65535);
    const { readResultsDir } = await import('../report/results-dir.ts');
    const { exactFrontsFor } = await import('./exact-fronts.ts');
    const { startDashboard } = await import('../report/dashboard-server.ts');
    const truths = await exactFrontsFor([readResultsDir(dir)]);
    let dash;
    try {
      dash = await startDashboard({ dir, port, host: f.host ?? '127.0.0.1', truths, onProblem: (m) => io.err(`dashboard: cannot read ${dir} now (${m}); retrying at the next change\n`) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new InputError('bad-flag', `cannot listen (${code})`, { path: f.port !== undefined ? '--port' : '--host', actual: `${f.host ?? '127.0.0.1'}:${port}` });
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
