// Whole-capture columns moved to a scratch file while phases that do not read them run
// (src/capture/decode/column-spill.ts): gone from memory meanwhile, back byte for byte when a
// phase asks for them, with nothing left on disk; and an analysis that spills says the same as
// one that does not.
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spillColumnsFrom, useColumns, withRowsOnly } from '../../../src/capture/decode/column-spill.ts';
import { analyzeCapture } from '../../../src/analysis/analyze-capture.ts';
import { DEFAULT_DETECTORS } from '../../../src/detect/registry.ts';
import { decodeFrames, icmp, openConnection, refusedConnection, udp, type Frame } from '../../detect/synth-capture.ts';

const VICTIM = '198.18.0.10';
const SCANNER = '198.18.0.66';

/** 30 s of web and a UDP stream, then a 200-port scan at 20 s, UDP probes answered by ICMP unreachables and a ping sweep from another host. */
function frames(): Frame[] {
  const out: Frame[] = [];
  // A second scanner that only pings (echo requests to 40 hosts, none answered): only the ICMP columns show it.
  for (let k = 0; k < 40; k++) out.push(icmp(26 + k * 0.01, '198.18.0.67', `198.18.0.${100 + k}`, 8));
  for (let k = 0; k < 40; k++) out.push(udp(24 + k * 0.01, SCANNER, 50001, VICTIM, 600 + k), icmp(24 + k * 0.01 + 0.001, VICTIM, SCANNER, 3, 3));
  for (let k = 0; k < 60; k++) out.push(...openConnection(k * 0.5 + 0.01, '198.18.0.30', 40000 + k, VICTIM, 80));
  for (let k = 0; k < 300; k++) out.push(udp(k * 0.1 + 0.003, '198.18.0.31', 5004, VICTIM, 5004));
  for (let k = 0; k < 200; k++) out.push(...refusedConnection(20 + k * 0.002, SCANNER, 50000, VICTIM, 1 + k));
  return out.sort((a, b) => a.time - b.time);
}

const spillDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('scanlab-spill-')).length;

afterEach(() => spillColumnsFrom());

describe('useColumns', () => {
  test('columns not asked for are empty until a phase asks for them, then the same values', () => {
    // Given a decoded capture, spilling from the first packet on
    const decoded = decodeFrames(frames());
    const before = Object.fromEntries(Object.entries(decoded.columns).map(([name, c]) => [name, { type: c.constructor, values: Array.from(c) }]));
    const time = decoded.columns.time;
    spillColumnsFrom(0);
    const dirs = spillDirs();
    // When a phase asks for time only
    useColumns(decoded, ['time']);
    // Then time is the same array, the others are empty, and no scratch file is left in a folder
    expect(decoded.columns.time).toBe(time);
    expect(decoded.columns.src.length).toBe(0);
    expect(decoded.columns.dstPort.length).toBe(0);
    expect(spillDirs()).toBe(dirs);
    // And a phase asking for src gets it back, with the others still out
    useColumns(decoded, ['src']);
    expect(Array.from(decoded.columns.src)).toEqual(before.src.values);
    expect(decoded.columns.time.length).toBe(0);
    // And after 'all' every column has its type and values back
    useColumns(decoded, 'all');
    for (const [name, c] of Object.entries(decoded.columns)) {
      expect(c.constructor, name).toBe(before[name].type);
      expect(Array.from(c), name).toEqual(before[name].values);
    }
  });

  test('withRowsOnly builds with the columns named and runs the rest with none', () => {
    const decoded = decodeFrames(frames());
    spillColumnsFrom(0);
    const seen = withRowsOnly(decoded, ['time'], () => ({ time: decoded.columns.time.length, src: decoded.columns.src.length }), (built) => ({ ...built, after: decoded.columns.time.length }));
    expect(seen).toEqual({ time: decoded.packets, src: 0, after: 0 });
    useColumns(decoded, 'all');
    expect(decoded.columns.src.length).toBe(decoded.packets);
  });

  test('below the spill size nothing moves', () => {
    const decoded = decodeFrames(frames());
    const src = decoded.columns.src;
    useColumns(decoded, []);
    expect(decoded.columns.src).toBe(src);
  });
});

describe('an analysis that spills', () => {
  test('says the same as one that does not (every detector, every feature set)', () => {
    // Given a lab capture with labels and a training part
    const decoded = decodeFrames(frames());
    const dir = mkdtempSync(join(tmpdir(), 'scanlab-spill-test-'));
    const labelsPath = join(dir, 'labels.csv');
    const lines = ['no,label,step'];
    for (let i = 0; i < decoded.packets; i++) {
      const scan = [decoded.columns.src[i], decoded.columns.dst[i]].some((id) => decoded.addresses.text(id) === SCANNER);
      lines.push(`${i + 1},${scan ? 'scan' : 'benign'},${scan ? 'port-scan' : ''}`);
    }
    writeFileSync(labelsPath, `${lines.join('\n')}\n`);
    const analyze = (detectors?: string[]) => analyzeCapture({ pcapPath: decoded.path, labelsPath, training: { trainUntil: 15 }, detectors });
    const withoutTimings = (r: ReturnType<typeof analyze>) => JSON.parse(JSON.stringify(r, (k, v) => (k === 'timings' || k === 'ms' ? undefined : v)));
    // When analyzed without spilling and with every phase spilling what it does not read, with
    // every detector and with each alone (so none reuses what an earlier one computed whole)
    for (const detectors of [undefined, ...DEFAULT_DETECTORS.map((d) => [d])]) {
      spillColumnsFrom();
      const plain = analyze(detectors);
      spillColumnsFrom(0);
      const spilled = analyze(detectors);
      // Then every result is the same
      expect(withoutTimings(spilled), String(detectors)).toEqual(withoutTimings(plain));
      expect(Object.keys(spilled.featureSets)).toEqual(['sds-window', 'kaggle-flow', 'host-window']);
    }
    expect(analyze().detectors['host-window'].hosts!.detected).toEqual([SCANNER]);
  });
});
