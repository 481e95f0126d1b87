// Benign sessions on a host scanlab reaches over SSH, where its own agent (node) does not run:
// each session is one run of a standard tool the host has (curl, ping, dig), built here as a
// command line, and its output read back into the same result and flow ground truth the
// namespace agent reports. Pure: the commands are run by traffic/remote-agent.ts.

import type { Random } from '../util/seeded-random.ts';
import type { TrafficKind } from '../scenario/schema.ts';
import type { SessionPlan } from './plan.ts';
import { dnsQuestion, pickPage } from './sessions.ts';

/** The kinds an SSH host can generate, each with the one tool it needs there. */
export const REMOTE_TRAFFIC_TOOLS: Partial<Record<TrafficKind, string>> = { web: 'curl', tls: 'curl', bulk: 'curl', ping: 'ping', dns: 'dig' };

/** The Debian package of each tool, for the hint when a host lacks it. */
export const TOOL_PACKAGES: Record<string, string> = { curl: 'curl', ping: 'iputils-ping', dig: 'bind9-dnsutils' };

/** "web (curl), ping (ping), ...": what works in an SSH lab, for messages. */
export function remoteKindsText(): string {
  return Object.entries(REMOTE_TRAFFIC_TOOLS).map(([kind, tool]) => `${kind} (${tool})`).join(', ');
}

/** Ports dig binds its queries to (a known source port is the flow's ground truth). */
const DNS_SOURCE_PORTS = { first: 20_000, count: 30_000 };

export interface RemoteSession {
  readonly command: string;
  readonly args: string[];
  /** The connection or socket it opens (none for ping): ground truth that it is benign. */
  readonly flow?: { readonly protocol: 'tcp' | 'udp'; readonly remotePort: number };
  /** Its local port, when known before it runs (dig binds the one it is given). */
  readonly localPort?: number;
}

export interface RemoteSessionResult {
  readonly ok: boolean;
  readonly bytes: number;
  /** The local port it used, when known (curl reports it). */
  readonly localPort?: number;
}

// curl prints this after the transfer (it expands the \n): its connection's local port and the bytes it read.
const CURL_OUT = '%{local_port} %{size_download}\\n';

function curl(url: string, extra: string[], timeoutSeconds: number): string[] {
  return ['-s', '-o', '/dev/null', '-m', String(timeoutSeconds), '-w', CURL_OUT, ...extra, url];
}

/** The command line of one session (drawing from `random` as the namespace agent does), run on a host whose address is `address`. */
export function remoteSession(plan: SessionPlan, random: Random, address: string): RemoteSession {
  switch (plan.kind) {
    case 'web':
      return { command: 'curl', args: curl(`http://${plan.target}${pickPage(random)}`, [], 5), flow: { protocol: 'tcp', remotePort: 80 } };
    case 'tls':
      return { command: 'curl', args: curl(`https://${plan.target}/`, ['-k'], 5), flow: { protocol: 'tcp', remotePort: 443 } };
    case 'bulk':
      return { command: 'curl', args: curl(`http://${plan.target}/bulk.bin`, ['-r', `0-${(plan.size ?? 2_000_000) - 1}`], 30), flow: { protocol: 'tcp', remotePort: 80 } };
    case 'ping':
      return { command: 'ping', args: ['-n', '-c', '1', '-W', '1', plan.target] };
    case 'dns': {
      const { name, type } = dnsQuestion(random);
      const localPort = DNS_SOURCE_PORTS.first + Math.floor(random() * DNS_SOURCE_PORTS.count);
      return { command: 'dig', args: ['+tries=1', '+time=1', '-b', `${address}#${localPort}`, `@${plan.target}`, name, type], localPort, flow: { protocol: 'udp', remotePort: 53 } };
    }
    default:
      throw new Error(`no remote session for ${plan.kind} traffic (scenario/normalize.ts refuses it in SSH labs)`);
  }
}

/** What a finished session moved, read from the tool's output and exit code. */
export function remoteSessionResult(session: RemoteSession, exitCode: number | undefined, stdout: string): RemoteSessionResult {
  const ok = exitCode === 0;
  if (session.command === 'curl') {
    const match = /^(\d+) (\d+)/m.exec(stdout);
    const localPort = match && Number(match[1]) > 0 ? Number(match[1]) : undefined;
    return { ok, bytes: match ? Number(match[2]) : 0, localPort };
  }
  if (session.command === 'dig') {
    const size = /MSG SIZE\s+rcvd:\s*(\d+)/.exec(stdout);
    return { ok, bytes: size ? Number(size[1]) : 0, localPort: session.localPort };
  }
  return { ok, bytes: stdout.length };
}
