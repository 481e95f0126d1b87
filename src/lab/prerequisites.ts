// What scanlab needs on this machine, each piece with the system package that provides it.
// One list serves both users: a run checks what its scenario needs before anything is built
// (and stops at the first missing piece), `scanlab doctor` checks everything and lists all.

import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, isAbsolute, join } from 'node:path';
import { UserError } from '../errors.ts';
import { ip } from './netns.ts';
import { namespaceName, newLabId } from './naming.ts';
import { installCommand, type PackageName } from './system-packages.ts';
import type { Scenario } from '../scenario/normalize.ts';

/** One prerequisite as found on this machine. */
export interface Finding {
  readonly name: string;
  readonly why: string;
  /** A run of some scenario of the library needs it; optional pieces serve checks and detectors. */
  readonly required: boolean;
  readonly ok: boolean;
  /** What was found, or what is wrong. */
  readonly detail: string;
  /** How to get it, when it is missing. */
  readonly fix?: string;
  /** The system packages that provide it, when it is missing and a package does. */
  readonly packages?: readonly PackageName[];
}

interface Tool {
  readonly command: string;
  readonly pkg: PackageName;
  readonly why: string;
  readonly required: boolean;
}

const tool = (command: string, pkg: PackageName, why: string, required = true): Tool => ({ command, pkg, why, required });

/** Every program scanlab runs, as the doctor lists them. */
export const TOOLS = {
  ip: tool('ip', 'iproute2', 'builds the lab: namespaces, bridge, addresses'),
  ethtool: tool('ethtool', 'ethtool', 'turns offloads off on lab interfaces'),
  ss: tool('ss', 'iproute2', 'waits for lab services to listen'),
  sysctl: tool('sysctl', 'procps', 'sets per-host sysctls'),
  nmap: tool('nmap', 'nmap', 'runs the attack steps'),
  nginx: tool('nginx', 'nginx-light', 'serves http and https in the lab'),
  openssl: tool('openssl', 'openssl', 'makes the lab https certificate'),
  sshd: tool('/usr/sbin/sshd', 'openssh-server', 'serves ssh in the lab'),
  'ssh-keygen': tool('ssh-keygen', 'openssh-client', 'makes the lab ssh keys'),
  ssh: tool('ssh', 'openssh-client', 'ssh traffic between lab hosts'),
  dnsmasq: tool('dnsmasq', 'dnsmasq-base', 'serves dns in the lab'),
  ping: tool('ping', 'iputils-ping', 'ping traffic between lab hosts'),
  tcpdump: tool('tcpdump', 'tcpdump', 'optional: the reference packet counts of the tests and benchmarks', false),
  tshark: tool('tshark', 'tshark', 'optional: the reference decoder of the tests and benchmarks', false),
  p0f: tool('p0f', 'p0f', 'optional: the p0f external detector', false),
} as const;

