// A lab with IPv6 (lab: { ipv6: true }): each host gets its 2001:2::/48 address besides its IPv4
// one, usable at once (no duplicate address detection), services listen on both, and nmap -6
// reaches the lab's IPv6 hosts and nothing else. Real namespaces, nginx and nmap; the lab is
// always removed.

import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { Lab } from '../../src/lab/lab.ts';
import { startServices } from '../../src/lab/services.ts';
import { runNmapStep } from '../../src/attack/nmap.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { UserError } from '../../src/errors.ts';
import { canRunLab, scanlabNamespaces, tempDir } from '../helpers/env.ts';

const nsExec = (ns: string, ...command: string[]) => execFileSync('ip', ['netns', 'exec', ns, ...command], { encoding: 'utf8' });

const SCENARIO = `
name: ipv6-lab
description: two hosts with IPv6 addresses, one serving http
lab: { ipv6: true }
hosts:
  - { name: victim, role: victim, services: [http] }
  - { name: attacker, role: attacker }
`;

describe.runIf(canRunLab)('a lab with IPv6', () => {
  let lab: Lab | undefined;
  afterEach(async () => {
    const id = lab?.id;
    await lab?.down();
    lab = undefined;
    // Always: nothing of the lab is left
    if (id) expect(scanlabNamespaces(id)).toEqual([]);
  });

  test('hosts get their 2001:2::/48 addresses ready at once, services listen on them, nmap -6 scans them', async () => {
    // Given the lab up with its services
    const scenario = parseScenario(SCENARIO, 'ipv6-lab.yaml');
    lab = new Lab();
    await lab.up(scenario.hosts);
    const victim = lab.node('victim');
    const attacker = lab.node('attacker');
    expect([victim.address6, attacker.address6]).toEqual(['2001:2::a', '2001:2::b']);
    await startServices(victim, ['http'], lab.workDir, '');
    // Then the address is there and not tentative (no DAD), with no router solicitations
    const addresses = nsExec(victim.namespace, 'ip', '-6', '-o', 'addr', 'show', 'dev', 'eth0');
    expect(addresses).toContain('inet6 2001:2::a/64');
    expect(addresses).not.toContain('tentative');
    expect(nsExec(victim.namespace, 'sysctl', '-n', 'net.ipv6.conf.eth0.router_solicitations').trim()).toBe('0');
    expect(nsExec(attacker.namespace, 'ping', '-6', '-c', '1', '-W', '2', victim.address6!)).toContain('1 received');
    // nginx listens on both addresses
    const listening = nsExec(victim.namespace, 'ss', '-ltnH');
    expect(listening).toContain('198.18.0.10:80');
    expect(listening).toContain('[2001:2::a]:80');
    // When nmap -6 scans the victim's IPv6 address
    const labAddresses = new Set([victim.address, attacker.address, victim.address6!, attacker.address6!]);
    const dir = tempDir('ipv6-lab');
    const result = await runNmapStep({ name: 'syn6', nmap: '-6 -sS -p 80,81 -T4', timeoutMs: 60_000 }, attacker, [victim.address6!], labAddresses, dir, new AbortController().signal, () => {});
    // Then it finds port 80 open and 81 closed
    expect(result.status, result.message).toBe('ok');
    expect(result.summary?.ports.map((p) => [p.port, p.state])).toEqual([[80, 'open'], [81, 'closed']]);
    // And targets outside the lab's IPv6 hosts, or of the wrong family, are refused before nmap starts
    const refused = async (targets: string[], nmap = '-6 -sS -p 80') => {
      const error = await runNmapStep({ name: 'refused', nmap, timeoutMs: 10_000 }, attacker, targets, labAddresses, dir, new AbortController().signal, () => {}).catch((e) => e);
      expect(error).toBeInstanceOf(UserError);
      return (error as UserError).message;
    };
    expect(await refused(['2001:db8::a'])).toMatch(/not a host of this lab \(lab IPv6 addresses are in 2001:2::\/48\)/);
    expect(await refused(['2001:2::99'])).toMatch(/2001:2::99 is not a host of this lab/);
    expect(await refused([victim.address])).toMatch(/is IPv4, but the options have -6/);
    expect(await refused([victim.address6!], '-sS -p 80')).toMatch(/is IPv6, but the options lack -6/);
  });
});
