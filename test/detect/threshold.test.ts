import { describe, expect, test } from 'vitest';
import { thresholdDetector, ZEEK_THRESHOLDS } from '../../src/detect/threshold.ts';
import { decodeFrames, openConnection, refusedConnection, tcp, SYN, type Frame } from './synth-capture.ts';

const SCANNER = '198.18.0.20';
const VICTIM = '198.18.0.10';
const CLIENT = '198.18.0.30';

/** `count` refused attempts from the scanner to distinct ports of the victim, 10 ms apart from `t0`. */
function portScan(count: number, t0 = 0.5): Frame[] {
  return Array.from({ length: count }, (_, k) => refusedConnection(t0 + k * 0.01, SCANNER, 50000 + k, VICTIM, 1 + k)).flat();
}

function refusedConnectionsFrom(count: number, t0: number, port0: number): Frame[] {
  return Array.from({ length: count }, (_, k) => refusedConnection(t0 + k * 0.01, SCANNER, 51000 + port0 + k, VICTIM, port0 + k)).flat();
}

/** Benign client: two web connections (6 packets) at t = 0 and t = 2. */
const benign = [...openConnection(0, CLIENT, 41000, VICTIM, 80), ...openConnection(2, CLIENT, 41001, VICTIM, 80)];

describe('threshold detector (Zeek scan policy)', () => {
  test('uses Zeek\'s numbers: 15 ports, 25 hosts, 5 minutes, failed attempts only', () => {
    expect(ZEEK_THRESHOLDS).toEqual({ portThreshold: 15, hostThreshold: 25, windowSeconds: 300, failedOnly: true });
  });

  test.each([
    [14, 0],
    [15, 30],
  ])('%i refused ports of one host -> %i packets predicted scan', (ports, expected) => {
    // Given the benign client (6 packets) and a port scan of `ports` ports (2 packets each)
    const decoded = decodeFrames([...benign, ...portScan(ports)].sort((a, b) => a.time - b.time));
    // When
    const predicted = thresholdDetector(decoded).flagged;
    // Then: every packet to or from the scanner, and none of the client's
    expect(predicted.reduce((s, v) => s + v, 0)).toBe(expected);
    for (let i = 0; i < decoded.packets; i++) {
      const fromClient = decoded.addresses.text(decoded.columns.src[i]) === CLIENT || decoded.addresses.text(decoded.columns.dst[i]) === CLIENT;
      if (fromClient) expect(predicted[i]).toBe(0);
    }
  });

  test.each([
    [24, 0],
    [25, 25],
  ])('%i unanswered hosts on port 22 -> %i packets predicted scan', (hosts, expected) => {
    const frames = Array.from({ length: hosts }, (_, k) => tcp(k * 0.01, SCANNER, 50000 + k, `198.18.1.${k + 1}`, 22, SYN));
    expect(thresholdDetector(decodeFrames(frames)).flagged.reduce((s, v) => s + v, 0)).toBe(expected);
  });

  test('counts within one 5-minute epoch: 10 ports before t = 300 s and 10 after are no scan', () => {
    // Epochs start at the capture's first packet: the client's connection at t = 0.
    const first = refusedConnectionsFrom(10, 290, 1);
    const second = refusedConnectionsFrom(10, 301, 11);
    const decoded = decodeFrames([...openConnection(0, CLIENT, 41000, VICTIM, 80), ...first, ...second]);
    expect(thresholdDetector(decoded).flagged.reduce((s, v) => s + v, 0)).toBe(0);
    // With one 600 s window the same 20 ports are a scan: all 40 of the scanner's packets.
    expect(thresholdDetector(decoded, { windowSeconds: 600 }).flagged.reduce((s, v) => s + v, 0)).toBe(40);
  });

  test('only the epoch in which the threshold was crossed is predicted scan', () => {
    // 15 refused ports in epoch 0 (30 packets), then one more refused attempt at t = 400 s (epoch 1).
    const decoded = decodeFrames([...portScan(15), ...refusedConnection(400, SCANNER, 52000, VICTIM, 999)]);
    const predicted = thresholdDetector(decoded).flagged;
    expect([...predicted.slice(0, 30)].every((v) => v === 1)).toBe(true);
    expect([...predicted.slice(30)]).toEqual([0, 0]);
  });

  test('successful connections do not count, as in Zeek; counting every attempt flags them', () => {
    const frames = Array.from({ length: 15 }, (_, k) => openConnection(k * 0.01, CLIENT, 42000 + k, VICTIM, 1000 + k)).flat().sort((a, b) => a.time - b.time);
    const decoded = decodeFrames(frames);
    expect(thresholdDetector(decoded).flagged.reduce((s, v) => s + v, 0)).toBe(0);
    expect(thresholdDetector(decoded, { failedOnly: false }).flagged.reduce((s, v) => s + v, 0)).toBe(45);
  });
});
