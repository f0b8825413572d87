import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getAccuracySource } from '../../src/accuracy/accuracy-registry.ts';
import { loadSpace } from '../../src/space/space-registry.ts';

// Values looked up by hand in ../shared/data/nb201/accuracy.json.gz (official API indices 0 and 1462).
const cases = [
  {
    arch: '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|',
    metrics: {
      accuracy: 81.98266665690103, testAccuracy: 85.86333333333334,
      cifar100ValidAcc: 52.70000000406901, cifar100TestAcc: 52.913333294677734,
      imagenet16ValidAcc: 28.211111075507272, imagenet16TestAcc: 26.6333332739936,
    },
  },
  {
    arch: '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|',
    metrics: { accuracy: 90.19866665364583, testAccuracy: 93.76 },
  },
];

test('nb201 table gives the published accuracies of known arch strings', async () => {
  const space = loadSpace('nb201');
  const source = await getAccuracySource('table', space);
  assert.equal(source.id, 'nb201');
  assert.equal(source.metric, 'accuracy');
  for (const c of cases) {
    const m = await source.metrics(space, space.decode(c.arch));
    for (const [k, v] of Object.entries(c.metrics)) assert.equal(m[k], v, `${k} of ${c.arch}`);
    assert.deepEqual(Object.keys(m).sort(), ['accuracy', 'cifar100TestAcc', 'cifar100ValidAcc', 'imagenet16TestAcc', 'imagenet16ValidAcc', 'testAccuracy']);
  }
});
