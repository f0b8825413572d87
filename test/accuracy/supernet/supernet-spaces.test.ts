import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getAccuracySource } from '../../../src/accuracy/accuracy-registry.ts';
import { trainedSpace, supernetLayout } from '../../../src/accuracy/supernet/supernet-layout.ts';
import { InputError } from '../../../src/errors.ts';
import { loadSpace } from '../../../src/space/space-registry.ts';
import { tinyCifarDir } from '../../helpers/tiny-cifar.ts';

test('the chain spaces get a supernet layout, at CIFAR-10 resolution for the 224-px ones', () => {
  const want: Record<string, number> = { 'nasbench-macro': 8, 'fbnet': 22, 'fbnet-cifar100': 22, 'proxyless-mobile': 21 };
  for (const [id, decisions] of Object.entries(want)) {
    const space = loadSpace(id);
    const trained = trainedSpace(space, { side: 32, classes: 10 });
    assert.deepEqual(trained.inputShape, [3, 32, 32], id);
    assert.equal(trained.classes, 10, id);
    const layout = supernetLayout(trained);
    assert.equal(layout.positionOf.length, decisions, id);
    assert.equal(new Set(layout.positionOf).size, decisions, `${id}: one layer per decision`);
    layout.positions.forEach((p, i) => {
      const choices = p.decision < 0 ? 1 : space.decisions[p.decision]!.choices.length;
      assert.equal(p.layers.length, choices, `${id} layer ${i}`);
      for (const l of p.layers) assert.deepEqual([l.inShape, l.outShape], [p.inShape, p.outShape], `${id} layer ${i}: every choice keeps the shapes`);
    });
  }
  assert.equal(trainedSpace(loadSpace('nasbench-macro'), { side: 32, classes: 10 }), loadSpace('nasbench-macro'), 'a 32-px 10-class space is trained as it is');
});

test('spaces without per-layer weight sharing are refused as incompatible, saying why', async () => {
  const reasons: Record<string, RegExp> = {
    nb201: /edges of a repeated cell/,
    mnasnet: /number of layers and the channel widths/,
    'ofa-mbv3': /depth of each stage.*resolution/,
  };
  const dataDir = tinyCifarDir(16, 8);
  for (const [id, why] of Object.entries(reasons)) {
    await assert.rejects(getAccuracySource('supernet', loadSpace(id), { seed: 0, jobs: 1, dataDir } as never), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.code, 'incompatible');
      assert.match(e.message, new RegExp(`cannot serve space ${id}`));
      assert.match(e.message, why);
      assert.match(e.message, /--accuracy/);
      return true;
    });
  }
});
