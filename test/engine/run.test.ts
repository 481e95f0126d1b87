// A whole run through the real binary: real namespaces, real nmap, real libpcap capture. Counts
// are checked against tcpdump reading the same file.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { canRunLab, runCliSync, scanlabNamespaces, tcpdumpCount, tempDir, PROJECT_ROOT } from '../helpers/env.ts';

describe.runIf(canRunLab)('scanlab run (tiny scenario, headless, --json)', () => {
  let summary: Record<string, any>;
  let runDir: string;
  let labId: string;
  let stderr: string;

  beforeAll(() => {
    const out = tempDir('run');
    const result = runCliSync(['run', join(PROJECT_ROOT, 'test/fixtures/scenarios/tiny.yaml'), '--json', '--out', out]);
    stderr = result.stderr;
    expect(result.code, result.stderr).toBe(0);
    summary = JSON.parse(result.stdout.trim().split('\n').pop()!);
    runDir = summary.runDir;
    const events = readFileSync(join(runDir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    labId = events.find((e) => e.type === 'phase-started' && e.phase === 'lab-up').detail.split(' ')[1];
  });

  test('prints one JSON summary with the contract fields', () => {
    for (const key of ['runDir', 'packets', 'scan', 'benign', 'dropped', 'status']) expect(summary).toHaveProperty(key);
    expect(summary.status).toBe('ok');
    expect(summary.packets).toBe(summary.scan + summary.benign);
    expect(summary.scan).toBeGreaterThan(200); // 200 probes and their replies at least
    expect(summary.benign).toBeGreaterThan(0);
  });

  test('progress goes to stderr while --json keeps stdout to the one object', () => {
    expect(stderr).toContain('syn-scan');
  });

  test('the run directory holds every file of the contract', () => {
    for (const file of ['scenario.yaml', 'capture.pcap', 'capture.json', 'events.jsonl', 'labels.csv', 'attack/syn-scan.xml', 'attack/syn-scan.log']) {
      expect(existsSync(join(runDir, file)), file).toBe(true);
    }
    expect(readFileSync(join(runDir, 'scenario.yaml'), 'utf8')).toMatch(/#\s+victim\s+198\.18\.0\.10/);
    // The resolved scenario runs again as it is: same seed, same defaults
    const again = loadScenario(join(runDir, 'scenario.yaml'));
    expect(again.seed).toBe(3);
    expect(again.warmup).toBe(1500);
  });

  test('capture.pcap holds what libpcap counted, and tcpdump reads the same number', () => {
    const capture = JSON.parse(readFileSync(join(runDir, 'capture.json'), 'utf8'));
    const count = tcpdumpCount(join(runDir, 'capture.pcap'));
    expect(count).toBe(summary.packets);
    expect(capture.packets).toBe(count);
    expect(capture.agentPackets).toBe(count);
    expect(capture.libpcap.dropped).toBe(0);
    expect(capture.libpcap.received).toBeGreaterThanOrEqual(count);
    expect(summary.dropped).toBe(capture.libpcap.dropped);
  });

  test('labels.csv has one row per packet, and scan rows match tcpdump\'s count for the attacker', () => {
    const rows = readFileSync(join(runDir, 'labels.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('no,label,step');
    expect(rows.length - 1).toBe(summary.packets);
    expect(rows[1]).toMatch(/^1,(scan|benign),/);
    const scanRows = rows.filter((r) => r.includes(',scan,'));
    const attackerPackets = tcpdumpCount(join(runDir, 'capture.pcap'), 'host 198.18.0.11');
    expect(scanRows.length).toBe(attackerPackets);
    expect(scanRows.every((r) => r.endsWith(',syn-scan'))).toBe(true);
  });

  test('frames are wire-sized: no segment larger than the MTU (offloads are off)', () => {
    expect(tcpdumpCount(join(runDir, 'capture.pcap'), 'greater 1515')).toBe(0);
  });

  test('nmap found the victim\'s real services', () => {
    const xml = readFileSync(join(runDir, 'attack/syn-scan.xml'), 'utf8');
    for (const port of ['22', '53', '80']) expect(xml).toMatch(new RegExp(`portid="${port}"><state state="open"`));
  });

  test('the lab is gone afterwards', () => {
    expect(scanlabNamespaces(labId)).toEqual([]);
  });
});
