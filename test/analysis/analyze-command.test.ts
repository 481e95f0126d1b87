// `scanlab analyze` end to end on files: a run directory, a bare pcap with --scanner, JSON shape,
// --emit-rows, and every kind of bad input with its message and exit code.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import analyzeCommand from '../../src/commands/analyze.ts';
import { formatError, UserError } from '../../src/errors.ts';
import { PcapWriter, LINKTYPE } from '../../src/capture/pcap-file.ts';
import { computeMetrics } from '../../src/score/metrics.ts';
import { writeSyntheticLab, ATTACKER, type SyntheticLab } from '../fixtures/synthetic-lab.ts';
import { tempDir } from '../helpers/tools.ts';
import { captureIO } from '../helpers/io.ts';

const tmp = tempDir('analyze');
afterAll(() => tmp.remove());
const LO = new URL('../fixtures/captures/lo-mixed.pcap', import.meta.url).pathname;
const runDir = join(tmp.path, 'run');
let lab: SyntheticLab;

beforeAll(() => {
  mkdirSync(runDir);
  lab = writeSyntheticLab(join(runDir, 'capture.pcap'), { seconds: 40, scanStart: 4, seed: 11, labelsPath: join(runDir, 'labels.csv') });
});

async function analyze(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = captureIO();
  try {
    const code = await analyzeCommand(args, captured.io);
    return { code, stdout: captured.out(), stderr: captured.err() };
  } catch (error) {
    // What src/cli.ts does with a thrown error.
    const { text, exitCode } = formatError(error);
    return { code: exitCode, stdout: captured.out(), stderr: text };
  }
}

const METRIC_KEYS = ['ari', 'nmi', 'homogeneity', 'completeness', 'vMeasure', 'purity', 'scanPrecision', 'scanRecall', 'scanF1'];

