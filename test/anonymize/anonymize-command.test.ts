// `scanlab anonymize`: options checked at the door, a dataset written, bad input as UserError.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import anonymize from '../../src/commands/anonymize.ts';
import { UserError } from '../../src/errors.ts';
import { makeLabRunDir } from './fixtures/run-dir.ts';
import { useTmpDir } from './fixtures/tmp-dir.ts';

const tmp = useTmpDir('anon-cmd');

function io() {
  let out = '';
  const stdout = new Writable({ write(c, _e, cb) { out += c; cb(); } });
  const stderr = new Writable({ write(_c, _e, cb) { cb(); } });
  return { io: { stdout, stderr }, out: () => out };
}

describe('scanlab anonymize', () => {
  test('writes the dataset and names the private mapping file', async () => {
    const run = makeLabRunDir(join(tmp, 'run'));
    const s = io();
    expect(await anonymize([run, '--out', join(tmp, 'ds'), '--mode', 'prefix', '--seed', '4'], s.io)).toBe(0);
    expect(s.out()).toContain('verify-anon: no leaks');
    expect(s.out()).toContain(join(run, 'anon-mapping.json'));
    expect(readdirSync(join(tmp, 'ds')).sort()).toEqual(['README.md', 'capture.pcap', 'labels.csv', 'manifest.json', 'packets.csv']);
  });

  test.each([
    [['--out', 'x'], /expected one run directory or capture file, got 0/],
    [['a.pcap', '--out', 'x', '--mode', 'random'], /--mode must be faker or prefix, got "random"/],
    [['a.pcap', '--out', 'x', '--seed', '1.5'], /--seed must be a non-negative integer/],
    [['a.pcap', '--out', 'x', '--key', 'k'], /--key only applies to --mode prefix/],
    [['a.pcap', '--bogus'], /Unknown option '--bogus'/],
    [[join('/nonexistent', 'a.pcap'), '--out', 'x'], /capture file .*a\.pcap does not exist/],
  ])('refuses %j', async (args, message) => {
    const s = io();
    const run = anonymize(args as string[], s.io);
    await expect(run).rejects.toThrow(UserError);
    await expect(anonymize(args as string[], s.io)).rejects.toThrow(message);
  });

  test('a capture file needs --out and leaves nothing when refused', async () => {
    const run = makeLabRunDir(join(tmp, 'run2'));
    await expect(anonymize([join(run, 'capture.pcap')], io().io)).rejects.toThrow(/needs --out DIR/);
    expect(existsSync(join(run, 'dataset'))).toBe(false);
  });
});
