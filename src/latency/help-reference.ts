/**
 * Published Spearman ρ of latency predictors on table devices, from HELP (Lee et al., "HELP:
 * Hardware-Adaptive Efficient Latency Prediction for NAS via Meta-Learning", NeurIPS 2021):
 * Table 3 (NAS-Bench-201; HELP with 10 samples of the target, BRP-NAS with 900, FLOPs with none) and
 * Table 2 (FBNet; HELP with 10 samples). HELP evaluates on its own query split of the archs, not on
 * every row; `hwnas predictor-bench` evaluates on every row but the samples (docs/latency-prediction.md).
 * Keyed by space id, then table key (HELP's NAS-Bench-201 GPU target is `titan_rtx_256`).
 */
export interface HelpReference {
  /** HELP, 10 samples of the target. */
  help: number;
  /** BRP-NAS, 900 samples of the target. */
  brpNas?: number;
  /** FLOPs as the predictor. */
  flops?: number;
}

export const HELP_REFERENCE: Readonly<Record<string, Readonly<Record<string, HelpReference>>>> = {
  nb201: {
    titan_rtx_256: { help: 0.987, brpNas: 0.814, flops: 0.95 },
    gold_6226: { help: 0.989, brpNas: 0.796, flops: 0.826 },
    pixel2: { help: 0.802, brpNas: 0.666, flops: 0.765 },
    raspi4: { help: 0.89, brpNas: 0.847, flops: 0.846 },
    eyeriss: { help: 0.94, brpNas: 0.811, flops: 0.437 },
    fpga: { help: 0.985, brpNas: 0.801, flops: 0.9 },
  },
  'fbnet-cifar100': {
    raspi4: { help: 0.887 },
    eyeriss: { help: 0.943 },
    fpga: { help: 0.892 },
  },
};

/** HELP's test devices of a space, in the paper's column order (empty for other spaces). */
export function helpTargets(spaceId: string): string[] {
  return Object.keys(HELP_REFERENCE[spaceId] ?? {});
}

/**
 * HELP's prior knowledge: the devices it meta-trains on (9) and validates on (4) — its NAS-Bench-201
 * scripts' `meta_train_devices` and `meta_valid_devices`. For FBNet, whose table has batch 64 where
 * NAS-Bench-201's has 256, the same devices at batch 64. A like-for-like comparison with HELP gives
 * a transfer predictor exactly these devices as sources (`predictor-bench --sources help`).
 */
export const HELP_SOURCE_DEVICES: Readonly<Record<string, { readonly metaTrain: readonly string[]; readonly validation: readonly string[] }>> = {
  nb201: {
    metaTrain: ['1080ti_1', '1080ti_32', '1080ti_256', 'silver_4114', 'silver_4210r', 'samsung_a50', 'pixel3', 'essential_ph_1', 'samsung_s7'],
    validation: ['titanx_1', 'titanx_32', 'titanx_256', 'gold_6240'],
  },
  'fbnet-cifar100': {
    metaTrain: ['1080ti_1', '1080ti_32', '1080ti_64', 'silver_4114', 'silver_4210r', 'samsung_a50', 'pixel3', 'essential_ph_1', 'samsung_s7'],
    validation: ['titanx_1', 'titanx_32', 'titanx_64', 'gold_6240'],
  },
};

/** HELP's 13 source devices of a space (meta-training, then validation), or undefined for other spaces. */
export function helpSources(spaceId: string): string[] | undefined {
  const s = HELP_SOURCE_DEVICES[spaceId];
  return s && [...s.metaTrain, ...s.validation];
}
