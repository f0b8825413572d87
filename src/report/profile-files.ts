import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { ProfileReport } from '../latency/lut-profile.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';

/** Columns of `models.csv` (one row per sampled whole model of `hwnas profile`). */
export const MODEL_COLUMNS = ['arch', 'measuredMs', 'pass1Ms', 'pass2Ms', 'cv1', 'cv2', 'lutMs', 'fittedMs', 'flops', 'params'] as const;

/**
 * The results directory of `hwnas profile`: `profile.json` (the report), `models.csv` and
 * `config.json` (kind `profile`, the device profile with its timing, the settings). Each file is
 * written atomically.
 */
export function writeProfileDir(dir: string, report: ProfileReport, config: Readonly<Record<string, unknown>>): { profile: string; models: string; config: string } {
  const files = { profile: join(dir, 'profile.json'), models: join(dir, 'models.csv'), config: join(dir, 'config.json') };
  writeFileAtomic(files.config, `${JSON.stringify({ hwnas: 1, kind: 'profile', ...config }, null, 2)}\n`);
  writeFileAtomic(files.models, stringify(report.models.map((m) => MODEL_COLUMNS.map((c) => m[c])), { header: true, columns: [...MODEL_COLUMNS] }));
  writeFileAtomic(files.profile, `${JSON.stringify(report, null, 2)}\n`);
  return files;
}
