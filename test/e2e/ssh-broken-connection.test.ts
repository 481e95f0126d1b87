// A broken SSH connection mid-run, for real: namespace hosts running real sshd (test/helpers/
// ssh-lab.ts), scanlab in the controller namespace, and mid-scan the victim (or the attacker)
// stops answering its SSH peer: a blackhole route to the controller inside that host's namespace
// drops every reply, as a pulled cable or a dead Wi-Fi link would. The run must notice (ssh's keep-alives), stop,
// say which host broke, keep a valid partial capture, and stop what it started on every host by
// the ids it recorded: at once when the host comes back in time, with `scanlab lab down <id>`
// when it does not.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { canRunLab, tcpdumpCount } from '../helpers/env.ts';
import { hasTshark } from '../helpers/tools.ts';
import { buildSshTestLab, sshScenario, startRun, waitFor, CONTROLLER, type SshTestLab } from '../helpers/ssh-lab.ts';

const hasSshd = existsSync('/usr/sbin/sshd');
const hosts = [{ name: 'victim', role: 'victim' }, { name: 'attacker', role: 'attacker' }];
// -T2 waits 0.4 s between probes: the scan outlasts the break by far.
const SLOW_SCAN = '  - { name: polite-scan, targets: [victim], nmap: "-sS -p 1-500 -T2" }';
// Short keep-alives and reconnect window (src/lab/ssh-settings.ts), so a break is noticed in
// about 4 s and a host that stays away is given up on after 5 s (the defaults: 20 s and 30 s).
const RECONNECT_S = 5;
const SHORT_SSH = { SCANLAB_SSH_ALIVE_INTERVAL: '1', SCANLAB_SSH_ALIVE_COUNT: '3', SCANLAB_SSH_CONNECT_TIMEOUT: '2', SCANLAB_SSH_RECONNECT_MS: String(RECONNECT_S * 1000) };

interface RecordedProcess {
  host: string;
  id: number;
  command: string;
}

