// Checks one SSH host before anything starts: its lab interface exists and has an IPv4 address,
// the tools its role needs are there (tcpdump where scanlab captures, nmap where it attacks, curl,
// ping or dig where it sends benign traffic) and
// tcpdump may capture on that interface. Each problem names the host, what is missing and how
// to fix it. Also reads what the run needs: the interface's address and MAC, and the SSH
// session's own addresses and ports so captures leave that session out. One script, one round
// trip: everything is asked at once, and judged here by a pure function.

import type { SshHost } from './ssh-host.ts';
import { TOOL_PACKAGES } from '../traffic/remote-sessions.ts';

export interface HostNeeds {
  readonly capture: boolean;
  readonly attack: boolean;
  /** The tools its benign traffic runs there (traffic/remote-sessions.ts), each with the kinds that need it. */
  readonly traffic?: ReadonlyMap<string, readonly string[]>;
}

/** What the probe script reports about a host. */
export interface HostFacts {
  readonly mac?: string;
  readonly interfaces: string[];
  readonly address?: string;
  readonly sshConnection: string;
  readonly uid?: string;
  readonly tools: string[];
  /** "ok", or tcpdump's complaint when it may not open the interface; absent when not tried. */
  readonly capture?: string;
}

export interface PreflightResult {
  readonly problems: string[];
  readonly warnings: string[];
}

// $1 interface, $2 1 when tcpdump must capture there. Prints key=value lines.
const PROBE_SCRIPT = `i=$1
if [ -r "/sys/class/net/$i/address" ]; then echo "mac=$(cat "/sys/class/net/$i/address")"; fi
echo "interfaces=$(ls /sys/class/net 2>/dev/null | tr '\\n' ' ')"
echo "inet=$(ip -o -4 addr show dev "$i" 2>/dev/null | head -n 1)"
echo "session=$SSH_CONNECTION"
echo "uid=$(id -u)"
for t in tcpdump nmap curl ping dig; do command -v "$t" >/dev/null 2>&1 && echo "tool=$t"; done
if [ "$2" = 1 ] && [ -r "/sys/class/net/$i/address" ] && command -v tcpdump >/dev/null 2>&1; then
  if out=$(tcpdump -L -i "$i" 2>&1); then echo "capture=ok"; else echo "capture=$(printf '%s\\n' "$out" | tail -n 1)"; fi
fi`;

export function parseProbe(output: string): HostFacts {
  const values = new Map<string, string[]>();
  for (const line of output.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq), [...(values.get(line.slice(0, eq)) ?? []), line.slice(eq + 1)]);
  }
  const one = (key: string) => values.get(key)?.[0];
  return {
    mac: one('mac')?.trim() || undefined,
    interfaces: (one('interfaces') ?? '').split(/\s+/).filter(Boolean),
    address: /\binet (\d+\.\d+\.\d+\.\d+)\//.exec(one('inet') ?? '')?.[1],
    sshConnection: one('session') ?? '',
    uid: one('uid')?.trim(),
    tools: values.get('tool') ?? [],
    capture: one('capture'),
  };
}

/** "client-ip client-port server-ip server-port" of $SSH_CONNECTION, as a pcap filter. */
export function sessionFilter(sshConnection: string): string | undefined {
  const [clientIp, clientPort, serverIp, serverPort] = sshConnection.trim().split(/\s+/);
  if (!serverPort) return undefined;
  return `host ${clientIp} and host ${serverIp} and port ${clientPort} and port ${serverPort}`;
}

/** The problems (each naming the host, what is missing, how to fix it) and warnings in a probe. */
export function judgeHost(name: string, destination: string, iface: string, facts: HostFacts, needs: HostNeeds): PreflightResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  const who = `host ${name} (${destination})`;
  if (!facts.mac) {
    const has = facts.interfaces.length ? ` (it has ${facts.interfaces.join(', ')})` : '';
    problems.push(`${who}: there is no interface ${iface}${has}; set interface: to the one on the lab network`);
  } else if (!facts.address) {
    problems.push(`${who}: interface ${iface} has no IPv4 address; give it one on the lab network, or name the interface that has it`);
  }
  const tools = [...(needs.capture ? ['tcpdump'] : []), ...(needs.attack ? ['nmap'] : [])];
  for (const tool of tools) {
    if (!facts.tools.includes(tool)) problems.push(`${who}: ${tool} is not installed (or not on the login PATH); install it there, e.g. apt-get install ${tool}`);
  }
  for (const [tool, kinds] of needs.traffic ?? []) {
    if (!facts.tools.includes(tool)) {
      problems.push(`${who}: ${tool} is not installed (or not on the login PATH), and the ${kinds.join(' and ')} traffic from ${name} needs it; install it there, e.g. apt-get install ${TOOL_PACKAGES[tool] ?? tool}, or remove that traffic`);
    }
  }
  if (needs.capture && facts.capture !== undefined && facts.capture !== 'ok') {
    problems.push(`${who}: tcpdump may not capture on ${iface}: ${facts.capture}; log in as root (ssh: root@...) or run there: setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump)`);
  }
  if (needs.attack && facts.tools.includes('nmap') && facts.uid !== '0') {
    warnings.push(`${who}: nmap runs without root there, so raw-packet scans (-sS, -sU, -O, decoys) will fail; log in as root for them`);
  }
  return { problems, warnings };
}

/** Probes the host, fills in its address, MAC and control-traffic filter, and judges it. */
export async function preflightHost(host: SshHost, destination: string, needs: HostNeeds): Promise<PreflightResult> {
  const result = await host.exec('sh', ['-c', PROBE_SCRIPT, 'sh', host.iface, needs.capture ? '1' : '0']);
  const facts = parseProbe(result.stdout.toString());
  host.mac = facts.mac ?? '';
  host.address = facts.address ?? '';
  host.controlTraffic = sessionFilter(facts.sshConnection);
  return judgeHost(host.name, destination, host.iface, facts, needs);
}
