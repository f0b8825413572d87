import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../errors.ts';
import { buildReport } from './build-report.ts';
import { dirSignature } from './dir-signature.ts';
import { renderReportHtml } from './report-html.ts';
import type { ReportModel } from './report-model.ts';
import type { TruthData } from './truth-file.ts';

/** Settings of {@link startDashboard}. */
export interface DashboardOptions {
  dir: string;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** 0 = any free port. @defaultValue 0 */
  port?: number;
  /** How often the folder is checked for growth (ms). @defaultValue 500 */
  pollMs?: number;
  truths?: readonly TruthData[];
  /** A rebuild that failed (the folder is read again at the next change). */
  onProblem?: (message: string) => void;
}

/** A running dashboard. */
export interface Dashboard {
  url: string;
  /** Model version: 1 at start, +1 per change seen. */
  readonly version: number;
  close(): Promise<void>;
}

/**
 * Serve the report of a results directory live: `/` is the report page, `/events` a server-sent
 * events stream that sends the whole new model (`event: model`) whenever the folder's files change
 * (polled: size and mtime), `/model.json` the current model. Loopback by default.
 */
export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const inputs = { truths: opts.truths ?? [] };
  let model: ReportModel = buildReport([opts.dir], inputs); // bad input throws before the server starts
  let modelJson = JSON.stringify(model);
  let version = 1;
  let signature = dirSignature(opts.dir);
  const clients = new Set<ServerResponse>();

  const send = (res: ServerResponse) => res.write(`event: model\nid: ${version}\ndata: ${modelJson}\n\n`);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(renderReportHtml(model, { eventsPath: `/events?v=${version}` }));
    } else if (url.pathname === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      // A page built from an older model (the folder changed while it loaded) catches up at once.
      if (Number(url.searchParams.get('v') ?? version) !== version || req.headers['last-event-id'] !== undefined && Number(req.headers['last-event-id']) !== version) send(res);
    } else if (url.pathname === '/model.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(modelJson);
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
    } else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  };
  const server = createServer(handler);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => ok());
  });

  let busy = false;
  const poll = setInterval(() => {
    if (busy) return;
    const s = dirSignature(opts.dir);
    if (s === signature) return;
    busy = true;
    try {
      model = buildReport([opts.dir], inputs);
      modelJson = JSON.stringify(model);
      signature = s;
      version++;
      for (const c of clients) send(c);
    } catch (e) {
      opts.onProblem?.(errorMessage(e));
      signature = s;
    } finally {
      busy = false;
    }
  }, opts.pollMs ?? 500);
  const keepAlive = setInterval(() => {
    for (const c of clients) c.write(': keep-alive\n\n');
  }, 15_000);

  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}/`,
    get version() {
      return version;
    },
    async close() {
      clearInterval(poll);
      clearInterval(keepAlive);
      for (const c of clients) c.end();
      clients.clear();
      await new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections?.();
    },
  };
}
