import type { Shape } from '../graph/model-graph.ts';
import type { SpaceLayer } from '../space/layered-space.ts';
import type { LutFormat } from './lut-file.ts';

/**
 * Keys of one layer in each LUT format (see `lut-file.ts`); a layer may need several keys (a head
 * is `Conv_1` + `Logits` in ProxylessNAS's LUT) or none (an identity skip costs nothing). A layer
 * that a format cannot describe throws, naming the layer.
 */

/** `HxWxC` of a `[C,H,W]` shape (the published LUTs are channels-last). */
const hwc = (s: Shape): string => `${s[1]}x${s[2]}x${s[0]}`;
const io = (i: Shape, o: Shape): string => `input:${hwc(i)}-output:${hwc(o)}`;

function unsupported(format: LutFormat, layer: SpaceLayer, why: string): never {
  throw new Error(`layer ${layer.key} has no ${format} LUT key: ${why}`);
}

function blockKey(format: Exclude<LutFormat, 'hwnas'>, layer: SpaceLayer): string[] {
  const f = layer.block;
  if (!f) return unsupported(format, layer, 'no block facts');
  if (layer.empty) return [];
  if (f.op !== 'mbconv' || f.groups !== 1) return unsupported(format, layer, `op ${f.op}${f.groups > 1 ? ` with ${f.groups} groups` : ''}`);
  const common = `${io(layer.inShape, layer.outShape)}-expand:${format === 'ofa' ? f.mid : f.expand}-kernel:${f.kernel}-stride:${f.stride}-idskip:${f.residual ? 1 : 0}`;
  if (format === 'proxyless') {
    if (f.se) return unsupported(format, layer, 'squeeze-excite');
    return [`expanded_conv-${common}`];
  }
  if (format === 'ofa') return [`expanded_conv-${common}-se:${f.se ? 1 : 0}-hs:${f.act === 'hswish' ? 1 : 0}`];
  return [`MBConv-${common}-se:${f.se ? 1 : 0}`];
}

function headKeys(format: Exclude<LutFormat, 'hwnas'>, layer: SpaceLayer): string[] {
  const h = layer.head;
  if (!h || h.convs.length !== 1) return unsupported(format, layer, 'the head must be one conv, pool (, mix conv), linear');
  const conv = h.convs[0]!;
  const c = conv[0]!;
  const pooled: Shape = [c, 1, 1];
  if (format === 'proxyless') {
    if (h.mix !== undefined) return unsupported(format, layer, 'a mix conv after the pool');
    return [`Conv_1-${io(layer.inShape, conv)}`, `Logits-input:${hwc(conv)}-output:${h.classes}`];
  }
  if (h.mix === undefined) return unsupported(format, layer, 'no mix conv after the pool');
  const mixed: Shape = [h.mix, 1, 1];
  if (format === 'ofa') {
    return [`Conv_1-${io(layer.inShape, conv)}`, `AvgPool2D-${io(conv, pooled)}`, `Conv_2-${io(pooled, mixed)}`, `Logits-input:${hwc(mixed)}-output:${h.classes}`];
  }
  return [`final_expand_layer-${io(layer.inShape, conv)}`, `feature_mix_layer-${io(pooled, mixed)}`, `classifier-input:${h.mix}-output:${h.classes}`];
}

/** LUT keys whose entries sum to the layer's latency in `format`. */
export function lutKeys(format: LutFormat, layer: SpaceLayer): string[] {
  if (format === 'hwnas') return layer.empty ? [] : [layer.key];
  if (layer.role === 'stem') return [`${format === 'nsganetv2' ? 'first_conv' : 'Conv'}-${io(layer.inShape, layer.outShape)}`];
  if (layer.role === 'head') return headKeys(format, layer);
  return blockKey(format, layer);
}
