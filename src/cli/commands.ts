import type { Command } from './command.ts';
import { exportCommand } from './export.ts';

/** Every CLI command, in the order `hwnas --help` lists them. Add new commands here. */
export const commands: readonly Command[] = [
  exportCommand,
];
