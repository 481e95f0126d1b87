// Dataset export end to end: tshark reads the anonymized capture, packets.csv agrees with
// tshark's columns, the same seed or key gives the same bytes, bad input leaves nothing behind.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PcapWriter } from '../../src/capture/pcap-file.ts';
import { exportDataset } from '../../src/dataset/export-dataset.ts';
import { UserError } from '../../src/errors.ts';
import { sha256File } from '../../src/dataset/manifest.ts';
import { writeSyntheticRun } from '../report/synthetic-run.ts';
import { evaluateRun } from '../../src/bench/evaluate-run.ts';
import { resolveRunInput } from '../../src/bench/run-input.ts';
import { chooseDetectors } from '../../src/bench/detectors.ts';
import { canCapture, captureLoopback, moveToLab } from '../anonymize/fixtures/loopback-capture.ts';
import { makeLabRunDir } from '../anonymize/fixtures/run-dir.ts';
import { useTmpDir } from '../anonymize/fixtures/tmp-dir.ts';
import { tsharkColumns, tsharkCount, tsharkProblems } from '../anonymize/fixtures/tshark.ts';

const tmp = useTmpDir('dataset');

function csvRows(dir: string): string[][] {
  return readFileSync(join(dir, 'packets.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.slice(1, -1).split('","'));
}

function expectAgreesWithTshark(original: string, datasetDir: string): void {
  const pcap = join(datasetDir, 'capture.pcap');
  // Given the anonymized capture, when tshark reads it, then it sees every packet...
  expect(tsharkCount(pcap)).toBe(tsharkCount(original));
  // ...with no checksum or malformed-packet problem the original did not have...
  const before = tsharkProblems(original);
  expect([...tsharkProblems(pcap)].filter((n) => !before.has(n))).toEqual([]);
  // ...and packets.csv says what tshark says, packet by packet.
  const ours = csvRows(datasetDir);
  const theirs = tsharkColumns(pcap);
  expect(ours.map((r) => [r[0], r[4], r[2], r[3]])).toEqual(theirs.map((t, i) => [String(i + 1), t.protocol, t.source, t.destination]));
}

describe('exportDataset', () => {
  test('writes capture, packets.csv, labels, manifest and data card from a run directory', async () => {
    const run = makeLabRunDir(join(tmp, 'run1'));
    const r = await exportDataset({ runDir: run, mode: 'faker', seed: 42 });
    expect(r.datasetDir).toBe(join(run, 'dataset'));
    expect(readdirSync(r.datasetDir).sort()).toEqual(['README.md', 'capture.pcap', 'flows.csv', 'flows.parquet', 'labels.csv', 'labels.parquet', 'manifest.json', 'packets.csv', 'packets.parquet']);
    expect(existsSync(join(run, 'anon-mapping.json'))).toBe(true);
    expect(readFileSync(join(r.datasetDir, 'labels.csv'), 'utf8')).toBe(readFileSync(join(run, 'labels.csv'), 'utf8'));
    const m = JSON.parse(readFileSync(join(r.datasetDir, 'manifest.json'), 'utf8'));
    expect(m.counts.byLabel).toEqual({ benign: 13, scan: 3 });
    expect(m.scenario.name).toBe('tiny-lab');
    for (const [file, v] of Object.entries(m.files) as [string, { sha256: string }][]) expect(sha256File(join(r.datasetDir, file)).sha256).toBe(v.sha256);
    expect(JSON.stringify(m)).not.toMatch(/key"\s*:\s*"[0-9a-f]{16}/);
    expectAgreesWithTshark(join(run, 'capture.pcap'), r.datasetDir);
    const card = readFileSync(join(r.datasetDir, 'README.md'), 'utf8');
    expect(card).toContain('pd.read_csv');
    expect(card).toContain('read_csv_auto');
  });

  test.each(['faker', 'prefix'] as const)('same seed, same dataset byte for byte (%s mode)', async (mode) => {
    const run = makeLabRunDir(join(tmp, `same-${mode}`));
    const a = await exportDataset({ runDir: run, outDir: join(tmp, `same-${mode}-a`), mode, seed: 7 });
    const b = await exportDataset({ runDir: run, outDir: join(tmp, `same-${mode}-b`), mode, seed: 7 });
    const c = await exportDataset({ runDir: run, outDir: join(tmp, `same-${mode}-c`), mode, seed: 8 });
    for (const f of readdirSync(a.datasetDir)) {
      expect(readFileSync(join(b.datasetDir, f)).equals(readFileSync(join(a.datasetDir, f))), f).toBe(true);
    }
    expect(readFileSync(join(c.datasetDir, 'capture.pcap')).equals(readFileSync(join(a.datasetDir, 'capture.pcap')))).toBe(false);
  });

  test('same key file, same dataset; the mapping file reproduces it', async () => {
    const run = makeLabRunDir(join(tmp, 'keyed'));
    const key = join(tmp, 'anon.key');
    writeFileSync(key, Buffer.alloc(32, 0x5a).toString('hex') + '\n');
    const a = await exportDataset({ runDir: run, outDir: join(tmp, 'keyed-a'), mode: 'prefix', keyFile: key, seed: 1 });
    const b = await exportDataset({ runDir: run, outDir: join(tmp, 'keyed-b'), mode: 'prefix', keyFile: key, seed: 2 });
    expect(readFileSync(join(a.datasetDir, 'capture.pcap')).equals(readFileSync(join(b.datasetDir, 'capture.pcap')))).toBe(true);
    // A faker dataset made with another seed but the saved mapping equals the first.
    const f1 = await exportDataset({ runDir: run, outDir: join(tmp, 'map-a'), mode: 'faker', seed: 1, mappingOut: join(tmp, 'map-a.json') });
    const f2 = await exportDataset({ runDir: run, outDir: join(tmp, 'map-b'), mode: 'faker', seed: 99, mappingFile: join(tmp, 'map-a.json'), mappingOut: join(tmp, 'map-b.json') });
    expect(readFileSync(join(f1.datasetDir, 'capture.pcap')).equals(readFileSync(join(f2.datasetDir, 'capture.pcap')))).toBe(true);
  });

  describe('bad input: clear message, nothing half-written', () => {
    const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.includes('.tmp-'));

    test('missing key file', async () => {
      const run = makeLabRunDir(join(tmp, 'bad-key'));
      await expect(exportDataset({ runDir: run, mode: 'prefix', keyFile: join(tmp, 'nope.key') })).rejects.toThrow(/key file .*nope\.key does not exist/);
      expect(existsSync(join(run, 'dataset'))).toBe(false);
      expect(leftovers(run)).toEqual([]);
    });

    test('unreadable key file (a folder) and a key of the wrong size', async () => {
      const run = makeLabRunDir(join(tmp, 'bad-key2'));
      mkdirSync(join(tmp, 'key-dir'));
      await expect(exportDataset({ runDir: run, mode: 'prefix', keyFile: join(tmp, 'key-dir') })).rejects.toThrow(UserError);
      writeFileSync(join(tmp, 'short.key'), 'abc');
      await expect(exportDataset({ runDir: run, mode: 'prefix', keyFile: join(tmp, 'short.key') })).rejects.toThrow(/expected 32 raw bytes or 64 hex digits/);
      expect(readdirSync(run).sort()).toEqual(['capture.pcap', 'labels.csv', 'scenario.yaml']);
    });

    test('existing dataset folder without --force is refused, with --force replaced', async () => {
      const run = makeLabRunDir(join(tmp, 'exists'));
      await exportDataset({ runDir: run });
      await expect(exportDataset({ runDir: run })).rejects.toThrow(/already exists/);
      await exportDataset({ runDir: run, force: true });
      expect(readdirSync(join(run, 'dataset')).sort()).toEqual(['README.md', 'capture.pcap', 'flows.csv', 'flows.parquet', 'labels.csv', 'labels.parquet', 'manifest.json', 'packets.csv', 'packets.parquet']);
      expect(leftovers(run)).toEqual([]);
    });

    test('a folder with files scanlab did not write is never replaced, not even with --force', async () => {
      const run = makeLabRunDir(join(tmp, 'foreign'));
      mkdirSync(join(run, 'dataset'));
      writeFileSync(join(run, 'dataset', 'old.txt'), 'old');
      await expect(exportDataset({ runDir: run })).rejects.toThrow(/files scanlab did not write \(old\.txt\)/);
      await expect(exportDataset({ runDir: run, force: true })).rejects.toThrow(/even with --force/);
      expect(readdirSync(join(run, 'dataset'))).toEqual(['old.txt']);
      expect(leftovers(run)).toEqual([]);
    });

    test('unsupported link type', async () => {
      const dir = join(tmp, 'wifi');
      mkdirSync(dir);
      const w = new PcapWriter(join(dir, 'wifi.pcap'), { linkType: 105 });
      w.write(1, 0, 24, new Uint8Array(24));
      w.close();
      await expect(exportDataset({ input: join(dir, 'wifi.pcap'), outDir: join(dir, 'out') })).rejects.toThrow(/link type 105, which scanlab cannot anonymize/);
      expect(readdirSync(dir)).toEqual(['wifi.pcap']);
    });
  });

  describe.runIf(canCapture)('a real loopback capture (tcpdump, curl, UDP to a closed port)', () => {
    test('anonymizes to a capture tshark reads cleanly, CSV agreeing with tshark', async () => {
      const lo = join(tmp, 'lo.pcap');
      await captureLoopback(lo);
      const lab = join(tmp, 'lo-lab.pcap');
      moveToLab(lo, lab);
      for (const [input, name] of [[lo, 'lo'], [lab, 'lo-lab']] as const) {
        for (const mode of ['faker', 'prefix'] as const) {
          const r = await exportDataset({ input, outDir: join(tmp, `${name}-${mode}`), mode, seed: 3 });
          expect(r.packets).toBeGreaterThan(10);
          expectAgreesWithTshark(input, r.datasetDir);
        }
      }
      // Payload kept: tshark names HTTP, and so does packets.csv.
      const kept = await exportDataset({ input: lab, outDir: join(tmp, 'lo-lab-kept'), seed: 3, keepPayload: true });
      expectAgreesWithTshark(lab, kept.datasetDir);
      expect(readFileSync(join(kept.datasetDir, 'packets.csv'), 'utf8')).toContain('"HTTP"');
      const csv = readFileSync(join(tmp, 'lo-lab-faker', 'packets.csv'), 'utf8');
      expect(csv).not.toContain('198.18.');
      expect(csv).toContain('"ICMP"');
      expect(csv).toMatch(/"fd[0-9a-f]{2}:/);
    });
  });
});

describe('the warm-up travels with the dataset', () => {
  test("manifest.json and the data card give the run's attack-free part; bench --runs on the dataset trains on it", async () => {
    // Given a run whose capture.json records the end of its warm-up, 8 s after the first packet
    const run = join(tmp, 'warm-run');
    writeSyntheticRun(run);
    const captureJson = join(run, 'capture.json');
    const first = 1_790_000_000;
    writeFileSync(captureJson, JSON.stringify({ ...JSON.parse(readFileSync(captureJson, 'utf8')), attackFreeUntil: new Date((first + 8) * 1000).toISOString() }));
    // When it is published and the dataset is scored
    const r = await exportDataset({ runDir: run, mode: 'faker', seed: 3 });
    const m = JSON.parse(readFileSync(join(r.datasetDir, 'manifest.json'), 'utf8'));
    const evaluation = evaluateRun(resolveRunInput(r.datasetDir), chooseDetectors(['host-window', 'threshold'], ['host-window']), 1);
    // Then the dataset says where the warm-up ends, and detection trains on it
    expect(m.attackFreeUntilSeconds).toBeCloseTo(8, 6);
    expect(readFileSync(join(r.datasetDir, 'README.md'), 'utf8')).toMatch(/The first 8\.000 s .* warm-up/s);
    expect(evaluation.training).toEqual({ source: 'warm-up', untilSeconds: 8, capture: null });
    expect(evaluation.detectors['host-window'].training?.source).toBe('warm-up');
    expect(evaluation.detectors.threshold.training).toBeNull();
  });
});
