// Hostile captures through analyze, anonymize and verify-anon: thousands of seeded mutations of
// real captures (tcpdump's loopback fixtures, cut with editcap, moved onto lab addresses with
// tcprewrite, and converted to pcapng by editcap). Bit flips, truncations, and every length field
// the formats have (pcap file and record headers, pcapng block, option and packet lengths, IP/UDP/
// TCP lengths inside the frames) set to 0, 1, 0xFFFF and 0xFFFFFFFF.
// In-process for most mutations: the only exception allowed is a UserError (exit 2), and our own
// anonymized output must never leak. A smaller seeded sample runs through the real CLI with a
// timeout: exit 0, 1 or 2, never "scanlab hit a bug", never a hang.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyzeCapture } from '../../src/analysis/analyze-capture.ts';
import { anonymizeCapture } from '../../src/anonymize/anonymize-capture.ts';
import { verifyAnonymization } from '../../src/anonymize/verify-anonymization.ts';
import { readCapture } from '../../src/capture/pcap-file.ts';
import { UserError } from '../../src/errors.ts';
import { seededRandom, type Random } from '../../src/util/seeded-random.ts';
import { hasEditcap, run, tempDir } from '../helpers/tools.ts';

const FIXTURES = new URL('../fixtures/captures/', import.meta.url).pathname;
const BIN = new URL('../../bin/scanlab.js', import.meta.url).pathname;
const IN_PROCESS = 2000;
const THROUGH_CLI = 4;
const CLI_TIMEOUT_MS = 30_000;
const canBuild = hasEditcap && existsSync('/usr/bin/tcprewrite');

// On tmpfs when there is one: thousands of small files are written and read.
const tmp = existsSync('/dev/shm') ? (() => { const path = mkdtempSync('/dev/shm/scanlab-fuzz-'); return { path, remove: () => rmSync(path, { recursive: true, force: true }) }; })() : tempDir('fuzz');
afterAll(() => tmp.remove());

/** A length field of a capture file: where, how wide, which byte order. */
interface Field { offset: number; size: 2 | 4; little: boolean }

const bases: { name: string; bytes: Buffer; fields: Field[] }[] = [];

beforeAll(() => {
  if (!canBuild) return;
  for (const [name, source] of [['ether', 'lo-mixed.pcap'], ['sll2', 'lo-any-sll2.pcap']]) {
    const cut = join(tmp.path, `${name}-cut.pcap`);
    run('editcap', ['-F', 'pcap', '-r', join(FIXTURES, source), cut, '1-40']);
    const lab = join(tmp.path, `${name}.pcap`);
    // tcprewrite has no Linux cooked v2 plugin: that one keeps its loopback addresses.
    if (name === 'sll2') run('editcap', ['-F', 'pcap', cut, lab]);
    else run('/usr/bin/tcprewrite', ['--pnat=127.0.0.0/8:198.18.0.0/16,[::1]/128:[2001:db8:5::1]/128', '--enet-smac=02:42:c6:12:00:14', '--enet-dmac=00:1b:21:3a:4b:5c', '--fixcsum', '-i', cut, '-o', lab]);
    const bytes = readFileSync(lab);
    bases.push({ name, bytes, fields: classicFields(bytes) });
    if (name === 'ether') {
      const ng = join(tmp.path, 'ether.pcapng');
      run('editcap', ['-F', 'pcapng', lab, ng]);
      const ngBytes = readFileSync(ng);
      bases.push({ name: 'ether-ng', bytes: ngBytes, fields: pcapngFields(ngBytes) });
    }
  }
});

/** snaplen, then incl_len and orig_len of every record, and the IP/UDP/TCP lengths in each frame. */
function classicFields(b: Buffer): Field[] {
  const fields: Field[] = [{ offset: 16, size: 4, little: true }];
  const link = b.readUInt32LE(20);
  for (let h = 24; h + 16 <= b.length; h += 16 + b.readUInt32LE(h + 8)) {
    fields.push({ offset: h + 8, size: 4, little: true }, { offset: h + 12, size: 4, little: true });
    frameFields(b, h + 16, link === 1 ? 14 : 20, fields);
  }
  return fields;
}

