import { errorMessage, InputError } from '../errors.ts';
import { type Command } from './command.ts';
import { type Io, processIo } from '../util/io.ts';
import { commands } from './commands.ts';
import { inFlagTerms } from '../run/library-input.ts';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'hwnas: hardware-aware multi-objective neural architecture search',
    '',
    'usage: hwnas <command> [flags]     (hwnas <command> --help for its flags)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}

/** Run the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const cmd: Command | undefined = commands.find((c) => c.name === name);
  if (!cmd) {
    io.err(`hwnas: unknown command "${name}"; expected one of ${commands.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(cmd.usage.endsWith('\n') ? cmd.usage : `${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (thrown) {
    // The library names its API fields (settings.budget); the CLI says them as the flags that set them.
    const e = inFlagTerms(thrown);
    if (e instanceof InputError) {
      io.err(`hwnas ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    io.err(`hwnas ${name}: internal error: ${errorMessage(e)}\n${(e as Error)?.stack ?? ''}\n`);
    return 1;
  }
}
