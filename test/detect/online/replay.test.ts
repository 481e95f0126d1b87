// A capture replayed through the live path in batches (the same PcapTail, decoder and windows a
// run uses) against the offline detectors on the whole file.
import { describe, expect, test } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrames, openConnection, refusedConnection, tcp, udp, SYN, type Frame } from '../synth-capture.ts';
import { PcapTail } from '../../../src/capture/pcap-tail.ts';
import { LiveDetection } from '../../../src/detect/online/live-detection.ts';
import { detectNovelty } from '../../../src/detect/novelty.ts';
import { hostWindow } from '../../../src/features/host-window.ts';
import { thresholdDetector } from '../../../src/detect/threshold.ts';
import { trwDetector } from '../../../src/detect/trw.ts';
import { onlineTrw, TRW_ANSWER_TIMEOUT_SECONDS } from '../../../src/detect/online/trw-online.ts';
import { windowOf } from '../../../src/features/round-window.ts';
import { liveRecord } from '../../../src/detect/online/live-record.ts';
import { onlineResults } from '../../../src/detect/online/live-results.ts';
import { judgedPackets, type TrainingPart } from '../../../src/detect/detector.ts';
import { scoreDetectorRun } from '../../../src/score/detection-report.ts';
import { packetScores } from '../../../src/detect/row-decisions.ts';

const VICTIM = '198.18.0.10';
const CLIENT = '198.18.0.30';
const STREAMER = '198.18.0.31';
const SCANNER = '198.18.0.66';
const SILENT = '198.18.0.67';

/** 40 s of benign traffic (web every 0.5 s, a UDP stream), a 300-port scan at 30 s and a slower one at 35 s. */
function lab(): Frame[] {
  const frames: Frame[] = [];
  for (let k = 0; k < 80; k++) frames.push(...openConnection(k * 0.5 + 0.01, CLIENT, 40000 + k, VICTIM, 80));
  for (let k = 0; k < 400; k++) frames.push(udp(k * 0.1 + 0.003, STREAMER, 5004, VICTIM, 5004));
  for (let k = 0; k < 300; k++) frames.push(...refusedConnection(30 + k * 0.002, SCANNER, 50000, VICTIM, 1 + k));
  for (let k = 0; k < 40; k++) frames.push(...refusedConnection(35 + k * 0.1, SCANNER, 50001, VICTIM, 1000 + k));
  return frames.sort((a, b) => a.time - b.time);
}

const decoded = decodeFrames(lab());
const startMs = decoded.start.sec * 1000 + decoded.start.nsec / 1e6;
// Inside a window, so the window that ends the warm-up holds training rows and judged rows.
const UNTIL = 25.4;
const training: TrainingPart = { source: 'warm-up', untilSeconds: UNTIL, capture: null, capturePath: null };

function replay(source: { poll: PcapTail['poll'] }, batch: number, between?: () => void, detectors?: LiveDetection['detectors']): LiveDetection {
  let clock = 0;
  const live = new LiveDetection(source, { seed: 1, clock: () => ++clock, detectors });
  live.warmUpEnded(startMs + UNTIL * 1000);
  for (;;) {
    between?.();
    const n = live.step(batch);
    if (n === 0 && !between) break;
    if (n === 0 && source instanceof Growing && source.done) break;
  }
  live.finish();
  return live;
}

/** A copy of the capture written a few hundred bytes at a time, records cut anywhere, as libpcap's buffered writes land. */
class Growing extends PcapTail {
  private readonly bytes: Buffer;
  private at = 0;
  private readonly out: number;
  constructor(from: string, private readonly chunk: number) {
    const path = join(mkdtempSync(join(tmpdir(), 'scanlab-grow-')), 'capture.pcap');
    super(path);
    this.bytes = readFileSync(from);
    this.out = openSync(path, 'w');
  }
  get done(): boolean {
    return this.at >= this.bytes.length;
  }
  grow(): void {
    if (this.done) return;
    const end = Math.min(this.bytes.length, this.at + this.chunk);
    writeSync(this.out, this.bytes, this.at, end - this.at);
    this.at = end;
    if (this.done) closeSync(this.out);
  }
}

