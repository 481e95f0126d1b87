// `scanlab verify-anon <dataset-dir> --original <file.pcap> [--json]`: exit 1 naming each leak.

import { checkInput } from '../util/checked-paths.ts';
import { parseCommandLine } from './args.ts';
import { formatLeak, verdict, verifyAnonymization, type VerifyResult } from '../anonymize/verify-anonymization.ts';
import { UserError } from '../errors.ts';

export const USAGE = 'usage: scanlab verify-anon <dataset-dir> --original <file.pcap> [--json]';

export default async function verifyAnon(
  args: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  const { values: v, positionals } = parseCommandLine('verify-anon', args, { original: { type: 'string' }, json: { type: 'boolean', default: false } }, USAGE);
  if (positionals.length !== 1) throw new UserError(`expected one dataset directory, got ${positionals.length}`, USAGE);
  if (!v.original) throw new UserError('--original <file.pcap> is required: the raw capture the dataset was made from', USAGE);
  checkInput(positionals[0], 'dataset', ['folder'], 'give the dataset folder written by scanlab anonymize or scanlab run');
  checkInput(v.original, 'original capture', ['file'], 'pass the run\'s capture.pcap');
  const r = verifyAnonymization(positionals[0], v.original);
  for (const note of r.originalNotes) io.stderr.write(`verify-anon: note: ${note}\n`);
  if (v.json) io.stdout.write(JSON.stringify(r) + '\n');
  if (r.leakCount > 0) {
    if (!v.json) {
      writeCoincidences(r, io.stdout);
      for (const l of r.leaks) io.stdout.write(`leak: ${formatLeak(l)}\n`);
      if (r.leakCount > r.leaks.length) io.stdout.write(`... and ${r.leakCount - r.leaks.length} more\n`);
    }
    for (const u of [...r.unchecked, ...r.originalProblems]) io.stderr.write(`verify-anon: also not checked: ${u}\n`);
    io.stderr.write(`verify-anon: ${r.leakCount} leak${r.leakCount === 1 ? '' : 's'} of original addresses in ${positionals[0]}\n`);
    return 1;
  }
  // Unchecked files, unread original packets or nothing to look for: a UserError, never "no leaks".
  verdict(r, positionals[0], v.original);
  if (!v.json) {
    io.stdout.write(`no leaks: ${r.files} files, ${r.bytes} bytes searched for ${r.addresses.ipv4} IPv4, ${r.addresses.ipv6} IPv6 and ${r.addresses.mac} MAC addresses in ${r.patterns} encodings\n`);
    writeCoincidences(r, io.stdout);
  }
  return 0;
}

/** Matches inside number fields: said, with the first few, so nobody mistakes them for leaks or misses them. */
function writeCoincidences(r: VerifyResult, out: NodeJS.WritableStream): void {
  if (r.coincidenceCount === 0) return;
  out.write(`${r.coincidenceCount} match${r.coincidenceCount === 1 ? '' : 'es'} inside number fields (sequence numbers, timestamps, checksums, lengths, or across adjacent header fields), the same bytes by chance, not addresses:\n`);
  for (const c of r.coincidences.slice(0, 5)) out.write(`  ${formatLeak(c)}, in the ${c.field}\n`);
  if (r.coincidenceCount > 5) out.write(`  ... and ${r.coincidenceCount - 5} more (all with --json)\n`);
}
