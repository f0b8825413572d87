import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { hostname } from 'node:os';
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
  /**
   * Host names a request may name in its `Host` header besides the ones served anyway: any IP
   * address, `localhost` (and `*.localhost`), {@link DashboardOptions.host} and this machine's name.
   * A request for any other name (a page of another origin reaching the dashboard through DNS
   * rebinding) gets 403. @defaultValue []
   */
  allowedHosts?: readonly string[];
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
 * Whether a request's `Host` header names this server: an IP address (no DNS name, so no DNS
 * rebinding), `localhost` or `*.localhost`, or one of the `served` names. DNS rebinding points a
 * name of the attacker's at 127.0.0.1, so a page of that origin could read the dashboard: its
 * requests carry the attacker's name in `Host`, and are refused.
 */
export function hostAllowed(header: string | undefined, served: ReadonlySet<string>): boolean {
  if (header === undefined || header === '') return false;
  const m = /^\[([0-9a-fA-F:.]+)\](?::\d+)?$/.exec(header) ?? /^([^:]+)(?::\d+)?$/.exec(header);
  if (!m) return false;
  const name = m[1]!.toLowerCase().replace(/\.$/, '');
  return isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost') || served.has(name);
}

/**
 * Serve the report of a results directory live: `/` is the report page, `/events` a server-sent
 * events stream that sends the whole new model (`event: model`) whenever the folder's files change
 * (polled: size and mtime), `/model.json` the current model. Loopback by default; a request whose
 * `Host` header names another host is refused ({@link hostAllowed}).
 */
export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const inputs = { truths: opts.truths ?? [] };
  let model: ReportModel = buildReport([opts.dir], inputs); // bad input throws before the server starts
  let modelJson = JSON.stringify(model);
  let version = 1;
  let signature = dirSignature(opts.dir);
  const clients = new Set<ServerResponse>();

  const served = new Set(['localhost', hostname().toLowerCase(), ...(opts.allowedHosts ?? []).map((h) => h.toLowerCase())]);
  if (opts.host !== undefined && isIP(opts.host) === 0) served.add(opts.host.toLowerCase().replace(/\.$/, ''));
  const send = (res: ServerResponse) => res.write(`event: model\nid: ${version}\ndata: ${modelJson}\n\n`);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host, served)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('this dashboard does not serve that host name\n');
      return;
    }
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
