// Missing prerequisites are messages that say what to install, with exit 2, before anything runs.

import { mkdirSync, symlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { isRoot, runCliSync, tempDir } from '../helpers/env.ts';

const which = (cmd: string) => execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();

describe.runIf(isRoot)('prerequisites', () => {
  test('without nmap on PATH the run stops with an install hint and exit 2', () => {
    // Given a PATH that has everything but nmap
    const bin = tempDir('path');
    for (const tool of ['ip', 'ethtool', 'ss', 'sysctl', 'sh', 'nginx', 'openssl', 'dnsmasq', 'ssh-keygen']) {
      const target = which(tool);
      if (!existsSync(join(bin, tool))) symlinkSync(target, join(bin, tool));
    }
    const out = tempDir('nonmap');
    // When a scenario with an attack runs
    const result = runCliSync(['run', 'test/fixtures/scenarios/tiny.yaml', '--no-tui', '--out', out], { env: { PATH: bin } });
    // Then it says what to install
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nmap is not installed');
    expect(result.stderr).toMatch(/apt-get install nmap/);
  });

  test('not root: a clear message and exit 2', () => {
    const home = tempDir('nobody');
    mkdirSync(home, { recursive: true });
    execFileSync('chmod', ['777', home]);
    const result = (() => {
      try {
        const stdout = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, 'bin/scanlab.js', 'run', 'test/fixtures/scenarios/tiny.yaml', '--no-tui', '--out', home], { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, HOME: home } });
        return { code: 0, stderr: '', stdout };
      } catch (error) {
        const e = error as { status: number; stderr: string };
        return { code: e.status, stderr: e.stderr };
      }
    })();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('scanlab needs root');
  });

  test('a target outside the lab is refused before anything starts', () => {
    const out = tempDir('scope');
    const result = runCliSync(['run', 'test/fixtures/scenarios/bad/target-in-args.yaml', '--no-tui', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"8.8.8.8" looks like a target');
    expect(execFileSync('ls', [out], { encoding: 'utf8' })).toBe('');
  });
});
