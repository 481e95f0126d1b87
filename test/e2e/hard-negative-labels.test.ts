// Exact labels for hard negatives on an attacking host: its monitoring checks, its retries of a
// closed port and its DNS bursts are benign although they come from the scanning address, and
// everything else it sends is scan. Checked frame by frame against tshark display filters.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { canRunLab, runCliSync, tempDir, PROJECT_ROOT } from '../helpers/env.ts';

const ATTACKER = '198.18.0.11';
const BENIGN_PORTS = 'tcp.port in {22,25,80,3306,9999} || udp.port==53';

function tsharkFrames(pcap: string, filter: string): number[] {
  const out = execFileSync('tshark', ['-r', pcap, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter(Boolean).map(Number);
}

describe.runIf(canRunLab)('exact labels with hard negatives on the attacker', () => {
  let label: Map<number, string>;
  let pcap: string;

  beforeAll(() => {
    const result = runCliSync(['run', join(PROJECT_ROOT, 'test/fixtures/scenarios/blend-hard.yaml'), '--json', '--out', tempDir('hard-labels')]);
    expect(result.code, result.stderr).toBe(0);
    const runDir = JSON.parse(result.stdout.trim().split('\n').pop()!).runDir;
    pcap = join(runDir, 'capture.pcap');
    label = new Map(readFileSync(join(runDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((line) => {
      const [no, l] = line.split(',');
      return [Number(no), l] as const;
    }));
  });

  test('the attacker\'s monitoring, retries and lookups are benign, closed ports included', () => {
    const benign = tsharkFrames(pcap, `ip.addr==${ATTACKER} && (${BENIGN_PORTS})`);
    // Given checks of closed ports answered by RST, and retries of the closed port 9999
    expect(tsharkFrames(pcap, `ip.src==${ATTACKER} && tcp.dstport==9999 && tcp.flags.syn==1`).length).toBeGreaterThan(5);
    expect(tsharkFrames(pcap, `ip.dst==${ATTACKER} && tcp.srcport in {25,3306} && tcp.flags.reset==1`).length).toBeGreaterThan(5);
    expect(tsharkFrames(pcap, `ip.src==${ATTACKER} && udp.dstport==53`).length).toBeGreaterThan(10);
    // Then every one of those packets is benign
    expect(benign.filter((n) => label.get(n) !== 'benign')).toEqual([]);
  });

  test('everything else of the attacker\'s over IP is scan', () => {
    const probes = tsharkFrames(pcap, `ip.addr==${ATTACKER} && !(${BENIGN_PORTS})`);
    expect(probes.length).toBeGreaterThan(1500);
    expect(probes.filter((n) => label.get(n) !== 'scan')).toEqual([]);
  });

  test('the browser client\'s parallel connections are benign', () => {
    const client = tsharkFrames(pcap, 'ip.addr==198.18.0.12');
    expect(client.length).toBeGreaterThan(100);
    expect(client.filter((n) => label.get(n) !== 'benign')).toEqual([]);
  });
});
