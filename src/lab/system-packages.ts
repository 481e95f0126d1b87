// The system packages scanlab's prerequisites come in, by distribution: Debian's name (what
// lab/setup.sh installs), Fedora's (dnf) and Arch's (pacman) where known, and the install
// command for the package manager of the machine scanlab runs on.

import { readFileSync } from 'node:fs';

export interface SystemPackage {
  readonly apt: string;
  readonly dnf?: string;
  readonly pacman?: string;
}

export const SYSTEM_PACKAGES = {
  iproute2: { apt: 'iproute2', dnf: 'iproute', pacman: 'iproute2' },
  ethtool: { apt: 'ethtool', dnf: 'ethtool', pacman: 'ethtool' },
  procps: { apt: 'procps', dnf: 'procps-ng', pacman: 'procps-ng' },
  'iputils-ping': { apt: 'iputils-ping', dnf: 'iputils', pacman: 'iputils' },
  nmap: { apt: 'nmap', dnf: 'nmap', pacman: 'nmap' },
  'libpcap-dev': { apt: 'libpcap-dev', dnf: 'libpcap-devel', pacman: 'libpcap' },
  // What node-gyp needs to build the libpcap binding at npm install time.
  'build-essential': { apt: 'build-essential', dnf: 'gcc-c++ make', pacman: 'base-devel' },
  python3: { apt: 'python3', dnf: 'python3', pacman: 'python' },
  'nginx-light': { apt: 'nginx-light', dnf: 'nginx', pacman: 'nginx' },
  openssl: { apt: 'openssl', dnf: 'openssl', pacman: 'openssl' },
  'openssh-server': { apt: 'openssh-server', dnf: 'openssh-server', pacman: 'openssh' },
  'openssh-client': { apt: 'openssh-client', dnf: 'openssh-clients', pacman: 'openssh' },
  'dnsmasq-base': { apt: 'dnsmasq-base', dnf: 'dnsmasq', pacman: 'dnsmasq' },
  tcpdump: { apt: 'tcpdump', dnf: 'tcpdump', pacman: 'tcpdump' },
  tshark: { apt: 'tshark', dnf: 'wireshark-cli', pacman: 'wireshark-cli' },
  p0f: { apt: 'p0f', dnf: 'p0f', pacman: 'p0f' },
} as const satisfies Record<string, SystemPackage>;

export type PackageName = keyof typeof SYSTEM_PACKAGES;
export type PackageManager = 'apt' | 'dnf' | 'pacman';

const COMMANDS: Record<PackageManager, string> = { apt: 'apt-get install', dnf: 'dnf install', pacman: 'pacman -S' };

/** The package manager of a distribution, from /etc/os-release's ID and ID_LIKE; undefined when unknown. */
export function packageManagerOf(osRelease: string): PackageManager | undefined {
  const field = (name: string) => osRelease.match(new RegExp(`^${name}=["']?([^"'\\n]*)`, 'm'))?.[1] ?? '';
  const ids = `${field('ID')} ${field('ID_LIKE')}`.split(/\s+/);
  if (ids.some((id) => ['debian', 'ubuntu'].includes(id))) return 'apt';
  if (ids.some((id) => ['fedora', 'rhel', 'centos'].includes(id))) return 'dnf';
  if (ids.some((id) => ['arch', 'archlinux'].includes(id))) return 'pacman';
  return undefined;
}

function thisMachinesManager(): PackageManager | null {
  try {
    return packageManagerOf(readFileSync('/etc/os-release', 'utf8')) ?? null;
  } catch {
    return null;
  }
}

/**
 * How to install packages here: one command for this machine's package manager, or, on a
 * system scanlab does not know (`manager` null), the Debian command and the other names known.
 */
export function installCommand(names: readonly PackageName[], manager: PackageManager | null = thisMachinesManager()): string {
  const list = (m: PackageManager) => [...new Set(names.map((n) => (SYSTEM_PACKAGES[n] as SystemPackage)[m]).filter(Boolean))].join(' ');
  if (manager && names.every((n) => (SYSTEM_PACKAGES[n] as SystemPackage)[manager])) return `${COMMANDS[manager]} ${list(manager)}`;
  const others = (['dnf', 'pacman'] as const).filter((m) => list(m)).map((m) => `${m}: ${list(m)}`);
  return `apt-get install ${list('apt')}${others.length ? ` (${others.join('; ')})` : ''}`;
}
