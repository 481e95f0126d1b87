// Every scenario in scenarios/ runs for real, its labels cover every packet of its capture, and
// its published dataset leaks nothing.
// The long ones run when SCANLAB_LONG_TESTS=1 (npm run test:scenarios); CI runs the rest.

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { canRunLab, runCliSync, tcpdumpCount, tempDir, PROJECT_ROOT } from '../helpers/env.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { parseCidr, v4FromText } from '../../src/util/address-text.ts';

/** Scenarios that take a minute or more, or repeat what a shorter one covers: not in CI. */
const LONG: Record<string, string> = {
  'slow-polite': 'a -T2 scan takes about 2 minutes by design',
  fingerprint: 'version and OS detection take about 45 s',
  'busy-lan': 'eleven hosts; the exact-label test covers an attacker that blends in',
  'benign-only': 'a minute of benign traffic; benign traffic is in every other scenario',
  quick: 'npm run demo runs it; the tiny fixture covers the same path',
  'syn-full': '131,000 packets: bench/capture.bench.ts measures this',
  'slow-sneaky': 'a -T1 scan takes about 2.5 minutes by design',
  'benign-hard': 'twelve hosts and a minute of traffic; test/e2e/hard-negative-labels.test.ts covers the hard negatives\' labels',
  'minority-syn': 'about 70 s; minority-stealth covers the same busy mix',
  'minority-udp': 'about 60 s; minority-stealth covers the same busy mix',
  'minority-hard': 'ten hosts, about 80 s; benign-hard and the hard-negative label test cover its parts',
  distributed: 'about 60 s; the concurrent steps are covered by test/scenario/load.test.ts and the label test',
};

/**
 * Scenarios built to be hard for detectors: a minority scan under busy or scan-like benign
 * traffic, a distributed or slow scan. The bench measures how well each detector does there;
 * this test checks labels only. The value is the scan share the scenario is built for.
 */
const HARD: Record<string, { maxScanShare?: number }> = {
  'minority-syn': { maxScanShare: 0.05 },
  'minority-udp': { maxScanShare: 0.05 },
  'minority-stealth': { maxScanShare: 0.05 },
  'minority-hard': { maxScanShare: 0.05 },
  distributed: {},
  'slow-sneaky': {},
};
const runLong = process.env.SCANLAB_LONG_TESTS === '1';

/** Source and destination IPv4 addresses of packets.csv, without broadcast, multicast or 0.0.0.0. */
function unicastV4(csv: string): string[] {
  const rows = csv.trim().split('\n').slice(1);
  return rows
    .flatMap((r) => r.split('","').slice(2, 4))
    .filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !/^(0\.|22[4-9]\.|2[3-5]\d\.)/.test(a));
}

function inCidr(address: string, cidr: string): boolean {
  const range = parseCidr(cidr)!;
  const base = ((range.bytes[0] << 24) | (range.bytes[1] << 16) | (range.bytes[2] << 8) | range.bytes[3]) >>> 0;
  const mask = range.prefix === 0 ? 0 : (~0 << (32 - range.prefix)) >>> 0;
  return ((v4FromText(address)! & mask) >>> 0) === ((base & mask) >>> 0);
}
const SCENARIOS = readdirSync(join(PROJECT_ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));

describe.runIf(canRunLab)('the scenario library', () => {
  test.each(SCENARIOS)('%s runs, labels.csv covers every packet, the dataset leaks nothing', (name) => {
    if (LONG[name] && !runLong) {
      console.log(`skipped ${name} (set SCANLAB_LONG_TESTS=1 to run it): ${LONG[name]}`);
      return;
    }
    const scenario = loadScenario(join(PROJECT_ROOT, 'scenarios', `${name}.yaml`));
    const result = runCliSync(['run', join(PROJECT_ROOT, 'scenarios', `${name}.yaml`), '--json', '--out', tempDir(name)], { timeoutMs: 600_000 });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop()!);
    const pcap = join(summary.runDir, 'capture.pcap');
    const rows = readFileSync(join(summary.runDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows.length).toBe(tcpdumpCount(pcap));
    expect(rows.every((row, i) => row.startsWith(`${i + 1},`))).toBe(true);
    expect(summary.dropped).toBe(0);
    // The published dataset leaks no original address or MAC, and tshark reads all of it
    const verify = runCliSync(['verify-anon', join(summary.runDir, 'dataset'), '--original', pcap]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(tcpdumpCount(join(summary.runDir, 'dataset', 'capture.pcap'))).toBe(rows.length);
    // A scenario that names its fake range gets it: in the manifest and in every unicast address
    if (scenario.anonymize.fakeV4) {
      const dataset = join(summary.runDir, 'dataset');
      expect(JSON.parse(readFileSync(join(dataset, 'manifest.json'), 'utf8')).anonymization.fakeRanges.ipv4).toBe(scenario.anonymize.fakeV4);
      const unicast = unicastV4(readFileSync(join(dataset, 'packets.csv'), 'utf8'));
      expect(unicast.length).toBeGreaterThan(0);
      for (const address of unicast) expect(inCidr(address, scenario.anonymize.fakeV4), address).toBe(true);
    }
    if (scenario.lab.kind === 'netns' && scenario.lab.ipv6) {
      // An IPv6 scenario scans over IPv6 (every scan frame is IPv6 in tshark's reading), and its benign traffic uses both families
      const types = execFileSync('tshark', ['-r', pcap, '-T', 'fields', '-e', 'eth.type'], { encoding: 'utf8', maxBuffer: 1 << 28 }).trim().split('\n');
      const typesOf = (label: string) => new Set(rows.filter((r) => r.split(',')[1] === label).map((r) => types[Number(r.split(',')[0]) - 1]));
      expect([...typesOf('scan')]).toEqual(['0x86dd']);
      expect([...typesOf('benign')]).toEqual(expect.arrayContaining(['0x0800', '0x86dd']));
    }
    const labels = JSON.parse(readFileSync(join(summary.runDir, 'labels.json'), 'utf8'));
    if (scenario.attacks.length === 0) {
      expect(summary.scan).toBe(0);
    } else {
      // Every step left scan packets at the victim, and nothing the attacker sent went missing
      for (const step of scenario.attacks) expect(labels.byStep[step.name], step.name).toBeGreaterThan(0);
      expect(labels.unmatched.attackerPacketsMissingAtVictim).toBe(0);
      // Each attacking host's probes are labelled with its own step (concurrent steps overlap in time)
      for (const step of scenario.attacks) expect(labels.emitted[step.from].scan, step.from).toBeGreaterThan(0);
      const hard = HARD[name];
      if (hard?.maxScanShare !== undefined) {
        // A minority scenario is one: the scan is at most its share of the victim's packets
        expect(summary.scan / summary.packets).toBeLessThanOrEqual(hard.maxScanShare);
      } else if (!hard) {
        // scanlab's own feature set separates the scan (issue 4's accuracy goal)
        const analysis = JSON.parse(readFileSync(join(summary.runDir, 'analysis.json'), 'utf8'));
        expect(analysis.featureSets['host-window'].metricsByPackets.scanF1).toBeGreaterThanOrEqual(0.95);
      }
    }
  });
});
