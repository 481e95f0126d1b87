// `scanlab anonymize <run-dir|file.pcap> --out DIR [--mode faker|prefix] [--seed N] [--key FILE]
//  [--mapping FILE] [--keep-payload] [--dns rewrite|cut] [--fake-v4 CIDR] [--fake-v6 CIDR] [--force]`

import { parseCommandLine, parseWholeNumber } from './args.ts';
import { exportDataset } from '../dataset/export-dataset.ts';
import { UserError } from '../errors.ts';

export const USAGE = 'usage: scanlab anonymize <run-dir|file.pcap> --out DIR [--mode faker|prefix] [--seed N] [--key FILE] [--mapping FILE] [--keep-payload] [--dns rewrite|cut] [--fake-v4 CIDR] [--fake-v6 CIDR] [--force] [--json]';

export default async function anonymize(
  args: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  const { values: v, positionals } = parseCommandLine('anonymize', args, {
    out: { type: 'string' },
    mode: { type: 'string', default: 'faker' },
    seed: { type: 'string' },
    key: { type: 'string' },
    mapping: { type: 'string' },
    'keep-payload': { type: 'boolean', default: false },
    dns: { type: 'string', default: 'rewrite' },
    'fake-v4': { type: 'string' },
    'fake-v6': { type: 'string' },
    force: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  }, USAGE);
  if (positionals.length !== 1) throw new UserError(`expected one run directory or capture file, got ${positionals.length}`, USAGE);
  if (v.mode !== 'faker' && v.mode !== 'prefix') throw new UserError(`--mode must be faker or prefix, got "${v.mode}"`, USAGE);
  if (v.dns !== 'rewrite' && v.dns !== 'cut') throw new UserError(`--dns must be rewrite or cut, got "${v.dns}"`, USAGE);
  const seed = v.seed === undefined ? undefined : parseWholeNumber('--seed', v.seed, 0, USAGE);
  if (v.key && v.mode !== 'prefix') throw new UserError('--key only applies to --mode prefix', 'add --mode prefix, or drop --key');
  const result = await exportDataset({
    input: positionals[0], outDir: v.out, mode: v.mode, seed, keyFile: v.key, mappingFile: v.mapping,
    keepPayload: v['keep-payload'], dns: v.dns, force: v.force, fakeV4Range: v['fake-v4'], fakeV6Range: v['fake-v6'],
  });
  for (const w of result.warnings) io.stderr.write(`anonymize: warning: ${w}\n`);
  if (v.json) {
    io.stdout.write(JSON.stringify({ datasetDir: result.datasetDir, mappingPath: result.mappingPath, packets: result.packets, leaks: 0, timings: result.timings }) + '\n');
  } else {
    io.stdout.write(
      `dataset written to ${result.datasetDir} (${result.packets} packets, mode ${result.manifest.anonymization.mode}, verify-anon: no leaks)\n` +
      `mapping table (private, do not publish): ${result.mappingPath}\n`,
    );
  }
  return 0;
}
