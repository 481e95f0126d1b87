// `scanlab dataset <run-dir>... --out DIR [--test RUN]... [--mode faker|prefix] [--seed N] [--force] [--json]`:
// several runs merged into one dataset with a `run` column and a train/test split by run.

import { parseCommandLine, parseWholeNumber } from './args.ts';
import { mergeRuns } from '../dataset/merge-runs.ts';
import { UserError } from '../errors.ts';

export const USAGE = 'usage: scanlab dataset <run-dir> <run-dir>... --out DIR [--test RUN]... [--mode faker|prefix] [--seed N] [--force] [--json]';

export default async function dataset(
  args: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  const { values: v, positionals } = parseCommandLine('dataset', args, {
    out: { type: 'string' },
    test: { type: 'string', multiple: true },
    mode: { type: 'string', default: 'faker' },
    seed: { type: 'string' },
    force: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  }, USAGE);
  if (!v.out) throw new UserError('scanlab dataset needs --out DIR, the merged dataset folder to create', USAGE);
  if (v.mode !== 'faker' && v.mode !== 'prefix') throw new UserError(`--mode must be faker or prefix, got "${v.mode}"`, USAGE);
  const seed = v.seed === undefined ? undefined : parseWholeNumber('--seed', v.seed, 0, USAGE);
  const { datasetDir, manifest } = await mergeRuns({ runDirs: positionals, outDir: v.out, testRuns: v.test, mode: v.mode, seed, force: v.force });
  if (v.json) {
    io.stdout.write(JSON.stringify({ datasetDir, runs: manifest.runs, split: manifest.split }) + '\n');
  } else {
    const packets = manifest.runs.reduce((n, r) => n + r.packets, 0);
    const flows = manifest.runs.reduce((n, r) => n + r.flows, 0);
    io.stdout.write(
      `dataset written to ${datasetDir}: ${manifest.runs.length} runs, ${packets} packets, ${flows} flows (verify-anon: no leaks in any run)\n` +
      `train: ${manifest.split.train.join(', ')}\ntest: ${manifest.split.test.join(', ')}\n` +
      `mapping tables (private, do not publish): ${datasetDir}.anon-mapping/\n`,
    );
  }
  return 0;
}
