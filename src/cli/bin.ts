#!/usr/bin/env node
// The `hwnas` command (package.json `bin`, compiled to dist/cli/bin.js).
import { main } from './main.ts';

// A reader that stops early (`hwnas spaces | head -1`) closes the pipe: stop quietly, as a program
// killed by SIGPIPE would, instead of dying on an unhandled 'error' event with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2));