/** The full path of an executable: `command` itself when absolute, else the first on PATH. */
export function findExecutable(command: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = isAbsolute(command) ? [command] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const SETUP_HINT = 'in a clone of scanlab: npm run setup';

function toolFinding(t: Tool): Finding {
  const found = findExecutable(t.command);
  const base = { name: t.command.split('/').at(-1)!, why: t.why, required: t.required };
  if (found) return { ...base, ok: true, detail: found };
  return { ...base, ok: false, detail: `${t.command} is not installed (not on PATH)`, fix: installCommand([t.pkg]), packages: [t.pkg] };
}

/** Fails with an install hint when a required program is missing. */
export function requireTool(t: Tool): void {
  const f = toolFinding(t);
  if (!f.ok) throw new UserError(f.detail, `${f.fix}, or ${SETUP_HINT}`);
}

// Capability bits (linux/capability.h) a lab needs when scanlab is not root.
const CAPABILITIES = { CAP_NET_ADMIN: 12, CAP_NET_RAW: 13, CAP_SYS_ADMIN: 21 } as const;

/** Root, or the capabilities for namespaces and raw sockets, read from /proc/self/status. */
export function privilegeFinding(uid = process.getuid?.(), status = readProcStatus()): Finding {
  const base = { name: 'root', why: 'namespaces, raw sockets and packet capture', required: true };
  if (uid === 0) return { ...base, ok: true, detail: 'running as root' };
  const effective = BigInt(`0x${status.match(/^CapEff:\s*([0-9a-f]+)/m)?.[1] ?? '0'}`);
  const lacking = Object.entries(CAPABILITIES).filter(([, bit]) => (effective & (1n << BigInt(bit))) === 0n).map(([name]) => name);
  if (lacking.length === 0) return { ...base, ok: true, detail: `not root, but has ${Object.keys(CAPABILITIES).join(', ')}` };
  return { ...base, ok: false, detail: `not root (uid ${uid}) and without ${lacking.join(', ')}`, fix: 'run scanlab as root, e.g. sudo scanlab ...' };
}

function readProcStatus(): string {
  try {
    return readFileSync('/proc/self/status', 'utf8');
  } catch {
    return '';
  }
}

/** Refuses to start without root, iproute2 and network namespace support. */
export async function requireNamespaces(): Promise<void> {
  if (process.getuid && process.getuid() !== 0) {
    throw new UserError('scanlab needs root to build its lab (network namespaces, packet capture)', 'run it as root, e.g. sudo npx scanlab ...');
  }
  requireTool(TOOLS.ip);
  try {
    await ip(['netns', 'list']);
  } catch (cause) {
    throw new UserError(`this system does not support network namespaces: ${(cause as Error).message}`, 'scanlab needs a Linux kernel with CONFIG_NET_NS and iproute2', { cause });
  }
}

/** Proves namespaces are allowed here by making one (named as scanlab's, so `lab down --all` finds a leftover) and deleting it. */
export async function namespaceFinding(): Promise<Finding> {
  const base = { name: 'network namespaces', why: 'every lab host is one', required: true };
  if (!findExecutable(TOOLS.ip.command)) return { ...base, ok: false, detail: 'cannot be tried without ip', fix: installCommand(['iproute2']), packages: ['iproute2'] };
  const probe = namespaceName(newLabId(), 'doctor');
  try {
    await ip(['netns', 'add', probe]);
  } catch (error) {
    return { ...base, ok: false, detail: (error as Error).message, fix: 'run as root, on a Linux kernel with network namespaces (CONFIG_NET_NS); in a container, give it CAP_SYS_ADMIN' };
  }
  await ip(['netns', 'delete', probe]).catch(() => {
    // Removed already (a parallel `lab down --all`): what the check wanted is done.
  });
  return { ...base, ok: true, detail: `ip netns add and delete work (tried ${probe})` };
}

/** The libpcap binding (node_pcap's native module) loads under this Node. */
export function bindingFinding(): Finding {
  const base = { name: 'libpcap binding', why: 'captures on the lab hosts (the pcap package)', required: true };
  try {
    const pcap = createRequire(import.meta.url)('pcap') as { lib_version: string };
    return { ...base, ok: true, detail: `loads under Node ${process.versions.node}: ${pcap.lib_version}` };
  } catch (cause) {
    return {
      ...base,
      ok: false,
      detail: `does not load: ${(cause as Error).message.split('\n')[0]}`,
      packages: ['libpcap-dev', 'build-essential', 'python3'],
      fix: `${installCommand(['libpcap-dev', 'build-essential', 'python3'])}, then reinstall scanlab with its install script allowed (npm install -g --allow-scripts=pcap,esbuild scanlab), or ${SETUP_HINT}`,
    };
  }
}

/** Everything, for `scanlab doctor`: the required pieces first, then the optional ones. */
export async function checkEverything(): Promise<Finding[]> {
  const findings = [privilegeFinding(), await namespaceFinding(), bindingFinding(), ...Object.values(TOOLS).map(toolFinding)];
  return [...findings.filter((f) => f.required), ...findings.filter((f) => !f.required)];
}

/** What a scenario needs, checked before its lab is built; throws at the first missing piece. */
export async function checkPrerequisites(scenario: Scenario): Promise<void> {
  // A lab of real machines needs only the OpenSSH client here; each host is checked when connected.
  if (scenario.lab.kind === 'ssh') return requireTool(TOOLS.ssh);
  await requireNamespaces();
  const tools: Tool[] = [TOOLS.ethtool, TOOLS.ss, TOOLS.sysctl];
  if (scenario.attacks.length > 0) tools.push(TOOLS.nmap);
  const services = new Set(scenario.hosts.flatMap((h) => h.services));
  if (services.has('http') || services.has('https')) tools.push(TOOLS.nginx);
  if (services.has('https')) tools.push(TOOLS.openssl);
  if (services.has('ssh')) tools.push(TOOLS.sshd, TOOLS['ssh-keygen']);
  if (services.has('dns')) tools.push(TOOLS.dnsmasq);
  const kinds = new Set(scenario.traffic.map((t) => t.kind));
  if (kinds.has('ping')) tools.push(TOOLS.ping);
  if (kinds.has('ssh')) tools.push(TOOLS.ssh, TOOLS['ssh-keygen']);
  for (const t of tools) requireTool(t);
  const binding = bindingFinding();
  if (!binding.ok) throw new UserError(`libpcap's Node binding (the pcap package) ${binding.detail}`, binding.fix);
}
