import { InputError } from '../errors.ts';
import type { AccuracySettings } from './accuracy-source.ts';
import { checkImageDataDir } from './image-data.ts';
import { checkTrainingBudget } from './training-budget.ts';

/**
 * Check accuracy settings that came from outside (a library call): `seed` and `jobs` integers in
 * range, `data` a folder holding a known image data set (checked without decoding), `training` a
 * valid {@link TrainingBudget}. An {@link InputError} names the field (`data`, `training.epochs`…).
 * The CLI checks its flags first, so its errors name `--data`, `--train-epochs`….
 */
export function checkAccuracySettings(s: AccuracySettings): AccuracySettings {
  if (!Number.isSafeInteger(s.seed) || s.seed < 0 || s.seed > 2 ** 32 - 1) throw new InputError('bad-flag', 'seed out of range', { path: 'seed', expected: 'an integer in [0, 4294967295]', actual: String(s.seed) });
  if (!Number.isSafeInteger(s.jobs) || s.jobs < 1 || s.jobs > 1024) throw new InputError('bad-flag', 'jobs out of range', { path: 'jobs', expected: 'an integer in [1, 1024]', actual: String(s.jobs) });
  if (s.data !== undefined) {
    if (typeof s.data !== 'string') throw new InputError('bad-flag', 'data must be a folder path', { path: 'data', expected: 'a string', actual: JSON.stringify(s.data) });
    checkImageDataDir(s.data, 'data');
  }
  if (s.training !== undefined) checkTrainingBudget(s.training);
  if (s.onTrainingProgress !== undefined && typeof s.onTrainingProgress !== 'function') throw new InputError('bad-flag', 'onTrainingProgress must be a function', { path: 'onTrainingProgress' });
  return s;
}
