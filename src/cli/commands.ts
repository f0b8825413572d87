import type { Command } from './command.ts';
import { devicesCommand } from './devices.ts';
import { evalCommand } from './eval.ts';
import { exportCommand } from './export.ts';
import { searchCommand } from './search.ts';
import { spacesCommand } from './spaces.ts';
import { truthCommand } from './truth.ts';
import { compareCommand } from './compare.ts';
import { profileCommand } from './profile.ts';
import { mooCommand } from './moo.ts';
import { suiteCommand } from './suite.ts';
import { predictorBenchCommand } from './predictor-bench.ts';
import { accuracyBenchCommand } from './accuracy-bench.ts';
import { reportCommand } from './report.ts';
import { dashboardCommand } from './dashboard.ts';
import { workerCommand } from './worker.ts';
import { measureCommand } from './measure.ts';

/** Every CLI command, in the order `hwnas --help` lists them. Add new commands here. */
export const commands: readonly Command[] = [
  searchCommand,
  evalCommand,
  devicesCommand,
  spacesCommand,
  exportCommand,
  truthCommand,
  compareCommand,
  suiteCommand,
  profileCommand,
  measureCommand,
  predictorBenchCommand,
  accuracyBenchCommand,
  mooCommand,
  reportCommand,
  dashboardCommand,
  workerCommand,
];
