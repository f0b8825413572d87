/**
 * The hardware behind each column key of the published latency tables (`nb201`, `fbnet`; HW-NAS-Bench
 * and BRP-NAS measurements as collected by HELP). Columns of one hardware differ only in batch size:
 * the GPU keys `<gpu>_<batch>` (`titan_rtx_1`, `titan_rtx_32`, `titan_rtx_256` in `nb201`,
 * `titan_rtx_64` in `fbnet`). Everything else is its own hardware: the Xeons `gold_6226` and
 * `gold_6240` are different chips (12 vs 18 cores), as are `silver_4114` and `silver_4210r`, and
 * `pixel2` and `pixel3` (Snapdragon 835 vs 845). A transfer predictor for a target must not learn from
 * the target's siblings: they are the same device.
 */

const GPUS: Readonly<Record<string, string>> = {
  '1080ti': 'NVIDIA GeForce GTX 1080 Ti',
  '2080ti': 'NVIDIA GeForce RTX 2080 Ti',
  titan_rtx: 'NVIDIA TITAN RTX',
  titanx: 'NVIDIA TITAN X',
  titanxp: 'NVIDIA TITAN Xp',
};

const OTHERS: Readonly<Record<string, string>> = {
  gold_6226: 'Intel Xeon Gold 6226',
  gold_6240: 'Intel Xeon Gold 6240',
  silver_4114: 'Intel Xeon Silver 4114',
  silver_4210r: 'Intel Xeon Silver 4210R',
  pixel2: 'Google Pixel 2',
  pixel3: 'Google Pixel 3',
  samsung_a50: 'Samsung Galaxy A50',
  samsung_s7: 'Samsung Galaxy S7',
  essential_ph_1: 'Essential Phone PH-1',
  raspi4: 'Raspberry Pi 4',
  eyeriss: 'Eyeriss ASIC (estimated)',
  fpga: 'FPGA (estimated)',
};

/** Hardware id of a table key (`titan_rtx` for `titan_rtx_256`, the key itself otherwise); `undefined` for an unknown key. */
export function tableKeyHardware(key: string): string | undefined {
  const gpu = /^(.+)_(\d+)$/.exec(key);
  if (gpu && Object.hasOwn(GPUS, gpu[1]!)) return gpu[1]!;
  return Object.hasOwn(OTHERS, key) ? key : undefined;
}

/** Human name of a table key's hardware, e.g. `NVIDIA TITAN RTX (batch 256)`. */
export function tableKeyHardwareName(key: string): string | undefined {
  const gpu = /^(.+)_(\d+)$/.exec(key);
  if (gpu && Object.hasOwn(GPUS, gpu[1]!)) return `${GPUS[gpu[1]!]} (batch ${gpu[2]})`;
  return OTHERS[key];
}

/**
 * The keys among `keys` that are the target's hardware (the target included). A key this module
 * does not know is a vendored table that grew a column nobody classified: that throws.
 */
export function sameHardwareKeys(target: string, keys: readonly string[]): string[] {
  const hw = (k: string): string => {
    const h = tableKeyHardware(k);
    if (h === undefined) throw new Error(`latency table key "${k}" has no hardware entry in src/latency/table-hardware.ts`);
    return h;
  };
  const t = hw(target);
  return keys.filter((k) => hw(k) === t);
}
