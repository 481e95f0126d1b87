// Exact labels where the naive rule is wrong: an attacker that browses the victim like a client
// (its benign packets are not scan) and a decoy scan (spoofed probes from other lab hosts are
// scan). Checked packet by packet against tshark display filters over the same capture.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { canRunLab, runCliSync, tempDir, PROJECT_ROOT } from '../helpers/env.ts';

const VICTIM = '198.18.0.10';
const ATTACKER = '198.18.0.11';
const DECOYS = ['198.18.0.12', '198.18.0.13'];

/** Frame numbers tshark selects with a display filter: an independent reading of the pcap. */
function tsharkFrames(pcap: string, filter: string): number[] {
  const out = execFileSync('tshark', ['-r', pcap, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter(Boolean).map(Number);
}

describe.runIf(canRunLab)('exact labels (attacker blends in, decoy scan)', () => {
  let runDir: string;
  let label: Map<number, { label: string; step: string }>;
  let report: Record<string, any>;
  let pcap: string;

  beforeAll(() => {
    const result = runCliSync(['run', join(PROJECT_ROOT, 'test/fixtures/scenarios/blend.yaml'), '--json', '--out', tempDir('labels')]);
    expect(result.code, result.stderr).toBe(0);
    runDir = JSON.parse(result.stdout.trim().split('\n').pop()!).runDir;
    pcap = join(runDir, 'capture.pcap');
    label = new Map();
    for (const line of readFileSync(join(runDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1)) {
      const [no, l, step] = line.split(',');
      label.set(Number(no), { label: l, step });
    }
    report = JSON.parse(readFileSync(join(runDir, 'labels.json'), 'utf8'));
  });

  test('the attacker\'s browsing of the victim\'s web site is benign', () => {
    const browsing = tsharkFrames(pcap, `ip.addr==${ATTACKER} && tcp.port==80`);
    expect(browsing.length).toBeGreaterThan(20);
    expect(browsing.filter((n) => label.get(n)!.label !== 'benign')).toEqual([]);
  });

  test('everything else of the attacker\'s over IP is scan, with its step', () => {
    const probes = tsharkFrames(pcap, `ip.addr==${ATTACKER} && !(tcp.port==80)`);
    expect(probes.length).toBeGreaterThan(500);
    expect(probes.filter((n) => label.get(n)!.label !== 'scan')).toEqual([]);
    const steps = new Set(probes.map((n) => label.get(n)!.step));
    expect([...steps].sort()).toEqual(['decoy-scan', 'syn-scan']);
  });

  test('spoofed decoy probes and the victim\'s replies to them are scan; the decoys\' own RSTs are not', () => {
    for (const decoy of DECOYS) {
      const probes = tsharkFrames(pcap, `ip.src==${decoy} && ip.dst==${VICTIM} && tcp.flags.syn==1 && tcp.flags.ack==0`);
      const replies = tsharkFrames(pcap, `ip.src==${VICTIM} && ip.dst==${decoy}`);
      // 101 ports, one probe each (nmap may retry a few)
      expect(probes.length).toBeGreaterThanOrEqual(101);
      expect(replies.length).toBeGreaterThanOrEqual(101);
      for (const n of [...probes, ...replies]) expect(label.get(n), `frame ${n}`).toEqual({ label: 'scan', step: 'decoy-scan' });
      // A decoy answers the victim's SYN-ACKs with RST: induced, but not emitted by the attacker
      const induced = tsharkFrames(pcap, `ip.src==${decoy} && ip.dst==${VICTIM} && tcp.flags.reset==1`);
      for (const n of induced) expect(label.get(n)!.label).toBe('benign');
    }
  });

  test('labels.json counts exactly where the naive rule is wrong, and every packet has a label', () => {
    // The naive rule: any packet to or from the attacker's address (IP or ARP)
    const naive = tsharkFrames(pcap, `ip.addr==${ATTACKER} || arp.src.proto_ipv4==${ATTACKER} || arp.dst.proto_ipv4==${ATTACKER}`);
    const browsing = new Set(tsharkFrames(pcap, `ip.addr==${ATTACKER} && tcp.port==80`));
    const arp = new Set(tsharkFrames(pcap, 'arp'));
    const naiveOnly = naive.filter((n) => label.get(n)!.label === 'benign');
    // What the naive rule calls scan but is not: the browsing, and ARP outside the attack steps
    expect(naiveOnly.filter((n) => !browsing.has(n) && !arp.has(n))).toEqual([]);
    expect(naiveOnly.filter((n) => browsing.has(n)).length).toBe(browsing.size);
    const decoyScan = DECOYS.reduce((sum, d) => sum + tsharkFrames(pcap, `(ip.src==${d} && ip.dst==${VICTIM} && tcp.flags.syn==1 && tcp.flags.ack==0) || (ip.src==${VICTIM} && ip.dst==${d})`).length, 0);
    expect(report.naive.scan).toBe(naive.length);
    expect(report.naive.naiveScanExactBenign).toBe(naiveOnly.length);
    expect(report.naive.naiveBenignExactScan).toBe(decoyScan);
    expect(report.unmatched).toEqual({ attackerPacketsMissingAtVictim: 0, victimRepliesUnmatched: 0 });
    const total = Number(execFileSync('capinfos', ['-c', '-M', pcap], { encoding: 'utf8' }).match(/Number of packets:\s+(\d+)/)![1]);
    expect(label.size).toBe(total);
    expect(report.packets).toBe(total);
  });
});
