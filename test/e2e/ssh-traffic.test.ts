// scanlab's benign generators on real machines, for real: namespace hosts running real sshd
// (test/helpers/ssh-lab.ts), the victim serving the lab's own nginx and dnsmasq (started by the
// test, as a lab's owner would run them), scanlab in the controller namespace. The client pings,
// browses and resolves with its own ping, curl and dig, and the attacker browses the victim while
// it scans it; every one of those sessions runs on its host over SSH. tshark reads the capture:
// the sessions are there and labelled benign, the attacker's browsing apart from its scan by the
// local ports curl reported. A host that lacks a tool its traffic needs is refused up front.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { canRunLab } from '../helpers/env.ts';
import { hasTshark } from '../helpers/tools.ts';
import { buildSshTestLab, sshScenario, CONTROLLER, type SshTestLab } from '../helpers/ssh-lab.ts';

const hasSshd = existsSync('/usr/sbin/sshd');
const hasTools = ['/usr/bin/curl', '/usr/bin/dig', '/usr/bin/ping'].every((tool) => existsSync(tool));
const SCAN = '  - { name: syn-scan, targets: [victim], nmap: "-sS -p 1-200 -T4" }';
/** Enough for the probe script, but no curl and no dig. */
const BARE_TOOLS = ['sh', 'bash', 'cat', 'ls', 'ip', 'id', 'date', 'ps', 'kill', 'sleep', 'tr', 'head', 'tail', 'printf', 'ping'];

