// A lab of real machines, for real: namespace hosts the test builds run a real OpenSSH server
// (host keys and the client key made by ssh-keygen), and scanlab runs in a controller namespace
// on the same bridge, so it reaches them only over SSH and can reach no other machine. One whole
// SSH-lab run is checked end to end against tcpdump and tshark reading its files; then a dead
// host, a missing tool, a wrong interface and a target outside scope each end with exit 2, a
// message naming the host and the fix, and nothing left running on any host.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { canRunLab, tcpdumpCount } from '../helpers/env.ts';
import { hasTshark } from '../helpers/tools.ts';
import { buildSshTestLab, sshScenario, startRun, waitFor, CONTROLLER, type SshTestLab } from '../helpers/ssh-lab.ts';

const hasSshd = existsSync('/usr/sbin/sshd');
const SCAN = '  - { name: syn-scan, targets: [victim], nmap: "-sS -p 1-200 -T4" }';
/** The programs a "bare" host offers: enough for the probe script, but no tcpdump and no nmap. */
const BARE_TOOLS = ['sh', 'bash', 'cat', 'ls', 'ip', 'id', 'date', 'ps', 'kill', 'sleep', 'tr', 'head', 'tail', 'printf'];

function tsharkFrames(pcap: string, filter: string): number[] {
  const out = execFileSync('tshark', ['-r', pcap, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter(Boolean).map(Number);
}

describe.runIf(canRunLab && hasSshd && hasTshark)('a lab of real machines reached over SSH', () => {
  let lab: SshTestLab;
  const hosts = [{ name: 'victim', role: 'victim' }, { name: 'attacker', role: 'attacker' }];

  beforeAll(async () => {
    lab = await buildSshTestLab([
      { name: 'victim', sshd: true },
      { name: 'attacker', sshd: true },
      { name: 'client', sshd: false },
      { name: 'bare', sshd: true, onlyTools: BARE_TOOLS },
    ]);
  });
  afterAll(async () => {
    await lab?.cleanup();
  });

  /** Only the hosts' own sshd listeners are left: nothing scanlab started, on any host. */
  function expectNothingLeft(): void {
    for (const host of ['victim', 'attacker', 'bare']) expect(lab.processes(host), host).toEqual(['sshd']);
    expect(lab.processes(CONTROLLER)).toEqual([]);
    const state = join(lab.dir, 'state');
    expect(existsSync(state) ? readdirSync(state).filter((f) => f.endsWith('.json')) : []).toEqual([]);
  }

  describe('a whole run', () => {
    let summary: Record<string, any>;
    let runDir: string;
    let capture: Record<string, any>;
    let label: Map<number, string>;
    let victim: string;
    let attacker: string;
    let controller: string;

    beforeAll(async () => {
      victim = lab.address('victim');
      attacker = lab.address('attacker');
      controller = lab.address(CONTROLLER);
      // The lab's own benign traffic: a client pinging the victim all along (not scanlab's).
      const ping = spawn('ip', ['netns', 'exec', lab.namespace('client'), 'ping', '-n', '-i', '0.2', victim], { stdio: 'ignore' });
      try {
        const path = sshScenario(lab, { name: 'ssh-run', scope: ['198.18.0.0/24'], hosts, attacks: SCAN });
        const result = lab.scanlab(['run', path, '--json', '--out', join(lab.dir, 'runs')]);
        expect(result.code, result.stderr).toBe(0);
        summary = JSON.parse(result.stdout.trim().split('\n').pop()!);
      } finally {
        ping.kill('SIGTERM');
      }
      runDir = summary.runDir;
      capture = JSON.parse(readFileSync(join(runDir, 'capture.json'), 'utf8'));
      label = new Map(readFileSync(join(runDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((line) => {
        const [no, l] = line.split(',');
        return [Number(no), l] as const;
      }));
    });

    test('the run directory is the same as a namespace run\'s', () => {
      expect(summary.status).toBe('ok');
      for (const file of ['scenario.yaml', 'capture.pcap', 'capture.json', 'capture-attacker.pcap', 'attack/syn-scan.xml', 'attack/syn-scan.log',
        'events.jsonl', 'labels.csv', 'labels.json', 'analysis.json', 'dataset/capture.pcap', 'dataset/manifest.json', 'report.html']) {
        expect(existsSync(join(runDir, file)), file).toBe(true);
      }
      // nmap's XML came over SSH whole: it finished and found the victim's sshd
      const xml = readFileSync(join(runDir, 'attack/syn-scan.xml'), 'utf8');
      expect(xml).toContain('</nmaprun>');
      expect(xml).toMatch(/portid="22"><state state="open"/);
    });

    test('the capture is a valid pcap holding what tcpdump counted, without scanlab\'s own SSH session', () => {
      const count = tcpdumpCount(join(runDir, 'capture.pcap'));
      expect(count).toBe(summary.packets);
      expect(capture.packets).toBe(count);
      expect(capture.agentPackets).toBe(count);
      expect(capture).toMatchObject({ lab: 'ssh', host: 'victim', address: victim, interface: 'eth0' });
      expect(capture.libpcap.dropped).toBe(0);
      expect(capture.libpcap.received).toBeGreaterThanOrEqual(count);
      expect(capture.filter).toMatch(new RegExp(`^not \\(host ${controller.replace(/\./g, '\\.')} and host ${victim.replace(/\./g, '\\.')} and port \\d+ and port 22\\)$`));
      for (const pcap of ['capture.pcap', 'capture-attacker.pcap']) {
        expect(tcpdumpCount(join(runDir, pcap), `host ${controller} and tcp port 22`), pcap).toBe(0);
      }
      // The attacker's own capture holds every probe it sent
      expect(tcpdumpCount(join(runDir, 'capture-attacker.pcap'), `src ${attacker} and dst ${victim} and tcp[tcpflags] == tcp-syn`)).toBeGreaterThanOrEqual(200);
    });

    test('exact labels: probes and replies are scan, the lab\'s own pings benign, and the naive rule disagrees only on ARP', () => {
      const pcap = join(runDir, 'capture.pcap');
      const probes = tsharkFrames(pcap, `ip.src==${attacker} && ip.dst==${victim} && tcp.flags.syn==1 && tcp.flags.ack==0`);
      const replies = tsharkFrames(pcap, `ip.src==${victim} && ip.dst==${attacker} && tcp`);
      expect(probes.length).toBeGreaterThanOrEqual(200);
      expect(replies.length).toBeGreaterThanOrEqual(200);
      expect([...probes, ...replies].filter((n) => label.get(n) !== 'scan')).toEqual([]);
      const pings = tsharkFrames(pcap, `icmp && ip.addr==${lab.address('client')}`);
      expect(pings.length).toBeGreaterThan(20);
      expect(pings.filter((n) => label.get(n) !== 'benign')).toEqual([]);
      expect(label.size).toBe(summary.packets);
      const naive = new Set(tsharkFrames(pcap, `ip.addr==${attacker} || arp.src.proto_ipv4==${attacker} || arp.dst.proto_ipv4==${attacker}`));
      const arp = new Set(tsharkFrames(pcap, 'arp'));
      const disagree = [...label].filter(([n, l]) => (l === 'scan') !== naive.has(n)).map(([n]) => n);
      expect(disagree.filter((n) => !arp.has(n))).toEqual([]);
    });

    test('clock offsets are recorded before and after; on one kernel clock each is within half its round trip of zero', () => {
      for (const host of ['victim', 'attacker']) {
        const clock = capture.clocks[host];
        for (const when of ['before', 'after']) {
          expect(clock[when].samples, `${host} ${when}`).toBe(7);
          expect(Math.abs(clock[when].offsetMs), `${host} ${when}`).toBeLessThanOrEqual(clock[when].rttMs / 2 + 1);
        }
        expect(clock.correctionMs).toBeCloseTo((clock.before.offsetMs + clock.after.offsetMs) / 2, 2);
      }
    });

    test('nothing scanlab started is left on any host, and its local record is gone', () => {
      expectNothingLeft();
    });
  });

  /** Starts a slow SSH-lab run in the controller and resolves once its scan is under way. */
  async function startSlowRun(name: string) {
    const path = sshScenario(lab, { name, scope: ['198.18.0.0/24'], hosts, attacks: '  - { name: polite-scan, targets: [victim], nmap: "-sS -p 1-500 -T2" }' });
    const run = startRun(lab, path, name);
    await waitFor(() => run.events().some((e) => e.type === 'attack-progress'), 60_000, 'the scan to start');
    // The scan is running on the attacker, the captures on both hosts
    expect(lab.processes('attacker')).toContain('nmap');
    expect(lab.processes('victim')).toContain('tcpdump');
    const labId = run.events().find((e) => e.type === 'phase-started' && e.phase === 'lab-up')!.detail.split(' ')[1];
    return { ...run, labId, runDir: run.runDir() };
  }

  test('SIGTERM mid-scan stops every remote process by its id and keeps a valid partial capture', async () => {
    const run = await startSlowRun('ssh-sigterm');
    await new Promise((r) => setTimeout(r, 1500));
    run.child.kill('SIGTERM');
    expect(await run.exited, run.output()).toBe(1);
    expect(run.output()).toMatch(/interrupted/);
    const count = tcpdumpCount(join(run.runDir, 'capture.pcap'));
    expect(count).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(run.runDir, 'capture.json'), 'utf8')).packets).toBe(count);
    expect(tcpdumpCount(join(run.runDir, 'capture-attacker.pcap'))).toBeGreaterThan(0);
    expectNothingLeft();
  });

  test('after a run is killed outright, scanlab lab down <id> stops what it left on the hosts', async () => {
    const run = await startSlowRun('ssh-killed');
    run.child.kill('SIGKILL');
    await run.exited;
    // The local record names the lab and the remote processes it started
    const status = lab.scanlab(['lab', 'status']);
    expect(status.stdout).toMatch(new RegExp(`${run.labId}: SSH lab of scenario ssh-killed .*, [1-9]\\d* remote processes`));
    const down = lab.scanlab(['lab', 'down', run.labId]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`removed ${run.labId}`);
    // The killed run's own ssh clients end once their pipes are gone; give them a moment
    await waitFor(() => (lab.processes(CONTROLLER).length === 0 ? true : undefined), 20_000);
    expectNothingLeft();
    // The capture written so far is still readable
    expect(tcpdumpCount(join(run.runDir, 'capture.pcap'))).toBeGreaterThanOrEqual(0);
  });

  test.each([
    ['a dead host', { victimSsh: 'root@198.18.0.99' }, /host victim: cannot reach root@198\.18\.0\.99 over SSH: .*(No route to host|timed out)/],
    ['a missing tool', { attackerSsh: 'bare' }, /host attacker \(root@198\.18\.0\.13\): tcpdump is not installed[\s\S]*host attacker \(root@198\.18\.0\.13\): nmap is not installed/],
    ['a wrong interface', { victimInterface: 'eth9' }, /host victim \(root@198\.18\.0\.10\): there is no interface eth9 \(it has eth0, lo\); set interface:/],
    ['a target outside scope', { scope: ['198.18.0.11/32'] }, /step syn-scan: target 198\.18\.0\.10 is outside the declared scope \(198\.18\.0\.11\/32\)/],
  ] as const)('%s ends with exit 2, a message naming the host and what to do, and nothing started', (_what, change, message) => {
    const c = change as { victimSsh?: string; attackerSsh?: string; victimInterface?: string; scope?: string[] };
    const path = sshScenario(lab, {
      name: 'ssh-broken',
      scope: c.scope ?? ['198.18.0.0/24'],
      hosts: [
        { name: 'victim', role: 'victim', ssh: c.victimSsh, interface: c.victimInterface },
        { name: 'attacker', role: 'attacker', ssh: c.attackerSsh === 'bare' ? `root@${lab.address('bare')}` : undefined },
      ],
      attacks: SCAN,
    });
    const out = join(lab.dir, `broken-${Date.now()}`);
    const result = lab.scanlab(['run', path, '--no-tui', '--out', out]);
    expect(result.code, result.stderr + result.stdout).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/hint: /);
    // Refused before anything started: no capture anywhere, no process on any host
    const runs = existsSync(out) ? readdirSync(out) : [];
    for (const run of runs) expect(existsSync(join(out, run, 'capture.pcap'))).toBe(false);
    expectNothingLeft();
  });
});
