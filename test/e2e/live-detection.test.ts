// Live detection in a real run: real namespaces, nmap and libpcap, the engine tailing the capture
// file as the agent writes it. Checks the alert events, live.json and the online figures in
// analysis.json, that the online novelty detector decided what the offline one decides on the same
// capture, that `scanlab analyze` of the run keeps the figures recorded at run time, and --no-live.
// The syn-full stress run (131k packets in a few seconds, live on, 0 drops) runs with
// SCANLAB_LONG_TESTS=1.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { canRunLab, runCliSync, tempDir, PROJECT_ROOT } from '../helpers/env.ts';
import { decodeCapture } from '../../src/capture/decode/decode-capture.ts';
import { detectNovelty } from '../../src/detect/novelty.ts';
import { hostWindow } from '../../src/features/host-window.ts';
import { resolveTraining } from '../../src/analysis/training.ts';

const runLong = process.env.SCANLAB_LONG_TESTS === '1';

function events(runDir: string): Record<string, any>[] {
  return readFileSync(join(runDir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe.runIf(canRunLab)('live detection in a real run (scenarios/quick.yaml)', () => {
  let runDir: string;
  let stdout: string;
  beforeAll(() => {
    const result = runCliSync(['run', join(PROJECT_ROOT, 'scenarios/quick.yaml'), '--no-tui', '--out', tempDir('live')], { timeoutMs: 300_000 });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    stdout = result.stdout;
    runDir = stdout.match(/run directory: (\S+)/)![1];
  });

  test('alert events come after the first attack step started, name the attacker, and the headless view prints them', () => {
    const all = events(runDir);
    const started = all.find((e) => e.type === 'attack-started' && e.step === 'syn-scan')!.time;
    const alerts = all.filter((e) => e.type === 'alert');
    expect(alerts.length).toBeGreaterThan(0);
    const scenario = readFileSync(join(runDir, 'scenario.yaml'), 'utf8');
    const attackerAddress = scenario.match(/#\s+attacker\s+(\S+)/)![1];
    for (const a of alerts) {
      expect(a.raisedAt).toBeGreaterThan(started);
      expect(a.raisedAt).toBeGreaterThanOrEqual(a.lastPacketTime);
      expect(a.lastPacketTime).toBeGreaterThanOrEqual(a.firstPacketTime);
    }
    // The fixed novelty detector and the threshold both see the SYN scan, from the attacker
    for (const detector of ['online:host-window', 'online:threshold']) expect(alerts.some((a) => a.detector === detector && a.src === attackerAddress), detector).toBe(true);
    expect(stdout).toMatch(/alert online:host-window: \S+ -> \S+ score/);
    expect(stdout).toMatch(/live detection: \d+ packets read, \d+ alerts/);
  });

  test('analysis.json has the online detectors with time to detect per step, latency and the offline scores', () => {
    const analysis = JSON.parse(readFileSync(join(runDir, 'analysis.json'), 'utf8'));
    const online = analysis.detectors['online:host-window'];
    expect(online.online).toBe(true);
    expect(online.timeToDetectMs['syn-scan']).toBeGreaterThan(0);
    expect(online.alertLatencyMs.alerts).toBeGreaterThan(0);
    expect(online.alertLatencyMs.p99).toBeGreaterThanOrEqual(online.alertLatencyMs.p50);
    // Same decisions as the offline host-window detector on the whole capture: same scores
    expect(online.packets).toEqual(analysis.detectors['host-window'].packets);
    expect(online.judgedPackets).toBe(analysis.detectors['host-window'].judgedPackets);
    for (const name of ['online:streaming-kmeans', 'online:threshold']) {
      expect(analysis.detectors[name].online).toBe(true);
      expect(analysis.detectors[name].packets.recall).toBeGreaterThan(0);
    }
  });

  test('the decisions live.json recorded are the offline novelty decisions, packet by packet', () => {
    const record = JSON.parse(readFileSync(join(runDir, 'live.json'), 'utf8'));
    const pcap = join(runDir, 'capture.pcap');
    const decoded = decodeCapture(pcap);
    const training = resolveTraining({ runDir }, decoded, pcap);
    const offline = detectNovelty(hostWindow, { decoded, training, seed: 1 });
    expect(record.packets).toBe(decoded.packets);
    const d = record.detectors['online:host-window'];
    const online = record.rowOfPacket.map((r: number) => (r < 0 ? 0 : d.flagged[r]));
    let differ = 0;
    for (let i = 0; i < decoded.packets; i++) if (online[i] !== offline.flagged[i]) differ++;
    expect(differ).toBe(0);
  });

  test('scanlab analyze of the run directory keeps the figures recorded at run time', () => {
    const before = JSON.parse(readFileSync(join(runDir, 'analysis.json'), 'utf8')).detectors['online:threshold'];
    const result = runCliSync(['analyze', runDir, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const after = JSON.parse(result.stdout).detectors['online:threshold'];
    expect(after.timeToDetectMs).toEqual(before.timeToDetectMs);
    expect(after.alertLatencyMs).toEqual(before.alertLatencyMs);
    expect(after.packets).toEqual(before.packets);
  });
});

describe.runIf(canRunLab)('scanlab run --no-live', () => {
  test('raises no alert and writes no live.json', () => {
    const result = runCliSync(['run', join(PROJECT_ROOT, 'test/fixtures/scenarios/tiny.yaml'), '--no-tui', '--no-live', '--out', tempDir('no-live')], { timeoutMs: 180_000 });
    expect(result.code, result.stderr).toBe(0);
    const runDir = result.stdout.match(/run directory: (\S+)/)![1];
    expect(events(runDir).some((e) => e.type === 'alert')).toBe(false);
    expect(existsSync(join(runDir, 'live.json'))).toBe(false);
    expect(Object.keys(JSON.parse(readFileSync(join(runDir, 'analysis.json'), 'utf8')).detectors).some((n) => n.startsWith('online:'))).toBe(false);
  });
});

describe.runIf(canRunLab && runLong)('live detection under the syn-full stress test (SCANLAB_LONG_TESTS=1)', () => {
  test('131k packets in a few seconds with live detection on: libpcap drops nothing, every packet is judged', () => {
    const result = runCliSync(['run', join(PROJECT_ROOT, 'scenarios/syn-full.yaml'), '--json', '--out', tempDir('syn-full-live')], { timeoutMs: 600_000 });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(summary.dropped).toBe(0);
    const capture = JSON.parse(readFileSync(join(summary.runDir, 'capture.json'), 'utf8'));
    expect(capture.libpcap.dropped).toBe(0);
    expect(capture.libpcap.ifDropped).toBe(0);
    const record = JSON.parse(readFileSync(join(summary.runDir, 'live.json'), 'utf8'));
    expect(record.packets).toBe(summary.packets);
    const online = JSON.parse(readFileSync(join(summary.runDir, 'analysis.json'), 'utf8')).detectors['online:threshold'];
    expect(online.timeToDetectMs['syn-scan-all-ports']).not.toBeNull();
    const finished = events(summary.runDir).find((e) => e.type === 'live-finished')!;
    console.log(`syn-full live: ${summary.packets} packets, ${summary.dropped} dropped, ${finished.packetsPerSecond} packets/s of live work, alert latency p50 ${finished.latencyMs.p50} ms p99 ${finished.latencyMs.p99} ms`);
  });
});
