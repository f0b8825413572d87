import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.ts';

test('hwnas report / dashboard: a folder that is not a results directory exits 2 naming what is missing', async () => {
  const tmp = tempDir('hwnas-report-bad-');
  try {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    let r = await runCli(['report', empty]);
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`${empty}: not a results directory: missing config\\.json .*profile\\.json`));
    assert.equal(r.err.trim().split('\n').length, 1, 'one line');

    r = await runCli(['report', join(tmp, 'nowhere')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /nowhere: no such directory/);

    // A search folder whose config lists a device without its journal.
    const search = join(tmp, 'search');
    mkdirSync(search);
    writeFileSync(join(search, 'config.json'), JSON.stringify({ space: 'nb201', devices: ['fpga'], objectives: ['accuracy:max', 'latencyMs:min'] }));
    r = await runCli(['report', search, '--out', join(tmp, 'r.html')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /search: not a results directory: missing journal-fpga\.jsonl/);

    writeFileSync(join(search, 'config.json'), '{"space": "nb201", ');
    r = await runCli(['report', search]);
    assert.equal(r.code, 2);
    assert.match(r.err, /config\.json: cannot read/);

    const compare = join(tmp, 'compare');
    mkdirSync(compare);
    writeFileSync(join(compare, 'config.json'), JSON.stringify({ kind: 'compare', strategies: ['random'] }));
    r = await runCli(['report', compare]);
    assert.equal(r.code, 2);
    assert.match(r.err, /compare: not a results directory: missing runs\//);

    // The folder of `hwnas suite run` has its own summary; the report says so instead of a missing device.
    const suite = join(tmp, 'suite');
    mkdirSync(suite);
    writeFileSync(join(suite, 'config.json'), JSON.stringify({ hwnas: 1, kind: 'suite', suite: 'hwnas-v1' }));
    r = await runCli(['report', suite]);
    assert.equal(r.code, 2);
    assert.match(r.err, /suite: a benchmark-suite folder: hwnas suite run writes its own summary \(summary\.md/);
    assert.equal(r.err.trim().split('\n').length, 1, 'one line');

    r = await runCli(['report']);
    assert.equal(r.code, 2);
    assert.match(r.err, /DIR: no results directory given/);

    r = await runCli(['dashboard', empty, '--port', '0']);
    assert.equal(r.code, 2);
    assert.match(r.err, /not a results directory: missing config\.json/);

    r = await runCli(['dashboard', empty, '--port', '70000']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--port/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
