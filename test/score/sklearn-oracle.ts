// Runs scikit-learn through Debian's python (the pyenv python on PATH has no sklearn) as a test
// oracle: a script reads JSON on stdin and prints JSON.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';

export const hasSklearn: boolean =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import sklearn, numpy'], { stdio: 'ignore' }).status === 0;

export function runPython<T>(script: string, input: unknown): T {
  const result = spawnSync(PYTHON, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '2' },
  });
  if (result.status !== 0) throw new Error(`python oracle failed (status ${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Seeded fixtures come from scanlab's own PRNG (mulberry32). */
export { seededRandom as fixtureRandom } from '../../src/util/seeded-random.ts';
