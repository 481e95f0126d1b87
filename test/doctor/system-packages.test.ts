import { describe, expect, test } from 'vitest';
import { installCommand, packageManagerOf } from '../../src/lab/system-packages.ts';

// /etc/os-release as these distributions ship it (the lines that matter).
const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';
const FEDORA = 'NAME="Fedora Linux"\nID=fedora\n';
const ROCKY = 'ID="rocky"\nID_LIKE="rhel centos fedora"\n';
const ARCH = 'NAME="Arch Linux"\nID=arch\n';
const ALPINE = 'ID=alpine\n';

describe('system packages by distribution', () => {
  test('the package manager comes from ID and ID_LIKE', () => {
    expect(packageManagerOf(DEBIAN)).toBe('apt');
    expect(packageManagerOf(UBUNTU)).toBe('apt');
    expect(packageManagerOf(FEDORA)).toBe('dnf');
    expect(packageManagerOf(ROCKY)).toBe('dnf');
    expect(packageManagerOf(ARCH)).toBe('pacman');
    expect(packageManagerOf(ALPINE)).toBeUndefined();
  });

  test('one install command in the names of the machine\'s own package manager', () => {
    expect(installCommand(['nmap', 'tshark'], 'apt')).toBe('apt-get install nmap tshark');
    expect(installCommand(['libpcap-dev', 'tshark', 'openssh-client'], 'dnf')).toBe('dnf install libpcap-devel wireshark-cli openssh-clients');
    // openssh-server and openssh-client are one Arch package: named once.
    expect(installCommand(['openssh-server', 'openssh-client', 'procps'], 'pacman')).toBe('pacman -S openssh procps-ng');
  });

  test('on a distribution it does not know: the Debian command and the other names known', () => {
    expect(installCommand(['nmap', 'dnsmasq-base'], null)).toBe('apt-get install nmap dnsmasq-base (dnf: nmap dnsmasq; pacman: nmap dnsmasq)');
  });
});