describe('live detection on a replayed capture', () => {
  const offline = detectNovelty(hostWindow, { decoded, training, seed: 1 });

  test.each([1, 37, 100_000])('online host-window novelty makes the offline decisions, read %i records at a time', (batch) => {
    // Given the capture read through the live path in batches
    const live = replay(new PcapTail(decoded.path), batch);
    const rows = live.byDetector.get('online:host-window')!;
    const rowOf = live.packetRows();
    // Then every packet has the offline row's score and decision
    expect(live.packets).toBe(decoded.packets);
    const flagged = Array.from(rowOf, (r) => rows.flagged[r]);
    const scores = Array.from(rowOf, (r) => rows.scores[r]);
    expect(flagged).toEqual([...offline.flagged]);
    // (training rows are not judged: online has no score for the ones before the model existed)
    const judged = judgedPackets(decoded, training);
    expect(scores.filter((_, i) => judged[i])).toEqual([...packetScores(offline)].filter((_, i) => judged[i]));
    expect(flagged.filter(Boolean).length).toBeGreaterThan(600);
    // And the training rows are the offline ones
    expect(live.untilSeconds).toBeCloseTo(UNTIL, 6);
  });

  test('a file that grows with records cut anywhere gives the same decisions', () => {
    const growing = new Growing(decoded.path, 333);
    const live = replay(growing, 50, () => growing.grow());
    const rows = live.byDetector.get('online:host-window')!;
    expect(Array.from(live.packetRows(), (r) => rows.flagged[r])).toEqual([...offline.flagged]);
  });

  test('online host-window+threshold flags what either part flags, scored by the higher part over its line', () => {
    const live = replay(new PcapTail(decoded.path), 64);
    const [either, novelty, threshold] = ['online:host-window+threshold', 'online:host-window', 'online:threshold'].map((name) => live.byDetector.get(name)!);
    expect(either.flagged.length).toBeGreaterThan(0);
    either.flagged.forEach((f, r) => {
      expect(f).toBe(novelty.flagged[r] | threshold.flagged[r]);
      expect(either.scores[r]).toBeCloseTo(Math.max(novelty.scores[r] / 5, threshold.scores[r]), 12);
    });
    // Each alert of a part is matched by one of the union for the same hosts and window
    const key = (a: { src: string; dst: string | null; firstPacketTime: number }) => `${a.src}>${a.dst}@${a.firstPacketTime}`;
    const unionAlerts = new Set(live.alerts.filter((a) => a.detector === 'online:host-window+threshold').map(key));
    for (const alert of live.alerts.filter((a) => a.detector === 'online:host-window' || a.detector === 'online:threshold')) expect(unionAlerts.has(key(alert)), key(alert)).toBe(true);
  });

  test('online threshold flags a subset of what offline flags: only from the crossing on', () => {
    const live = replay(new PcapTail(decoded.path), 64);
    const rows = live.byDetector.get('online:threshold')!;
    const flagged = Array.from(live.packetRows(), (r) => rows.flagged[r]);
    const off = thresholdDetector(decoded);
    const judged = judgedPackets(decoded, training);
    let online = 0;
    let both = 0;
    for (let i = 0; i < decoded.packets; i++) {
      if (!judged[i]) continue;
      online += flagged[i];
      if (flagged[i] && off.flagged[i]) both++;
    }
    expect(online).toBeGreaterThan(0);
    expect(both).toBe(online);
  });

  test('alerts name the scanner, cover its packets and come after them; scoring reads the recorded decisions', () => {
    const live = replay(new PcapTail(decoded.path), 200);
    expect(live.alerts.length).toBeGreaterThan(0);
    for (const alert of live.alerts) {
      expect(alert.src).toBe(SCANNER);
      expect(alert.dst).toBe(VICTIM);
      expect(alert.firstPacketTime).toBeGreaterThanOrEqual(1_700_000_030_000);
      expect(alert.lastPacketTime).toBeGreaterThanOrEqual(alert.firstPacketTime);
    }
    // Given the record written to live.json and read back
    const record = JSON.parse(JSON.stringify(liveRecord(live, 1, startMs + UNTIL * 1000, 1)));
    const labels = new Uint8Array(decoded.packets);
    const stepOf = new Uint16Array(decoded.packets);
    for (let i = 0; i < decoded.packets; i++) {
      if (![decoded.columns.src[i], decoded.columns.dst[i]].some((id) => decoded.addresses.text(id) === SCANNER)) continue;
      labels[i] = 1;
      stepOf[i] = decoded.columns.time[i] < 35 ? 1 : 2;
    }
    const truth = { labels, stepOf, steps: ['', 'fast', 'slow'] };
    const judged = judgedPackets(decoded, training);
    const results = onlineResults(record, decoded, truth, judged, training, 1);
    // Then the online novelty scores as the offline detector does on the same decisions
    const offScores = scoreDetectorRun(decoded, offline, truth, judged);
    expect(results['online:host-window'].packets).toEqual(offScores.packets);
    expect(results['online:host-window'].hosts).toEqual({ detected: [SCANNER], missed: [], falselyFlagged: [] });
    expect(results['online:host-window'].online).toBe(true);
    expect(results['online:host-window'].alertLatencyMs.alerts).toBe(live.alerts.filter((a) => a.detector === 'online:host-window').length);
    // The fake clock ticks once per window judged: both steps are detected, after their first probe's window closed.
    expect(Object.keys(results['online:host-window'].timeToDetectMs!)).toEqual(['fast', 'slow']);
    expect(results['online:host-window'].notes.join(' ')).not.toMatch(/seed/);
    // Scored beside offline detectors of another seed, the learning ones say their models may differ
    const otherSeed = onlineResults(record, decoded, truth, judged, training, 7);
    expect(otherSeed['online:host-window'].notes.join(' ')).toContain('seed 1; the offline detectors here use seed 7');
    expect(otherSeed['online:threshold'].notes.join(' ')).not.toMatch(/seed/);
  });
});

