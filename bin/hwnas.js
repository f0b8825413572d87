#!/usr/bin/env node
// Entry point of the `hwnas` command: runs the TypeScript sources through tsx (a dependency).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