/** Every block's two total lengths, IDB option lengths, EPB captured and original lengths. */
function pcapngFields(b: Buffer): Field[] {
  const fields: Field[] = [];
  for (let p = 0; p + 12 <= b.length;) {
    const type = b.readUInt32LE(p);
    const len = b.readUInt32LE(p + 4);
    fields.push({ offset: p + 4, size: 4, little: true }, { offset: p + len - 4, size: 4, little: true });
    if (type === 1) for (let o = p + 16; o + 4 <= p + len - 4; o += 4 + ((b.readUInt16LE(o + 2) + 3) & ~3)) {
      fields.push({ offset: o + 2, size: 2, little: true });
      if (b.readUInt16LE(o) === 0) break;
    }
    if (type === 0x0a0d0d0a) for (let o = p + 24; o + 4 <= p + len - 4; o += 4 + ((b.readUInt16LE(o + 2) + 3) & ~3)) {
      fields.push({ offset: o + 2, size: 2, little: true });
      if (b.readUInt16LE(o) === 0) break;
    }
    if (type === 6) {
      fields.push({ offset: p + 8, size: 4, little: true }, { offset: p + 20, size: 4, little: true }, { offset: p + 24, size: 4, little: true });
      frameFields(b, p + 28, 14, fields);
    }
    p += len;
  }
  return fields;
}

/** IPv4 total length and header length, IPv6 payload length, UDP length, TCP data offset. */
function frameFields(b: Buffer, frame: number, ipAt: number, fields: Field[]): void {
  const ip = frame + ipAt;
  if (ip + 40 > b.length) return;
  const version = b[ip] >> 4;
  if (version === 4) {
    fields.push({ offset: ip, size: 2, little: false }, { offset: ip + 2, size: 2, little: false });
    const l4 = ip + (b[ip] & 0x0f) * 4;
    if (b[ip + 9] === 17) fields.push({ offset: l4 + 4, size: 2, little: false });
    if (b[ip + 9] === 6) fields.push({ offset: l4 + 12, size: 2, little: false });
  } else if (version === 6) {
    fields.push({ offset: ip + 4, size: 2, little: false });
    if (b[ip + 6] === 17) fields.push({ offset: ip + 44, size: 2, little: false });
    if (b[ip + 6] === 6) fields.push({ offset: ip + 52, size: 2, little: false });
  }
}

const LENGTHS = [0, 1, 0xffff, 0xffffffff];

/** One seeded mutation of a base capture, and what it did (for the failure message). */
function mutate(base: (typeof bases)[number], random: Random): { bytes: Buffer; what: string } {
  const pick = (n: number) => Math.floor(random() * n);
  const b = Buffer.from(base.bytes);
  const kind = pick(4);
  if (kind === 0) {
    const flips = 1 + pick(8);
    const at: number[] = [];
    for (let k = 0; k < flips; k++) { const o = pick(b.length); b[o] ^= 1 << pick(8); at.push(o); }
    return { bytes: b, what: `${base.name}: bits flipped at ${at.join(',')}` };
  }
  if (kind === 1) {
    const n = pick(b.length);
    return { bytes: b.subarray(0, n), what: `${base.name}: cut to ${n} bytes` };
  }
  // Length fields, one to three of them, sometimes with a cut as well.
  const edits: string[] = [];
  for (let k = 0, n = 1 + pick(3); k < n; k++) {
    const f = base.fields[pick(base.fields.length)];
    const v = LENGTHS[pick(LENGTHS.length)];
    if (f.offset + f.size > b.length) continue;
    if (f.size === 4) { if (f.little) b.writeUInt32LE(v >>> 0, f.offset); else b.writeUInt32BE(v >>> 0, f.offset); }
    else if (f.little) b.writeUInt16LE(v & 0xffff, f.offset); else b.writeUInt16BE(v & 0xffff, f.offset);
    edits.push(`${f.offset}=${v.toString(16)}`);
  }
  const cut = kind === 3 ? pick(b.length) : b.length;
  return { bytes: b.subarray(0, cut), what: `${base.name}: length fields ${edits.join(',')}${kind === 3 ? `, cut to ${cut}` : ''}` };
}

/** Runs `fn`; any exception but a UserError is recorded as a failure. */
function expectOnlyUserErrors(what: string, step: string, fn: () => void, failures: string[]): boolean {
  try {
    fn();
    return true;
  } catch (error) {
    if (!(error instanceof UserError)) failures.push(`${what} -> ${step}: ${(error as Error).stack ?? error}`);
    return false;
  }
}

const FEATURES = ['host-window', 'sds-window', 'kaggle-flow'];

