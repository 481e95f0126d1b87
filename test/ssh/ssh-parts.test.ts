// The pure parts of the SSH lab: quoting for the remote shell (checked by a real sh), the probe
// script's report and how it is judged, the capture filter, tcpdump's summary, the clock parser,
// and counting pcap records in a stream (checked against tcpdump reading the same file).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { remoteCommand, shellQuote } from '../../src/lab/ssh.ts';
import { judgeHost, parseProbe, sessionFilter } from '../../src/lab/ssh-preflight.ts';
import { processName, stopCommand } from '../../src/lab/ssh-host.ts';
import { captureFilter, parseTcpdumpSummary, PcapRecordCounter } from '../../src/capture/stream-capture.ts';
import { parseDateOutput, runOffset } from '../../src/lab/clock.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';
import { PROJECT_ROOT, tcpdumpCount } from '../helpers/env.ts';

describe('remote command lines', () => {
  test.each([["plain"], ["it's"], ['$HOME `id` "q" \\ ;&|'], ['not (host 1.2.3.4 and port 22)'], ['']])('%j reaches the command as one argument', (arg) => {
    // sh parses the line as the remote login shell would
    const line = remoteCommand('printf "%s" "$1"', [arg]);
    const out = spawnSync('sh', ['-c', line], { encoding: 'utf8' });
    expect(out.stdout).toBe(arg);
  });

  test('a safe word stays bare, anything else is single-quoted', () => {
    expect(shellQuote('tcpdump')).toBe('tcpdump');
    expect(shellQuote('a b')).toBe("'a b'");
  });

  test('the stop command names the process it may stop, as ps shows it', () => {
    expect(processName('/usr/sbin/tcpdump')).toBe('tcpdump');
    expect(processName('a-very-long-program-name')).toBe('a-very-long-pro');
    expect(stopCommand(1234, 'nmap', 2000)).toContain("' sh 1234 nmap 20");
  });
});

describe('preflight', () => {
  const probe = (lines: string[]) => parseProbe(lines.join('\n'));
  const good = ['mac=02:00:00:00:00:01', 'interfaces=eth0 lo ', 'inet=2: eth0    inet 192.168.56.10/24 brd 192.168.56.255 scope global eth0', 'session=192.168.56.1 50000 192.168.56.10 22', 'uid=0', 'tool=tcpdump', 'tool=nmap', 'capture=ok'];

  test('a good host: its address, MAC and session are read, nothing is wrong', () => {
    const facts = probe(good);
    expect(facts).toMatchObject({ mac: '02:00:00:00:00:01', address: '192.168.56.10', uid: '0', tools: ['tcpdump', 'nmap'], capture: 'ok' });
    expect(judgeHost('victim', 'root@v', 'eth0', facts, { capture: true, attack: true })).toEqual({ problems: [], warnings: [] });
    expect(sessionFilter(facts.sshConnection)).toBe('host 192.168.56.1 and host 192.168.56.10 and port 50000 and port 22');
  });

  test.each([
    ['a wrong interface', good.filter((l) => !l.startsWith('mac=') && !l.startsWith('capture=')), /host victim \(root@v\): there is no interface eth0 \(it has eth0, lo\)/],
    ['no IPv4 address', good.map((l) => (l.startsWith('inet=') ? 'inet=' : l)), /interface eth0 has no IPv4 address/],
    ['tcpdump missing', good.filter((l) => l !== 'tool=tcpdump' && !l.startsWith('capture=')), /tcpdump is not installed.*apt-get install tcpdump/],
    ['nmap missing', good.filter((l) => l !== 'tool=nmap'), /nmap is not installed/],
    ['no permission to capture', good.map((l) => (l.startsWith('capture=') ? "capture=tcpdump: eth0: You don't have permission to capture on that device" : l)), /may not capture on eth0: .*permission.*setcap/],
  ])('%s is a problem naming the host and the fix', (_what, lines, message) => {
    const { problems } = judgeHost('victim', 'root@v', 'eth0', probe(lines), { capture: true, attack: true });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('a host that only captures needs no nmap; an attacker that is not root is warned about', () => {
    expect(judgeHost('v', 'd', 'eth0', probe(good.filter((l) => l !== 'tool=nmap')), { capture: true, attack: false }).problems).toEqual([]);
    const user = judgeHost('a', 'kali@a', 'eth0', probe(good.map((l) => (l === 'uid=0' ? 'uid=1000' : l))), { capture: true, attack: true });
    expect(user.problems).toEqual([]);
    expect(user.warnings[0]).toMatch(/without root/);
  });
});

describe('capture over a stream', () => {
  test('the filter leaves the control session out, with or without a filter of its own', () => {
    expect(captureFilter('', 'host a and port 22')).toBe('not (host a and port 22)');
    expect(captureFilter('tcp', 'host a')).toBe('(tcp) and (not (host a))');
    expect(captureFilter('', undefined)).toBe('');
  });

  test("tcpdump's summary gives libpcap's counters", () => {
    const text = 'tcpdump: listening on eth0\n411 packets captured\n415 packets received by filter\n2 packets dropped by kernel\n';
    expect(parseTcpdumpSummary(text)).toEqual({ captured: 411, received: 415, dropped: 2, ifDropped: 0 });
    expect(parseTcpdumpSummary('tcpdump: listening on eth0\n')).toBeUndefined();
  });

  test('records counted in chunks of any size match tcpdump reading the file', () => {
    const path = join(PROJECT_ROOT, 'test/fixtures/captures/lo-mixed.pcap');
    const bytes = readFileSync(path);
    const random = seededRandom(7);
    const counter = new PcapRecordCounter();
    for (let at = 0; at < bytes.length; ) {
      const n = 1 + Math.floor(random() * 3000);
      counter.push(bytes.subarray(at, at + n));
      at += n;
    }
    expect(counter.packets).toBe(tcpdumpCount(path));
  });
});

describe('clocks', () => {
  test('GNU date +%s%N gives milliseconds; a date without %N gives seconds', () => {
    expect(parseDateOutput('1796152979123456789\n')).toEqual({ ms: 1796152979123.456, resolutionMs: 0.001 });
    expect(parseDateOutput('1796152979N')).toEqual({ ms: 1796152979500, resolutionMs: 1000 });
    expect(parseDateOutput('garbage')).toBeUndefined();
  });

  test('the correction is the mean of the offsets before and after the run', () => {
    expect(runOffset({ offsetMs: 100, rttMs: 1, samples: 7 }, { offsetMs: 140, rttMs: 1, samples: 7 })).toBe(120);
    expect(runOffset({ offsetMs: 100, rttMs: 1, samples: 7 }, undefined)).toBe(100);
    expect(runOffset(undefined, undefined)).toBe(0);
  });
});
