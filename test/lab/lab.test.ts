// The lab by itself: namespaces on a bridge of their own, wire-like interfaces, nothing in the
// machine's own namespace, and removal of whatever a killed run left.

import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Lab } from '../../src/lab/lab.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { canRunLab, isRoot, CLI, PROJECT_ROOT, runCliSync, scanlabNamespaces, tempDir } from '../helpers/env.ts';

const nsExec = (ns: string, ...command: string[]) => execFileSync('ip', ['netns', 'exec', ns, ...command], { encoding: 'utf8' });

describe.runIf(isRoot)('Lab', () => {
  let lab: Lab | undefined;
  afterEach(async () => {
    await lab?.down();
  });

  test('up builds one namespace per host plus the switch, with lab addresses; down removes them', async () => {
    // Given the quick scenario's hosts
    const scenario = loadScenario(join(PROJECT_ROOT, 'scenarios/quick.yaml'));
    const rootLinksBefore = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' });
    lab = new Lab();
    // When the lab comes up
    await lab.up(scenario.hosts);
    // Then every host has its namespace and address, and hosts reach each other over the bridge
    expect(scanlabNamespaces(lab.id).sort()).toEqual([...scenario.hosts.map((h) => `${lab!.id}-${h.name}`), `${lab.id}-switch`].sort());
    const victim = lab.node('victim');
    expect(nsExec(victim.namespace, 'ip', '-4', '-o', 'addr', 'show', 'eth0')).toContain('198.18.0.10/16');
    expect(nsExec(lab.node('attacker').namespace, 'ping', '-c', '1', '-W', '2', victim.address)).toContain('1 received');
    // Offloads are off: frames on the wire are what the kernel would put on a real cable
    const features = nsExec(victim.namespace, 'ethtool', '-k', 'eth0');
    expect(features).toMatch(/tcp-segmentation-offload: off/);
    expect(features).toMatch(/generic-receive-offload: off/);
    expect(features).toMatch(/tx-checksumming: off/);
    // Nothing was added to the machine's own namespace
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).toBe(rootLinksBefore);
    // And down removes it all
    const id = lab.id;
    await lab.down();
    lab = undefined;
    expect(scanlabNamespaces(id)).toEqual([]);
  });

  test('a host\'s sysctls are set inside its namespace only', async () => {
    lab = new Lab();
    await lab.up([{ name: 'victim', role: 'victim', services: [], sysctls: { 'net.ipv4.icmp_ratelimit': 0 }, address: '198.18.0.10' }]);
    expect(nsExec(lab.node('victim').namespace, 'sysctl', '-n', 'net.ipv4.icmp_ratelimit').trim()).toBe('0');
    expect(execFileSync('sysctl', ['-n', 'net.ipv4.icmp_ratelimit'], { encoding: 'utf8' }).trim()).not.toBe('0');
  });

  test('two labs with the same addresses live side by side', async () => {
    const hosts = [{ name: 'victim', role: 'victim' as const, services: [], sysctls: {}, address: '198.18.0.10' }];
    lab = new Lab();
    const other = new Lab();
    try {
      await lab.up(hosts);
      await other.up(hosts);
      expect(lab.id).not.toBe(other.id);
      expect(scanlabNamespaces(other.id)).toHaveLength(2);
    } finally {
      await other.down();
    }
  });
});

describe.runIf(canRunLab)('scanlab lab', () => {
  test('status lists a lab, down <id> removes it', () => {
    const up = runCliSync(['lab', 'up', 'test/fixtures/scenarios/tiny.yaml']);
    expect(up.code, up.stderr).toBe(0);
    const id = /lab (sl[0-9a-f]{6}) is up/.exec(up.stdout)![1];
    expect(runCliSync(['lab', 'status']).stdout).toContain(id);
    const down = runCliSync(['lab', 'down', id]);
    expect(down.stdout).toContain(`removed ${id}`);
    expect(scanlabNamespaces(id)).toEqual([]);
    expect(runCliSync(['lab', 'down', id]).code).toBe(2);
  });

  test('down --all removes what a killed run left behind, processes included', async () => {
    // Given a run killed with SIGKILL (no chance to clean up) while its services run
    const child = spawn(process.execPath, [CLI, 'run', 'test/fixtures/scenarios/slow.yaml', '--no-tui', '--out', tempDir('killed')], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    const deadline = Date.now() + 60_000;
    while (!output.includes('step 1/1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const left = scanlabNamespaces();
    expect(left.length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(scanlabNamespaces().length).toBeGreaterThan(0);
    // When the user cleans up
    const down = runCliSync(['lab', 'down', '--all']);
    // Then nothing of scanlab is left: no namespace, no nginx or nmap it started
    expect(down.code, down.stderr).toBe(0);
    expect(scanlabNamespaces()).toEqual([]);
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps).not.toMatch(/scanlab-sl[0-9a-f]{6}/);
  });
});