describe('who an alert names', () => {
  test('a conversation the victim opens toward a convicted scanner names the scanner, not the victim', () => {
    // Given the lab capture plus, after the scan, the victim answering back on its own: UDP to the
    // scanner (as a resolver or an ND solicitation would), a row whose host is the victim
    const frames = [...lab(), ...Array.from({ length: 5 }, (_, k) => udp(36 + k * 0.2 + 0.05, VICTIM, 33000 + k, SCANNER, 53))].sort((a, b) => a.time - b.time);
    const capture = decodeFrames(frames);
    const live = replay(new PcapTail(capture.path), 64);
    // Then online:threshold flags those rows (their peer is convicted) and names the scanner
    const alerts = live.alerts.filter((a) => a.detector === 'online:threshold');
    expect(alerts.some((a) => a.dst === VICTIM && a.lastPacketTime >= startMs + 36_000)).toBe(true);
    for (const a of alerts) expect(a.src).toBe(SCANNER);
    // And scoring names no benign host
    const captureStart = capture.start.sec * 1000 + capture.start.nsec / 1e6;
    const record = JSON.parse(JSON.stringify(liveRecord(live, 1, captureStart + UNTIL * 1000, 1)));
    expect(record.detectors['online:threshold'].hosts).toEqual([SCANNER]);
    const labels = Uint8Array.from({ length: capture.packets }, (_, i) => (capture.addresses.text(capture.columns.src[i]) === SCANNER ? 1 : 0));
    const truth = { labels, stepOf: Uint16Array.from(labels), steps: ['', 'scan'] };
    const results = onlineResults(record, capture, truth, judgedPackets(capture, training), training, 1);
    expect(results['online:threshold'].hosts).toEqual({ detected: [SCANNER], missed: [], falselyFlagged: [] });
    expect(results['online:host-window+threshold'].hosts?.falselyFlagged).toEqual([]);
  });
});

