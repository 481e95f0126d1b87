#!/usr/bin/env node
// scanlab's binary: loads the TypeScript sources through tsx (no build step), then runs the CLI.
// tsx is pointed at the package's own tsconfig.json (for JSX), wherever the command runs from.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