describe('a run directory', () => {
  test('is scored with its labels.csv, printed as JSON and written to analysis.json', async () => {
    const r = await analyze(runDir, '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.packets).toBe(lab.packets);
    expect(result.scanPackets).toBe(lab.scanPackets);
    expect(Object.keys(result.featureSets)).toEqual(['sds-window', 'kaggle-flow', 'host-window']);
    for (const fs of Object.values<Record<string, unknown>>(result.featureSets)) {
      expect(Object.keys(fs.metrics as object).sort()).toEqual([...METRIC_KEYS].sort());
      expect(Object.keys(fs.metricsByPackets as object).sort()).toEqual([...METRIC_KEYS].sort());
      expect((fs.clusterSizes as number[]).reduce((a, b) => a + b, 0)).toBe(fs.rows);
    }
    expect(result.featureSets['sds-window'].k).toBe(23);
    expect(result.featureSets['kaggle-flow'].k).toBe(5);
    expect(JSON.parse(readFileSync(join(runDir, 'analysis.json'), 'utf8')).featureSets['host-window'].rows).toBe(result.featureSets['host-window'].rows);
  });

  test('host-window separates the scan: packet-weighted scan F1 >= 0.95', async () => {
    const result = JSON.parse((await analyze(runDir, '--json', '--features', 'host-window')).stdout);
    expect(result.featureSets['host-window'].metricsByPackets.scanF1).toBeGreaterThanOrEqual(0.95);
  });

  test('the same seed gives the same clusters; the table is readable', async () => {
    const a = await analyze(runDir, '--features', 'kaggle-flow', '--seed', '5');
    const b = await analyze(runDir, '--features', 'kaggle-flow', '--seed', '5');
    expect(a.code).toBe(0);
    const strip = (s: string) => s.replace(/\d+ ms/g, '').replace(/ +/g, ' ');
    expect(strip(a.stdout)).toBe(strip(b.stdout));
    expect(a.stdout).toMatch(/feature set\s+rows\s+k\s+rating\s+ARI/);
    expect(a.stdout).toMatch(/kaggle-flow/);
  });
});

describe('--emit-rows', () => {
  test('writes <name>.csv from which the packet-weighted scores can be recomputed', async () => {
    const dir = join(tmp.path, 'rows');
    const r = await analyze(runDir, '--json', '--emit-rows', dir, '--features', 'sds-window,host-window');
    const result = JSON.parse(r.stdout);
    for (const name of ['sds-window', 'host-window']) {
      const lines = readFileSync(join(dir, `${name}.csv`), 'utf8').trim().split('\n');
      expect(lines[0]).toBe('row,packets,scanPackets,label,cluster');
      const rows = lines.slice(1).map((l) => l.split(','));
      expect(rows.length).toBe(result.featureSets[name].rows);
      const clusters = Int32Array.from(rows.map((r) => Number(r[4])));
      const weights = Float64Array.from(rows.map((r) => Number(r[1])));
      const scanWeights = Float64Array.from(rows.map((r) => Number(r[2])));
      expect(computeMetrics({ clusters, weights, scanWeights })).toEqual(result.featureSets[name].metricsByPackets);
      const labels = Uint8Array.from(rows.map((r) => (r[3] === 'scan' ? 1 : 0)));
      expect(computeMetrics({ clusters, labels })).toEqual(result.featureSets[name].metrics);
      expect(weights.reduce((a, b) => a + b, 0)).toBe(lab.packets);
    }
  });
});

describe('a bare pcap', () => {
  test('with --scanner: packets to or from it are scan', async () => {
    const r = await analyze(LO, '--scanner', '127.0.0.66', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.labelSource).toBe('scanner');
    expect(result.scanPackets).toBe(2092);
    expect(result.featureSets['host-window'].metricsByPackets.scanF1).toBeGreaterThanOrEqual(0.95);
  });

  test('without labels: clusters, sizes and the kaggle rating only', async () => {
    const result = JSON.parse((await analyze(LO, '--json')).stdout);
    expect(result.scanPackets).toBeNull();
    const kaggle = result.featureSets['kaggle-flow'];
    expect(kaggle.metrics).toBeNull();
    expect(kaggle.rating).toBeGreaterThanOrEqual(0);
    expect(kaggle.rating).toBeLessThanOrEqual(10);
    expect(result.featureSets['host-window'].rating).toBeNull();
    const table = (await analyze(LO)).stdout;
    expect(table).toMatch(/no labels/);
    expect(table).toMatch(/cluster sizes: /);
  });

  test('--k auto picks k per set by silhouette and reports the candidates', async () => {
    const result = JSON.parse((await analyze(LO, '--json', '--k', 'auto', '--features', 'host-window,kaggle-flow')).stdout);
    for (const fs of Object.values<{ k: number; kRequested: string; kScores: { k: number }[] }>(result.featureSets)) {
      expect(fs.kRequested).toBe('auto');
      expect(fs.kScores.length).toBeGreaterThan(1);
      expect(fs.kScores.map((s) => s.k)).toContain(fs.k);
    }
  });

  test('--k 3 applies to every set', async () => {
    const result = JSON.parse((await analyze(LO, '--json', '--k', '3')).stdout);
    for (const fs of Object.values<{ k: number }>(result.featureSets)) expect(fs.k).toBe(3);
  });
});

describe('bad input', () => {
  function smallPcap(name: string, linkType: number, frames: number): string {
    const path = join(tmp.path, name);
    const w = new PcapWriter(path, { linkType });
    for (let i = 0; i < frames; i++) w.write(1_700_000_000 + i, 0, 4, new Uint8Array([0, 1, 2, 3]));
    w.close();
    return path;
  }

  test('a truncated capture is analyzed as far as it goes, with a warning', async () => {
    const bytes = readFileSync(join(runDir, 'capture.pcap'));
    const cut = join(tmp.path, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2) + 7));
    const r = await analyze(cut, '--scanner', ATTACKER, '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.packets).toBeLessThan(lab.packets);
    expect(result.warnings.join('\n')).toMatch(/cut\.pcap ends in the middle of packet/);
  });

  test('a run directory whose capture was cut short: extra labels are ignored with a warning', async () => {
    const dir = join(tmp.path, 'cut-run');
    mkdirSync(dir);
    const bytes = readFileSync(join(runDir, 'capture.pcap'));
    writeFileSync(join(dir, 'capture.pcap'), bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    writeFileSync(join(dir, 'labels.csv'), readFileSync(join(runDir, 'labels.csv')));
    const r = await analyze(dir, '--json', '--features', 'host-window');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).warnings.join('\n')).toMatch(/labels \d+ packets beyond the \d+ in the capture/);
  });

  test.each([
    ['a file that is not a capture', () => { const p = join(tmp.path, 'x.txt'); writeFileSync(p, 'hello world, not a pcap'); return p; }, /x\.txt is not a pcap or pcapng capture/],
    ['an empty file', () => { const p = join(tmp.path, 'e.pcap'); writeFileSync(p, ''); return p; }, /e\.pcap is not a capture file: it is empty/],
    ['an empty capture (header only)', () => smallPcap('h.pcap', LINKTYPE.ETHERNET, 0), /h\.pcap holds no packets/],
    ['an unknown link type', () => smallPcap('wifi.pcap', 105, 3), /wifi\.pcap has link type 105 \(IEEE 802\.11\), which scanlab cannot decode/],
    ['a missing path', () => join(tmp.path, 'missing.pcap'), /missing\.pcap does not exist/],
  ])('%s: exit 2 with a message naming the file', async (_name, make, message) => {
    const r = await analyze(make());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/hint: /);
  });

  test('a scanner address that is not in the capture: exit 2', async () => {
    const r = await analyze(LO, '--scanner', '10.9.9.9');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scanner address 10\.9\.9\.9 does not occur in .*lo-mixed\.pcap/);
  });

  test('no scan packets: still analyzed, with a clear warning and scan F1 0', async () => {
    const dir = join(tmp.path, 'benign-run');
    mkdirSync(dir);
    writeFileSync(join(dir, 'capture.pcap'), readFileSync(LO));
    const lines = ['no,label,step'];
    for (let n = 1; n <= 2605; n++) lines.push(`${n},benign,`);
    writeFileSync(join(dir, 'labels.csv'), lines.join('\n') + '\n');
    const r = await analyze(dir, '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.scanPackets).toBe(0);
    expect(result.warnings.join()).toMatch(/no packet is labelled scan/);
    expect(result.featureSets['host-window'].metricsByPackets.scanF1).toBe(0);
    expect(result.featureSets['host-window'].rating).toBeNull();
    // Detection on benign traffic: no ROC-AUC (one class), and no attacking host to find.
    expect(result.detectors.threshold.packets).toMatchObject({ baseRate: 0, rocAuc: null, prAuc: null });
    expect(result.detectors.threshold.hosts.detected).toEqual([]);
  });

  test('labels.csv with a bad line names the file and line', async () => {
    const dir = join(tmp.path, 'bad-labels');
    mkdirSync(dir);
    writeFileSync(join(dir, 'capture.pcap'), readFileSync(LO));
    writeFileSync(join(dir, 'labels.csv'), 'no,label,step\n1,scan,syn\n2,maybe,syn\n');
    const r = await analyze(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/labels\.csv:3: expected "<packet number>,scan\|benign,<step>", found "2,maybe,syn"/);
  });

  test('a directory without capture.pcap', async () => {
    const r = await analyze(tmp.path + '/');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a directory without capture\.pcap/);
  });

  test.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--k', 'many'], /--k expects a whole number >= 1 or "auto", got "many"/],
    [['--k', '0'], /--k expects a whole number >= 1/],
    [['--seed=-1'], /--seed expects a whole number >= 0/],
    [['--features', 'magic'], /--features: unknown feature set "magic"/],
    [['--window', '0'], /--window expects a number of seconds > 0/],
  ])('%j: exit 2', async (args, message) => {
    const r = await analyze(LO, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test('two captures at once: exit 2 with the usage', async () => {
    const r = await analyze(LO, LO);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/takes one run directory or pcap file, got 2/);
    expect(r.stderr).toMatch(/usage: scanlab analyze/);
  });

  test('UserError is what the CLI turns into exit 2', () => {
    expect(new UserError('x').exitCode).toBe(2);
    expect(existsSync(LO)).toBe(true);
  });
});
