import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.ts';
import { startDashboard } from '../../src/report/dashboard-server.ts';

/** A real GET to the dashboard with the given Host header (or none); resolves with the status code. */
function get(port: number, path: string, host: string | undefined): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', setHost: host === undefined ? false : true, headers: host === undefined ? {} : { host } }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
      res.destroy();
    });
    req.on('error', fail);
    req.end();
  });
}

test('the dashboard answers only requests that name a host it serves: a DNS-rebinding page gets 403', async () => {
  const out = join(tempDir(), 'run');
  const r = await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'random', '--budget', '5', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const dash = await startDashboard({ dir: out, port: 0 });
  try {
    const port = Number(new URL(dash.url).port);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST', `app.localhost:${port}`]) {
      assert.equal(await get(port, '/model.json', host), 200, host);
    }
    // What a page on a rebinding name sends: its own name, now resolving to 127.0.0.1.
    for (const host of [`evil.example:${port}`, 'evil.example', `localhost.evil.example:${port}`, `127.0.0.1.evil.example:${port}`]) {
      for (const path of ['/', '/model.json', '/events']) assert.equal(await get(port, path, host), 403, `${host} ${path}`);
    }
    // No Host header at all: refused too (node's server answers 400 before the handler).
    assert.ok([400, 403].includes(await get(port, '/model.json', undefined)), 'no Host header');
  } finally {
    await dash.close();
  }
});

test('dashboard --host: an invalid one is exit 2 naming --host (no lookup made for it); an address not of this machine blames --host, not --port', async () => {
  const out = join(tempDir(), 'run');
  assert.equal((await runCli(['search', '--space', 'nb201', '--device', 'fpga', '--strategy', 'random', '--budget', '3', '--out', out])).code, 0);
  const bad = await runCli(['dashboard', out, '--host', 'not a host!!']);
  assert.equal(bad.code, 2, bad.err);
  assert.match(bad.err, /^hwnas dashboard: --host: not a host name or IP address; expected an address to bind .*, got "not a host!!"\n$/);
  const foreign = await runCli(['dashboard', out, '--host', '203.0.113.5']);
  assert.equal(foreign.code, 2, foreign.err);
  assert.match(foreign.err, /^hwnas dashboard: --host: cannot listen on 203\.0\.113\.5 \(EADDRNOTAVAIL\); expected an address of this machine/);
});
