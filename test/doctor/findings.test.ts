// The doctor's pure parts: finding programs on PATH, reading privileges, the printed list.
// The real doctor, with real namespaces and a stripped PATH, is tested in test/lab/doctor.test.ts.
import { afterAll, describe, expect, test } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, privilegeFinding, type Finding } from '../../src/lab/prerequisites.ts';
import { formatFindings } from '../../src/commands/doctor.ts';

const dir = mkdtempSync(join(tmpdir(), 'scanlab-doctor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findExecutable', () => {
  test('the first executable of that name on PATH; a file without the x bit does not count', () => {
    const [a, b] = ['a', 'b'].map((d) => join(dir, d));
    for (const d of [a, b]) mkdirSync(d);
    writeFileSync(join(a, 'tool'), '#!/bin/sh\n');
    writeFileSync(join(b, 'tool'), '#!/bin/sh\n');
    chmodSync(join(b, 'tool'), 0o755);
    expect(findExecutable('tool', `${a}:${b}`)).toBe(join(b, 'tool'));
    chmodSync(join(a, 'tool'), 0o755);
    expect(findExecutable('tool', `${a}:${b}`)).toBe(join(a, 'tool'));
    expect(findExecutable('tool', '/nonexistent')).toBeUndefined();
    expect(findExecutable(join(b, 'tool'), '')).toBe(join(b, 'tool'));
  });
});

describe('privilegeFinding', () => {
  test('root is enough; otherwise CAP_NET_ADMIN, CAP_NET_RAW and CAP_SYS_ADMIN in the effective set', () => {
    expect(privilegeFinding(0, '').ok).toBe(true);
    // 0x203000: bits 12, 13 and 21.
    expect(privilegeFinding(1000, 'Name:\tnode\nCapEff:\t0000000000203000\n')).toMatchObject({ ok: true, detail: expect.stringContaining('not root') });
    const without = privilegeFinding(1000, 'CapEff:\t0000000000003000\n');
    expect(without).toMatchObject({ ok: false, detail: 'not root (uid 1000) and without CAP_SYS_ADMIN' });
    expect(without.fix).toContain('sudo');
    expect(privilegeFinding(1000, 'CapEff:\t0000000000000000\n').detail).toContain('CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_ADMIN');
  });
});

describe('formatFindings', () => {
  const ok: Finding = { name: 'ip', why: 'builds the lab', required: true, ok: true, detail: '/usr/sbin/ip' };
  const nmap: Finding = { name: 'nmap', why: 'runs the attack steps', required: true, ok: false, detail: 'nmap is not installed', fix: 'apt-get install nmap', packages: ['nmap'] };
  const p0f: Finding = { name: 'p0f', why: 'optional: a detector', required: false, ok: false, detail: 'p0f is not installed', fix: 'apt-get install p0f', packages: ['p0f'] };

  test('each missing piece with its install command, and one command for all that a run needs', () => {
    const text = formatFindings([ok, nmap, p0f]);
    expect(text).toMatch(/^ok\s+ip\s+\/usr\/sbin\/ip$/m);
    expect(text).toMatch(/^MISSING\s+nmap\s+nmap is not installed: runs the attack steps\n\s+install: apt-get install nmap$/m);
    expect(text).toMatch(/^missing\s+p0f\s+/m);
    expect(text).toContain('missing, and needed for a run: nmap.');
    expect(text).toMatch(/Install them all: \S+ install nmap\n/);
  });

  test('all required there: says so, and names the optional pieces missing', () => {
    const text = formatFindings([ok, p0f]);
    expect(text).toContain('scanlab has everything it needs here (optional and missing: p0f).');
    expect(text).not.toContain('Install them all');
  });
});
