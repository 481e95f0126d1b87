// `scanlab anonymize`: options checked at the door, a dataset written, bad input as UserError.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import anonymize from '../../src/commands/anonymize.ts';
import { UserError } from '../../src/errors.ts';
import { makeLabRunDir } from './fixtures/run-dir.ts';
import { useTmpDir } from './fixtures/tmp-dir.ts';
import { captureIO } from '../helpers/io.ts';

const tmp = useTmpDir('anon-cmd');

describe('scanlab anonymize', () => {
  test('writes the dataset and names the private mapping file', async () => {
    const run = makeLabRunDir(join(tmp, 'run'));
    const s = captureIO();
    expect(await anonymize([run, '--out', join(tmp, 'ds'), '--mode', 'prefix', '--seed', '4'], s.io)).toBe(0);
    expect(s.out()).toContain('verify-anon: no leaks');
    expect(s.out()).toContain(join(run, 'anon-mapping.json'));
    expect(readdirSync(join(tmp, 'ds')).sort()).toEqual(['README.md', 'capture.pcap', 'flows.csv', 'flows.parquet', 'labels.csv', 'labels.parquet', 'manifest.json', 'packets.csv', 'packets.parquet']);
  });

  test.each([
    [['--out', 'x'], /expected one run directory or capture file, got 0/],
    [['a.pcap', '--out', 'x', '--mode', 'random'], /--mode must be faker or prefix, got "random"/],
    [['a.pcap', '--out', 'x', '--seed', '1.5'], /--seed expects a whole number >= 0, got "1.5"/],
    [['a.pcap', '--out', 'x', '--key', 'k'], /--key only applies to --mode prefix/],
    [['a.pcap', '--bogus'], /Unknown option '--bogus'/],
    [[join('/nonexistent', 'a.pcap'), '--out', 'x'], /capture file .*a\.pcap does not exist/],
  ])('refuses %j', async (args, message) => {
    const s = captureIO();
    const run = anonymize(args as string[], s.io);
    await expect(run).rejects.toThrow(UserError);
    await expect(anonymize(args as string[], s.io)).rejects.toThrow(message);
  });

  test('--fake-v4 picks the range fake IPv4 addresses come from', async () => {
    // Given a run, when it is anonymized into 100.64.0.0/10 (shared address space, not public)
    const run = makeLabRunDir(join(tmp, 'run3'));
    expect(await anonymize([run, '--out', join(tmp, 'ds3'), '--fake-v4', '100.64.0.0/10'], captureIO().io)).toBe(0);
    // Then every unicast address in packets.csv is inside it
    const rows = readFileSync(join(tmp, 'ds3', 'packets.csv'), 'utf8').trim().split('\n').slice(1);
    const addresses = rows.flatMap((r) => r.split('","').slice(2, 4)).filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
    expect(addresses.length).toBeGreaterThan(0);
    for (const a of addresses.filter((x) => !/^(0|127|2(2[4-9]|[3-5]\d))\./.test(x))) {
      const [o1, o2] = a.split('.').map(Number);
      expect(o1 === 100 && o2 >= 64 && o2 < 128, a).toBe(true);
    }
    // And the manifest and the data card name that range, not the default one
    const manifest = JSON.parse(readFileSync(join(tmp, 'ds3', 'manifest.json'), 'utf8'));
    expect(manifest.anonymization.fakeRanges).toEqual({ ipv4: '100.64.0.0/10', ipv6: 'fd00::/8' });
    expect(readFileSync(join(tmp, 'ds3', 'README.md'), 'utf8')).toContain('from 100.64.0.0/10 and fd00::/8');
    await expect(anonymize([run, '--out', join(tmp, 'ds4'), '--fake-v4', 'nonsense'], captureIO().io)).rejects.toThrow(/fake IPv4 range \(--fake-v4\) nonsense: not an IPv4 CIDR/);
  });

  test('a capture file needs --out and leaves nothing when refused', async () => {
    const run = makeLabRunDir(join(tmp, 'run2'));
    await expect(anonymize([join(run, 'capture.pcap')], captureIO().io)).rejects.toThrow(/needs --out DIR/);
    expect(existsSync(join(run, 'dataset'))).toBe(false);
  });
});