function tsharkRows(pcap: string, filter: string, fields: string[]): string[][] {
  const out = execFileSync('tshark', ['-r', pcap, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter(Boolean).map((line) => line.split('\t'));
}

describe.runIf(canRunLab && hasSshd && hasTshark && hasTools)('scanlab\'s generators on hosts reached over SSH', () => {
  let lab: SshTestLab;

  beforeAll(async () => {
    lab = await buildSshTestLab([
      { name: 'victim', sshd: true, services: ['http', 'dns'] },
      { name: 'attacker', sshd: true },
      { name: 'client', sshd: true },
      { name: 'bare', sshd: true, onlyTools: BARE_TOOLS },
    ]);
  });
  afterAll(async () => {
    const namespaces = lab ? ['victim', 'attacker', 'client', 'bare', CONTROLLER].map((h) => lab.namespace(h)) : [];
    await lab?.cleanup();
    const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    expect(namespaces.filter((ns) => left.includes(ns))).toEqual([]);
  });

  function recordedProcesses(): unknown[] {
    const state = join(lab.dir, 'state');
    return existsSync(state) ? readdirSync(state).filter((f) => f.endsWith('.json')) : [];
  }

  describe('ping, web and dns from a client, web from the attacker, during a scan', () => {
    let runDir: string;
    let label: Map<number, string>;
    let pcap: string;
    let victim: string;
    let attacker: string;
    let client: string;

    beforeAll(() => {
      victim = lab.address('victim');
      attacker = lab.address('attacker');
      client = lab.address('client');
      const path = sshScenario(lab, {
        name: 'ssh-traffic',
        scope: ['198.18.0.0/24'],
        warmup: '3s',
        hosts: [{ name: 'victim', role: 'victim' }, { name: 'attacker', role: 'attacker' }, { name: 'client', role: 'client' }],
        attacks: SCAN,
        traffic: [
          '  - { kind: ping, from: client, to: victim, every: 300ms }',
          '  - { kind: web, from: client, to: victim, every: 400ms }',
          '  - { kind: dns, from: client, to: victim, every: 400ms }',
          '  - { kind: web, from: attacker, to: victim, every: 500ms }',
        ].join('\n'),
      });
      const result = lab.scanlab(['run', path, '--json', '--out', join(lab.dir, 'runs')]);
      expect(result.code, result.stderr).toBe(0);
      runDir = JSON.parse(result.stdout.trim().split('\n').pop()!).runDir;
      pcap = join(runDir, 'capture.pcap');
      label = new Map(readFileSync(join(runDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((line) => {
        const [no, l] = line.split(',');
        return [Number(no), l] as const;
      }));
    });

    const notBenign = (frames: string[][]) => frames.filter(([n]) => label.get(Number(n)) !== 'benign').map(([n]) => n);

    test('the client\'s pings, page loads and DNS lookups are in the capture, each answered, all benign', () => {
      const requests = tsharkRows(pcap, `icmp.type==8 && ip.src==${client} && ip.dst==${victim}`, ['frame.number']);
      const replies = tsharkRows(pcap, `icmp.type==0 && ip.src==${victim} && ip.dst==${client}`, ['frame.number']);
      const pages = tsharkRows(pcap, `http.request && ip.src==${client}`, ['frame.number', 'http.request.uri']);
      const web = tsharkRows(pcap, `tcp.port==80 && ip.addr==${client}`, ['frame.number']);
      const queries = tsharkRows(pcap, `dns.flags.response==0 && ip.src==${client}`, ['frame.number', 'dns.qry.name']);
      const answers = tsharkRows(pcap, `dns.flags.response==1 && ip.src==${victim} && ip.dst==${client}`, ['frame.number']);
      expect(requests.length).toBeGreaterThan(3);
      expect(replies.length).toBeGreaterThan(3);
      expect(pages.length).toBeGreaterThan(3);
      expect(queries.length).toBeGreaterThan(3);
      expect(answers.length).toBeGreaterThan(3);
      // The seeded names and pages of the namespace agent, made by dig and curl
      expect(queries.every(([, name]) => name.endsWith('.lab.test'))).toBe(true);
      expect(pages.every(([, uri]) => ['/', '/index.html', '/missing.html'].includes(uri))).toBe(true);
      expect(notBenign([...requests, ...replies, ...web, ...queries, ...answers])).toEqual([]);
    });

    test('the attacker\'s browsing is benign, told apart from its scan of the same port by the local ports curl reported', () => {
      const flows = readFileSync(join(runDir, 'benign-flows.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const ports = new Set(flows.filter((f) => f.host === 'attacker').map((f) => String(f.localPort)));
      expect(ports.size).toBeGreaterThan(3);
      // Every page the attacker asked for came from a port curl reported (tshark reads the port itself)
      const pages = tsharkRows(pcap, `http.request && ip.src==${attacker}`, ['frame.number', 'tcp.srcport']);
      expect(pages.length).toBeGreaterThan(3);
      expect(pages.filter(([, port]) => !ports.has(port))).toEqual([]);
      const browsing = tsharkRows(pcap, `ip.addr==${attacker} && tcp.port==80`, ['frame.number', 'tcp.srcport', 'tcp.dstport']).filter(([, s, d]) => ports.has(s) || ports.has(d));
      expect(notBenign(browsing)).toEqual([]);
      // ... while the scan's probes to port 80 (and every other) are scan
      const probes = tsharkRows(pcap, `ip.src==${attacker} && ip.dst==${victim} && tcp.flags.syn==1 && tcp.flags.ack==0`, ['frame.number', 'tcp.srcport']).filter(([, s]) => !ports.has(s));
      expect(probes.length).toBeGreaterThanOrEqual(200);
      expect(probes.filter(([n]) => label.get(Number(n)) !== 'scan')).toEqual([]);
    });

    test('the traffic counters come from the hosts\' own tools, and nothing scanlab started is left on any host', () => {
      const events = readFileSync(join(runDir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const last = (host: string) => events.filter((e) => e.type === 'traffic-activity' && e.host === host).pop()?.counters;
      for (const kind of ['ping', 'web', 'dns']) {
        expect(last('client')[kind].sessions, kind).toBeGreaterThan(3);
        expect(last('client')[kind].failures, kind).toBeLessThan(last('client')[kind].sessions / 2);
      }
      expect(last('client').web.bytes).toBeGreaterThan(1000);
      expect(last('attacker').web.sessions).toBeGreaterThan(3);
      expect(lab.processes('victim').sort()).toEqual(['dnsmasq', 'nginx', 'nginx', 'sshd']);
      for (const host of ['attacker', 'client']) expect(lab.processes(host), host).toEqual(['sshd']);
      expect(lab.processes(CONTROLLER)).toEqual([]);
      expect(recordedProcesses()).toEqual([]);
    });
  });

  test('a host that lacks a tool its traffic needs is refused before anything starts, naming host, tool and package', () => {
    const path = sshScenario(lab, {
      name: 'ssh-traffic-missing-tool',
      scope: ['198.18.0.0/24'],
      hosts: [{ name: 'victim', role: 'victim' }, { name: 'attacker', role: 'attacker' }, { name: 'client', role: 'client', ssh: `root@${lab.address('bare')}` }],
      attacks: SCAN,
      traffic: ['  - { kind: ping, from: client, to: victim }', '  - { kind: web, from: client, to: victim }', '  - { kind: tls, from: client, to: victim }', '  - { kind: dns, from: client, to: victim }'].join('\n'),
    });
    const result = lab.scanlab(['run', path, '--no-tui', '--out', join(lab.dir, 'refused')]);
    expect(result.code, result.stderr).toBe(2);
    const who = `host client \\(root@${lab.address('bare').replace(/\./g, '\\.')}\\)`;
    expect(result.stderr).toMatch(new RegExp(`${who}: curl is not installed \\(or not on the login PATH\\), and the web and tls traffic from client needs it; install it there, e\\.g\\. apt-get install curl`));
    expect(result.stderr).toMatch(new RegExp(`${who}: dig is not installed .* the dns traffic from client needs it; install it there, e\\.g\\. apt-get install bind9-dnsutils`));
    // ping is there: not named
    expect(result.stderr).not.toMatch(/ping is not installed/);
    expect(recordedProcesses()).toEqual([]);
    for (const host of ['attacker', 'bare']) expect(lab.processes(host), host).toEqual(['sshd']);
  });
});
