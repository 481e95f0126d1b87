// Versions of what made the dataset, for the manifest. Read from package files, no subprocess.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export function toolVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const version = (pkg: string): string => {
    try {
      return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
    } catch {
      return 'unknown';
    }
  };
  let scanlab = 'unknown';
  try {
    scanlab = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch { /* left unknown */ }
  return { scanlab, node: process.versions.node, '@faker-js/faker': version('@faker-js/faker'), '@duckdb/node-api': version('@duckdb/node-api') };
}
