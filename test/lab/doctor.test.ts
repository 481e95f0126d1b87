// `scanlab doctor` for real: the real binary, real namespaces (it makes one and deletes it), real
// programs found or not on PATH. "Not installed" is made by giving it a PATH of links to every
// program it checks except the ones a test leaves out. Needs root.
import { afterAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isRoot, runCliSync, tempDir } from '../helpers/env.ts';
import { findExecutable, TOOLS } from '../../src/lab/prerequisites.ts';

const dir = tempDir('doctor');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A PATH holding every program the doctor looks for that this machine has, except `leaveOut`. */
function pathWithout(...leaveOut: string[]): string {
  const bin = join(dir, `bin-${leaveOut.join('-') || 'all'}`);
  mkdirSync(bin);
  for (const { command } of Object.values(TOOLS)) {
    const found = findExecutable(command);
    if (found && !command.startsWith('/') && !leaveOut.includes(command)) symlinkSync(found, join(bin, command));
  }
  return bin;
}

const namespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });

describe.runIf(isRoot)('scanlab doctor', () => {
  test('on this machine, set up by npm run setup: every required piece is there, exit 0, no namespace left', () => {
    const r = runCliSync(['doctor'], { env: { PATH: pathWithout() } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok\s+root\s+running as root$/m);
    expect(r.stdout).toMatch(/^ok\s+network namespaces\s+ip netns add and delete work \(tried (sl[0-9a-f]{6}-doctor)\)$/m);
    expect(r.stdout).toMatch(/^ok\s+libpcap binding\s+loads under Node/m);
    expect(r.stdout).toMatch(/^ok\s+nmap\s+\//m);
    expect(r.stdout).not.toMatch(/^MISSING/m);
    expect(r.stdout).toContain('scanlab has everything it needs here');
    expect(r.code).toBe(0);
    const probe = r.stdout.match(/tried (sl[0-9a-f]{6}-doctor)/)![1];
    expect(namespaces()).not.toContain(probe);
  });

  test('without nmap: names nmap and its apt install command, exits 1', () => {
    const r = runCliSync(['doctor'], { env: { PATH: pathWithout('nmap') } });
    expect(r.stdout).toMatch(/^MISSING\s+nmap\s+nmap is not installed \(not on PATH\): runs the attack steps\n\s+install: apt-get install nmap$/m);
    expect(r.stdout).toContain('missing, and needed for a run: nmap.');
    expect(r.stdout).toContain('Install them all: apt-get install nmap');
    expect(r.code).toBe(1);
  });

  test('with nothing on PATH: every program missing, each with its package, and the namespace check says it needs ip', () => {
    const r = runCliSync(['doctor', '--json'], { env: { PATH: join(dir, 'empty') } });
    expect(r.code).toBe(1);
    const { ok, findings } = JSON.parse(r.stdout) as { ok: boolean; findings: { name: string; ok: boolean; required: boolean; fix?: string }[] };
    expect(ok).toBe(false);
    const missing = Object.fromEntries(findings.filter((f) => !f.ok).map((f) => [f.name, f.fix]));
    expect(missing).toMatchObject({
      'network namespaces': 'apt-get install iproute2',
      ip: 'apt-get install iproute2',
      nmap: 'apt-get install nmap',
      nginx: 'apt-get install nginx-light',
      dnsmasq: 'apt-get install dnsmasq-base',
      tcpdump: 'apt-get install tcpdump',
      tshark: 'apt-get install tshark',
      p0f: 'apt-get install p0f',
    });
    // Found by absolute path whatever PATH says, as scanlab runs it.
    expect(findings.find((f) => f.name === 'sshd')?.ok).toBe(true);
    expect(findings.filter((f) => !f.required).map((f) => f.name)).toEqual(['tcpdump', 'tshark', 'p0f']);
  });
});
