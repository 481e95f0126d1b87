// What a scenario needs on this machine, checked before anything is built, each with the Debian
// package that provides it.

import { createRequire } from 'node:module';
import { UserError } from '../errors.ts';
import { requireNamespaces, requireTool } from './netns.ts';
import type { Scenario } from '../scenario/normalize.ts';

export async function checkPrerequisites(scenario: Scenario): Promise<void> {
  // A lab of real machines needs only the OpenSSH client here; each host is checked when connected.
  if (scenario.lab.kind === 'ssh') return requireTool('ssh', 'openssh-client');
  await requireNamespaces();
  const tools: [string, string][] = [['ethtool', 'ethtool'], ['ss', 'iproute2'], ['sysctl', 'procps']];
  if (scenario.attacks.length > 0) tools.push(['nmap', 'nmap']);
  const services = new Set(scenario.hosts.flatMap((h) => h.services));
  if (services.has('http') || services.has('https')) tools.push(['nginx', 'nginx-light']);
  if (services.has('https')) tools.push(['openssl', 'openssl']);
  if (services.has('ssh')) tools.push(['/usr/sbin/sshd', 'openssh-server'], ['ssh-keygen', 'openssh-client']);
  if (services.has('dns')) tools.push(['dnsmasq', 'dnsmasq-base']);
  const kinds = new Set(scenario.traffic.map((t) => t.kind));
  if (kinds.has('ping')) tools.push(['ping', 'iputils-ping']);
  if (kinds.has('ssh')) tools.push(['ssh', 'openssh-client'], ['ssh-keygen', 'openssh-client']);
  for (const [command, pkg] of tools) await requireTool(command, pkg);
  try {
    createRequire(import.meta.url)('pcap');
  } catch (cause) {
    throw new UserError(`libpcap's Node binding (the pcap package) does not load: ${(cause as Error).message.split('\n')[0]}`,
      'run "npm run setup" (installs libpcap-dev and rebuilds node_modules), or: apt-get install libpcap-dev && npm rebuild pcap', { cause });
  }
}