describe.runIf(canBuild)('seeded mutations of real captures', () => {
  test(`${IN_PROCESS} mutations through analyze, anonymize and verify-anon in-process: only UserErrors, no leaks`, () => {
    const random = seededRandom(20261201);
    const failures: string[] = [];
    let refused = 0;
    let damaged = 0;
    const dataset = join(tmp.path, 'dataset');
    const tampered = join(tmp.path, 'tampered');
    mkdirSync(dataset);
    mkdirSync(tampered);
    for (let i = 0; i < IN_PROCESS && failures.length < 5; i++) {
      const base = bases[i % bases.length];
      const { bytes, what } = mutate(base, random);
      const input = join(tmp.path, base.name.endsWith('-ng') ? 'in.pcapng' : 'in.pcap');
      writeFileSync(input, bytes);
      const before = failures.length;
      // analyze: the whole pipeline with one feature set per mutation, in turn.
      const analyzed = expectOnlyUserErrors(what, 'analyze', () => {
        analyzeCapture({ pcapPath: input, scanners: [], featureSets: [FEATURES[i % FEATURES.length]], k: 3 });
      }, failures);
      // anonymize, then verify-anon of our own output against the mutated original: no leaks.
      const anonymized = expectOnlyUserErrors(what, 'anonymize', () => anonymizeCapture(input, join(dataset, 'capture.pcap'), { mode: i % 2 ? 'prefix' : 'faker', seed: i }), failures);
      if (anonymized) {
        expectOnlyUserErrors(what, 'verify-anon', () => {
          const r = verifyAnonymization(dataset, input);
          if (r.leakCount > 0) failures.push(`${what} -> verify-anon of its own anonymized output: ${r.leakCount} leaks, first ${JSON.stringify(r.leaks[0])}`);
        }, failures);
      }
      // verify-anon of a tampered dataset (the mutated bytes as its capture) against the intact
      // original, every other mutation.
      if (i % 2 === 0) {
        writeFileSync(join(tampered, 'capture.pcap'), bytes);
        const originalPath = join(tmp.path, `${base.name}.orig${base.name.endsWith('-ng') ? '.pcapng' : '.pcap'}`);
        if (!existsSync(originalPath)) writeFileSync(originalPath, base.bytes);
        expectOnlyUserErrors(what, 'verify-anon of a tampered dataset', () => verifyAnonymization(tampered, originalPath), failures);
      }
      if (!analyzed || !anonymized) refused++;
      try { if (readCapture(input, () => {}).warnings.length > 0) damaged++; } catch { /* refused above */ }
      if (failures.length > before) writeFileSync(join(tmp.path, `failure-${before}.pcap`), bytes);
    }
    expect(failures).toEqual([]);
    // Not vacuous: many mutations were refused with a UserError, many more read with a warning.
    expect(refused).toBeGreaterThan(IN_PROCESS / 50);
    expect(damaged).toBeGreaterThan(IN_PROCESS / 5);
  }, 900_000); // about 40 s on an idle 2-core machine; the limit only stops a runaway on a loaded one

  test(`${THROUGH_CLI} mutations through the real CLI: exit 0, 1 or 2, no bug, no hang`, async () => {
    const random = seededRandom(7);
    const failures: string[] = [];
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < THROUGH_CLI; i++) {
      const base = bases[i % bases.length];
      const { bytes, what } = mutate(base, random);
      const dir = join(tmp.path, `cli-${i}`);
      mkdirSync(dir);
      const input = join(dir, base.name.endsWith('-ng') ? 'in.pcapng' : 'in.pcap');
      writeFileSync(input, bytes);
      const out = join(dir, 'dataset');
      jobs.push((async () => {
        for (const argsOf of [
          () => ['analyze', input, '--features', 'host-window', '--k', '3'],
          () => ['anonymize', input, '--out', out],
          // A dataset when anonymize made one, else the folder holding only the mutated capture.
          () => ['verify-anon', existsSync(out) ? out : dir, '--original', input],
        ]) {
          const args = argsOf();
          const r = await scanlab(args);
          if (r.timedOut || ![0, 1, 2].includes(r.code ?? -1) || /hit a bug/.test(r.stderr)) {
            failures.push(`${what} -> scanlab ${args.join(' ')}: ${r.timedOut ? 'hung' : `exit ${r.code}`}: ${r.stderr.slice(0, 2000)}`);
          }
        }
      })());
      if (jobs.length === 2) await Promise.all(jobs.splice(0));
    }
    await Promise.all(jobs);
    expect(failures).toEqual([]);
  }, 600_000);
});

function scanlab(args: string[]): Promise<{ code: number | null; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, CLI_TIMEOUT_MS);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stderr, timedOut }); });
  });
}
