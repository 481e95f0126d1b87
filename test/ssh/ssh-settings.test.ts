// The SSH settings read from the environment: unset means the default, a set value is used as
// given, and a bad one is refused by name, by sshSettings itself and by `scanlab run` before it
// creates a run directory or starts ssh.

import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SSH_SETTINGS, sshSettings, unansweredKeepAlives } from '../../src/lab/ssh-settings.ts';
import { UserError } from '../../src/errors.ts';
import { runCliSync, tempDir } from '../helpers/env.ts';

describe('SSH settings from the environment', () => {
  test('unset or empty variables give the defaults', () => {
    const defaults = Object.fromEntries(SSH_SETTINGS.map((s) => [s.key, s.fallback]));
    expect(sshSettings({})).toEqual(defaults);
    expect(sshSettings(Object.fromEntries(SSH_SETTINGS.map((s) => [s.name, ' '])))).toEqual(defaults);
  });

  test('each variable sets its own value', () => {
    for (const [i, s] of SSH_SETTINGS.entries()) {
      const value = s.min + 7 + i;
      expect(sshSettings({ [s.name]: String(value) })[s.key], s.name).toBe(value);
    }
  });

  test.each(SSH_SETTINGS.flatMap((s) => ['soon', '1.5', '-1', String(s.min - 1), '1e400'].map((bad) => [s.name, bad, s.min] as const)))('%s=%s is refused, naming the variable', (name, bad, min) => {
    let error: unknown;
    try {
      sshSettings({ [name]: bad });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(`${name}="${bad}"`);
    expect((error as UserError).message).toContain(`at least ${min}`);
    expect((error as UserError).hint).toContain(name);
  });

  test('the reconnect window may be 0 (one try)', () => {
    expect(sshSettings({ SCANLAB_SSH_RECONNECT_MS: '0' }).reconnectMs).toBe(0);
  });

  test('a silent exit after unanswered keep-alives is said with the settings in force', () => {
    const text = unansweredKeepAlives(sshSettings({ SCANLAB_SSH_ALIVE_INTERVAL: '2', SCANLAB_SSH_ALIVE_COUNT: '4' }));
    // ssh gives up at the check after its 4th unanswered keep-alive: 5 intervals of 2 s
    expect(text).toContain('for 10 s');
    expect(text).toContain('ServerAliveInterval=2, ServerAliveCountMax=4');
  });
});

describe('scanlab run with a bad SSH setting', () => {
  test('exits 2 naming the variable, before any run directory or connection', () => {
    const dir = tempDir('ssh-settings');
    const scenario = join(dir, 'ssh.yaml');
    // Loopback only: if the setting were not checked first, ssh would try 127.0.0.1 and fail otherwise.
    writeFileSync(scenario, `name: bad-ssh-setting
description: an SSH lab whose run must not start
lab: { kind: ssh, scope: [127.0.0.1] }
hosts:
  - { name: victim, role: victim, ssh: root@127.0.0.1, interface: lo }
  - { name: attacker, role: attacker, ssh: root@127.0.0.1, interface: lo }
attacks:
  - { name: s, targets: [victim], nmap: "-sS -p 1-5" }
`);
    const out = join(dir, 'runs');
    const result = runCliSync(['run', scenario, '--no-tui', '--out', out], { env: { SCANLAB_SSH_ALIVE_INTERVAL: 'often' } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('SCANLAB_SSH_ALIVE_INTERVAL="often" is not valid');
    expect(existsSync(out)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
