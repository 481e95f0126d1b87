// scanlab bench without a lab: argument checks, and --runs over synthesized run directories whose
// right answers are known by construction.
import { BUILTIN_EXTERNAL } from '../../src/detect/external/spec.ts';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import benchCommand, { parseBenchArgs } from '../../src/commands/bench.ts';
import { UserError } from '../../src/errors.ts';
import { decodeFrames, openConnection, refusedConnection, type Frame } from '../detect/synth-capture.ts';
import { captureIO } from '../helpers/io.ts';

const SCANNER = '198.18.0.20';
const VICTIM = '198.18.0.10';
const CLIENT = '198.18.0.30';

describe('scanlab bench arguments', () => {
  test.each([
    [['--repeat', '0', 'quick'], /--repeat expects a whole number >= 1, got "0"/],
    [['--features', 'nope', 'quick'], /--features: unknown feature set "nope"/],
    [['--detectors', 'nope', 'quick'], /--detectors: unknown detector "nope"/],
    [['no-such-scenario'], /scenario "no-such-scenario" not found/],
    [['--runs', '/nonexistent/run'], /--runs: \/nonexistent\/run does not exist/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('%j is refused with a message', (args, message) => {
    expect(() => parseBenchArgs(args)).toThrow(UserError);
    expect(() => parseBenchArgs(args)).toThrow(message);
  });

  test('--detectors picks detectors and --features the separation sets; the defaults are every feature set as a detector, the seed rule, both baselines and the built-in external ones (p0f)', () => {
    expect(parseBenchArgs(['quick', '--detectors', 'host-window,trw', '--features', 'kaggle-flow']).plan.detectors).toEqual({ detectors: ['host-window', 'trw'], featureSets: ['kaggle-flow'], external: [] });
    expect(parseBenchArgs(['quick']).plan.detectors).toEqual({ detectors: ['sds-window', 'kaggle-flow', 'host-window', 'host-window+threshold', 'kaggle-rating', 'threshold', 'trw'], featureSets: ['sds-window', 'kaggle-flow', 'host-window'], external: BUILTIN_EXTERNAL });
  });

  test('--set full holds every scenario file, the standard set first; --set and names exclude each other', () => {
    const standard = parseBenchArgs([]).plan.scenarios.map((s) => s.name);
    const full = parseBenchArgs(['--set', 'full']).plan.scenarios.map((s) => s.name);
    expect(parseBenchArgs(['--set', 'standard']).plan.scenarios.map((s) => s.name)).toEqual(standard);
    expect(full.slice(0, standard.length)).toEqual(standard);
    expect(full).toContain('slow-sneaky');
    expect(standard).not.toContain('slow-sneaky');
    expect(new Set(full).size).toBe(full.length);
    expect(() => parseBenchArgs(['--set', 'full', 'syn'])).toThrow(/--set full and named scenarios \(syn\)/);
    expect(() => parseBenchArgs(['--set', 'big'])).toThrow(/--set expects standard or full, got "big"/);
  });

  test('--help lists both sets', async () => {
    const streams = captureIO();
    expect(await benchCommand(['--help'], streams.io)).toBe(0);
    expect(streams.out()).toMatch(/--set standard \(the default\): quick, .*minority-syn/);
    expect(streams.out()).toMatch(/--set full: .*slow-sneaky/);
  });

  test('no scenario and no --runs means the standard set that exists in scenarios/', () => {
    const { plan } = parseBenchArgs([], new Date('2026-01-02T03:04:05Z'));
    expect(plan.scenarios.map((s) => s.name)).toContain('quick');
    expect(plan.repeat).toBe(1);
    expect(plan.outDir).toMatch(/bench\/out\/20260102-030405$/);
  });
});

describe('scanlab bench --runs over labelled captures (no lab)', () => {
  test('scores each capture, aggregates per scenario and writes bench.json, bench.csv, bench.html', async () => {
    // Given two run directories of one scenario: 20 web connections + 20-port scan, 10 + 30
    const root = mkdtempSync(join(tmpdir(), 'scanlab-bench-runs-'));
    const runs = [makeRun(root, 'r1', 20, 20), makeRun(root, 'r2', 10, 30)];
    const out = join(root, 'out');
    const streams = captureIO();
    // When
    const code = await benchCommand(['--runs', runs[0].dir, runs[1].dir, '--detectors', 'threshold,trw,host-window', '--features', 'host-window', '--out', out], streams.io);
    // Then
    const stdout = streams.out();
    const err = streams.err();
    expect(code, err).toBe(0);
    expect(err).toMatch(/\[1\/2 +\d+%\] .*r1: 100 packets \(40 scan\)/);
    expect(err).toMatch(/\[2\/2 100%\] .*r2: 90 packets \(60 scan\)/);
    expect(stdout).toMatch(/synthetic: 2 runs, 95 packets, scan share \d+\.\d%/);
    // No run directory records a warm-up, so the learning detector says it fell back.
    expect(stdout.indexOf('Detection')).toBeLessThan(stdout.indexOf('Separation'));
    const json = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'));
    expect(json.runs.map((r: { packets: number; scanPackets: number }) => [r.packets, r.scanPackets])).toEqual([[100, 40], [90, 60]]);
    expect(json.runs[0].detectors.threshold).toMatchObject({ labelFree: true, kind: 'baseline', hosts: { detected: [SCANNER], missed: [], falselyFlagged: [] } });
    expect(json.runs[0].separation['host-window'].ari).toBeGreaterThan(0);
    // The baselines find exactly the scanner's packets: every score is 1 and there are no false positives.
    const csv = readFileSync(join(out, 'bench.csv'), 'utf8').trim().split('\n');
    const cols = csv[0].split(',');
    const row = (detector: string) => Object.fromEntries(csv.find((l) => l.startsWith(`synthetic,${detector},`))!.split(',').map((v, i) => [cols[i], v]));
    for (const detector of ['threshold', 'trw']) {
      expect(row(detector)).toMatchObject({ runs: '2', f1_mean: '1', f1_std: '0', roc_auc_mean: '1', fp_share_mean: '0', base_rate_min: '0.4', base_rate_max: '0.666666667', hosts_detected_mean: '1', false_hosts_mean: '0' });
    }
    expect(row('host-window').kind).toBe('feature-set');
    expect(readFileSync(join(out, 'bench.html'), 'utf8')).toMatch(/<svg[^>]*>.*threshold/s);
  });
});

function makeRun(root: string, name: string, web: number, ports: number) {
  const frames: Frame[] = [
    ...Array.from({ length: web }, (_, k) => openConnection(k * 0.1, CLIENT, 41000 + k, VICTIM, 80)).flat(),
    ...Array.from({ length: ports }, (_, k) => refusedConnection(0.05 + k * 0.1, SCANNER, 50000 + k, VICTIM, 1 + k)).flat(),
  ].sort((a, b) => a.time - b.time);
  const decoded = decodeFrames(frames);
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(decoded.path, join(dir, 'capture.pcap'));
  const rows = ['no,label,step'];
  for (let i = 0; i < decoded.packets; i++) {
    const scan = [decoded.columns.src[i], decoded.columns.dst[i]].some((id) => decoded.addresses.text(id) === SCANNER);
    rows.push(`${i + 1},${scan ? 'scan' : 'benign'},${scan ? 'port-scan' : ''}`);
  }
  writeFileSync(join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'scenario.yaml'), 'name: synthetic\n');
  return { dir, packets: decoded.packets };
}