describe('online:trw on a replayed capture, against offline trw', () => {
  type Capture = ReturnType<typeof decodeFrames>;

  /** Per packet: the decision and score online:trw gave the row it is in. */
  function online(capture: Capture, batch: number) {
    const trw = onlineTrw();
    const live = replay(new PcapTail(capture.path), batch, undefined, [trw]);
    const rows = live.byDetector.get('online:trw')!;
    const rowOf = live.packetRows();
    return { trw, flagged: Array.from(rowOf, (r) => rows.flagged[r]), scores: Array.from(rowOf, (r) => rows.scores[r]) };
  }

  /** Capture times of the packets `pick` chooses. */
  const timesOf = (capture: Capture, pick: (i: number) => boolean) => Array.from({ length: capture.packets }, (_, i) => i).filter(pick).map((i) => capture.columns.time[i]);

  /**
   * Four failures convict (x4 each, over η1 = 99). A refused attempt fails at its RST: the scanner
   * is convicted online at the 4th RST it gets back.
   */
  function fourthRst(capture: Capture, host: number): number {
    const { dst, tcpFlags } = capture.columns;
    return timesOf(capture, (i) => dst[i] === host && (tcpFlags[i] & 0x04) !== 0)[3];
  }

  /** Packets to or from `host` in windows before the one of `convictedAt`. */
  const earlyPackets = (capture: Capture, host: number, convictedAt: number) =>
    timesOf(capture, (i) => capture.columns.src[i] === host || capture.columns.dst[i] === host).filter((t) => windowOf(t, 1) < windowOf(convictedAt, 1)).length;

  /**
   * The only difference allowed besides the timeout (which `convictedAt` carries): a convicted host's
   * judged packets are flagged from the window online convicted it in, offline from its walk's start.
   * Checks every judged packet against that and returns how many it excused.
   */
  function expectOfflineLessLateness(capture: Capture, got: { flagged: number[]; scores: number[] }, convictedAt: Map<number, number>): number {
    const off = trwDetector(capture);
    const judged = judgedPackets(capture, training);
    const { time, src, dst } = capture.columns;
    let late = 0;
    for (let i = 0; i < capture.packets; i++) {
      if (!judged[i]) continue;
      const before = (h: number) => convictedAt.has(h) && windowOf(time[i], 1) < windowOf(convictedAt.get(h)!, 1);
      const convicted = [src[i], dst[i]].filter((h) => convictedAt.has(h));
      const isLate = off.flagged[i] === 1 && convicted.length > 0 && convicted.every(before);
      if (isLate) {
        late++;
        expect(got.flagged[i], `packet ${i} at ${time[i]}: before its conviction online`).toBe(0);
      } else {
        expect(got.flagged[i], `packet ${i} at ${time[i]}`).toBe(off.flagged[i]);
        expect(got.scores[i], `packet ${i} at ${time[i]}`).toBe(off.scores[i]);
      }
    }
    return late;
  }

  test.each([1, 64, 100_000])('every attempt answered at once: the same scanner, offline decisions and scores from its conviction on, read %i records at a time', (batch) => {
    // Given the capture replayed, and offline trw on the whole file
    const got = online(decoded, batch);
    const scanner = decoded.addresses.lookup(SCANNER)!;
    // Then the same host is convicted
    expect([...got.trw.walk.scanners.keys()]).toEqual([scanner]);
    expect([...trwDetector(decoded).hosts]).toEqual([scanner]);
    // And every judged packet has offline's decision and score (the UDP stream, never answered,
    // fails 3 s after it started instead of at the end: long before the warm-up ends), except the
    // scan's first packets: its first probe is in the window before the one of its 4th RST
    const late = expectOfflineLessLateness(decoded, got, new Map([[scanner, fourthRst(decoded, scanner)]]));
    expect(late).toBe(earlyPackets(decoded, scanner, fourthRst(decoded, scanner)));
    expect(late).toBeGreaterThan(0);
    expect(got.flagged.filter(Boolean).length).toBeGreaterThan(600);
  });

  test("a scan of silent ports: the same scanners; the prober's attempts fail 3 s late, so it is flagged from then on", () => {
    // Given the same capture plus a prober whose 10 SYNs (one each 0.5 s from 30.2 s) get no answer
    const probes = Array.from({ length: 10 }, (_, k) => tcp(30.2 + k * 0.5, SILENT, 51000 + k, VICTIM, 2000 + k, SYN));
    const capture = decodeFrames([...lab(), ...probes].sort((a, b) => a.time - b.time));
    const got = online(capture, 64);
    const silent = capture.addresses.lookup(SILENT)!;
    const scanner = capture.addresses.lookup(SCANNER)!;
    // Then both convict the same two hosts
    expect(new Set(got.trw.walk.scanners.keys())).toEqual(new Set([scanner, silent]));
    expect(trwDetector(capture).hosts).toEqual(new Set([scanner, silent]));
    // Online the prober's 4th probe fails at the first packet more than 3 s after it (offline it
    // failed in start order, at the end of the capture)
    const probeTimes = timesOf(capture, (i) => capture.columns.src[i] === silent);
    const timedOut = timesOf(capture, () => true).find((t) => t - probeTimes[3] > TRW_ANSWER_TIMEOUT_SECONDS)!;
    const late = expectOfflineLessLateness(capture, got, new Map([[scanner, fourthRst(capture, scanner)], [silent, timedOut]]));
    // (the difference is there to see: the probes of the windows before the timeout)
    const lateProbes = earlyPackets(capture, silent, timedOut);
    expect(lateProbes).toBeGreaterThan(3);
    expect(late).toBe(lateProbes + earlyPackets(capture, scanner, fourthRst(capture, scanner)));
  });
});