// In the default run: with the short settings above the three cases take about a minute together
// (57-62 s on 2 cores at load 4-9). They once hung until their timeouts: a teardown that failed
// skipped stopping live detection, whose worker kept scanlab running after the run.
describe.runIf(canRunLab && hasSshd && hasTshark)('a broken SSH connection mid-run', () => {
  let lab: SshTestLab;
  let blackholed: string | undefined;
  let live: ReturnType<typeof startRun> | undefined;

  beforeAll(async () => {
    lab = await buildSshTestLab([{ name: 'victim', sshd: true }, { name: 'attacker', sshd: true }]);
  });
  afterEach(async () => {
    if (blackholed) restore(blackholed);
    // A failed test's run is stopped too, so the next test starts on clean hosts.
    if (live && live.child.exitCode === null) {
      live.child.kill('SIGTERM');
      await live.exited;
    }
    live = undefined;
  });
  afterAll(async () => {
    const namespaces = lab ? ['victim', 'attacker', CONTROLLER].map((h) => lab.namespace(h)) : [];
    await lab?.cleanup();
    const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    expect(namespaces.filter((ns) => left.includes(ns))).toEqual([]);
  });

  /** The host drops everything it would send to the controller: its SSH connection breaks. */
  function breakLink(host: string): void {
    execFileSync('ip', ['netns', 'exec', lab.namespace(host), 'ip', 'route', 'add', 'blackhole', `${lab.address(CONTROLLER)}/32`]);
    blackholed = host;
  }
  function restore(host: string): void {
    execFileSync('ip', ['netns', 'exec', lab.namespace(host), 'ip', 'route', 'del', 'blackhole', `${lab.address(CONTROLLER)}/32`]);
    blackholed = undefined;
  }

  /** The remote processes the lab's local record names (what scanlab started on the hosts). */
  function recorded(): RecordedProcess[] {
    const state = join(lab.dir, 'state');
    const files = existsSync(state) ? readdirSync(state).filter((f) => f.endsWith('.json')) : [];
    return files.flatMap((f) => (JSON.parse(readFileSync(join(state, f), 'utf8')) as { processes: RecordedProcess[] }).processes);
  }

  /** A scan under way, with its capture on the victim and nmap on the attacker recorded by id. */
  async function startScan(name: string) {
    const path = sshScenario(lab, { name, scope: ['198.18.0.0/24'], hosts, attacks: SLOW_SCAN });
    const run = (live = startRun(lab, path, name, SHORT_SSH));
    await waitFor(() => {
      if (run.child.exitCode !== null) throw new Error(`the run ended before its scan started:\n${run.output()}`);
      // Both captures hold a packet already (more than pcap's 24-byte file header), so whichever
      // link breaks, each partial capture has something to keep.
      const holdsPacket = (file: string) => {
        const path = run.runDir() && join(run.runDir(), file);
        return Boolean(path) && existsSync(path) && statSync(path).size > 24;
      };
      return run.events().some((e) => e.type === 'attack-progress') && holdsPacket('capture.pcap') && holdsPacket('capture-attacker.pcap');
    }, 120_000, 'the scan to start and reach both captures');
    const started = recorded();
    expect(started.map((p) => `${p.host} ${p.command}`).sort()).toEqual(expect.arrayContaining(['attacker nmap', 'attacker tcpdump', 'victim tcpdump']));
    const labId = run.events().find((e) => e.type === 'phase-started' && e.phase === 'lab-up')!.detail.split(' ')[1] as string;
    return { ...run, started, labId };
  }

  /** Every process scanlab started, by the id it recorded, is gone from its host (one pid space here). */
  function expectStopped(started: RecordedProcess[]): void {
    expect(started.filter((p) => existsSync(`/proc/${p.id}`)).map((p) => `${p.host} ${p.command} ${p.id}`)).toEqual([]);
  }

  /** Nothing but the hosts' sshd listeners is left on any host, and no ssh client in the controller. */
  async function expectHostsClean(): Promise<void> {
    // The broken host's sshd holds the dead session until its client-alive checks give up (the
    // test sshd's ClientAliveInterval): not scanlab's process, but the host is clean only then.
    await waitFor(() => ['victim', 'attacker'].every((h) => lab.processes(h).join() === 'sshd'), 90_000, 'the hosts to hold only sshd');
    await waitFor(() => lab.processes(CONTROLLER).length === 0, 20_000, 'the controller to be empty');
  }

  /** The step the break interrupted is kept, so the packets it sent before are still labelled scan. */
  function expectInterruptedStep(runDir: string): void {
    const steps = (JSON.parse(readFileSync(join(runDir, 'capture.json'), 'utf8')) as { steps: { name: string; status: string }[] }).steps;
    expect(steps.map((s) => `${s.name} ${s.status}`)).toEqual(['polite-scan interrupted']);
  }

  /** The partial capture is a pcap tshark reads whole, and capture.json counts what it holds. */
  function expectValidPartialCapture(runDir: string, file = 'capture.pcap'): number {
    const pcap = join(runDir, file);
    // tshark exits non-zero on a cut or corrupt file
    const frames = execFileSync('tshark', ['-r', pcap, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\n').filter(Boolean).length;
    expect(frames, file).toBeGreaterThan(0);
    expect(tcpdumpCount(pcap), file).toBe(frames);
    if (file === 'capture.pcap') expect(JSON.parse(readFileSync(join(runDir, 'capture.json'), 'utf8')).packets).toBe(frames);
    return frames;
  }

  test.each(['victim', 'attacker'])('the %s comes back: the run says which connection broke, keeps its captures and stops everything by id', async (host) => {
    const run = await startScan(`ssh-break-${host}`);
    breakLink(host);
    // ssh's keep-alives notice the dead peer; the run says so as it stops
    await waitFor(() => run.events().some((e) => e.type === 'warning' && new RegExp(`host ${host}: the SSH connection .* broke`).test(e.message)), 60_000, 'the broken connection to be noticed');
    restore(host);
    expect(await run.exited, run.output()).toBe(1);
    const address = lab.address(host).replace(/\./g, '\\.');
    expect(run.output()).toMatch(new RegExp(`host ${host}: the SSH connection to root@${address} broke mid-run \\(no answer to ssh's keep-alives for \\d+ s: ServerAliveInterval=1, ServerAliveCountMax=3\\); the run stopped and keeps the capture so far`));
    expect(run.output()).not.toMatch(/lab down/);
    expectValidPartialCapture(run.runDir());
    expectValidPartialCapture(run.runDir(), 'capture-attacker.pcap');
    expectInterruptedStep(run.runDir());
    // The scan stopped with the run, long before its 500 ports were done
    expect(tcpdumpCount(join(run.runDir(), 'capture.pcap'), `src ${lab.address('attacker')} and tcp[tcpflags] == tcp-syn`)).toBeLessThan(500);
    expectStopped(run.started);
    expect(recorded()).toEqual([]);
    await expectHostsClean();
  }, 180_000);

  test('the host stays away: the run names what it could not stop, and scanlab lab down <id> stops it once the host is back', async () => {
    const run = await startScan('ssh-gone');
    breakLink('victim');
    expect(await run.exited, run.output()).toBe(1);
    const address = lab.address('victim').replace(/\./g, '\\.');
    expect(run.output()).toMatch(new RegExp(`host victim: the SSH connection to root@${address} broke mid-run .*could not reach it again within ${RECONNECT_S} s to stop tcpdump \\(id \\d+\\) on victim: once the host is back, run scanlab lab down ${run.labId}`));
    expectValidPartialCapture(run.runDir());
    expectInterruptedStep(run.runDir());
    // The attacker was reachable: its processes are gone; the victim's capture is still recorded
    expectStopped(run.started.filter((p) => p.host === 'attacker'));
    expect(recorded().map((p) => `${p.host} ${p.command}`)).toEqual(['victim tcpdump']);
    restore('victim');
    const down = lab.scanlab(['lab', 'down', run.labId], 120_000, SHORT_SSH);
    expect(down.code, down.stderr).toBe(0);
    expectStopped(run.started);
    expect(recorded()).toEqual([]);
    await expectHostsClean();
  }, 240_000);
});
