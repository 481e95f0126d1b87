// Which external tools the tests can use here; tests that need one are skipped without it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

export const hasTshark = has('tshark', ['--version']);
export const hasEditcap = has('editcap', ['-h']);
/** Debian's python3 with pandas and scikit-learn (the pyenv python3 on PATH has neither). */
export const DEBIAN_PYTHON = '/usr/bin/python3';
export const hasPandas = has(DEBIAN_PYTHON, ['-c', 'import pandas, sklearn']);

/** A temporary directory removed after the test file. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `scanlab-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function run(cmd: string, args: string[], options: { maxBuffer?: number } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: options.maxBuffer ?? 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
