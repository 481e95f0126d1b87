// flows.csv of a real capture (lo-mixed.pcap: loopback web/TLS/SSH/DNS traffic plus an nmap SYN
// and UDP scan) against an independent computation: tshark's fields, flows assembled in Python
// and columns computed with pandas (fixtures/flows_reference.py), which also loads flows.csv as it is.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { exportDataset, type ExportResult } from '../../src/dataset/export-dataset.ts';
import { CIC_COLUMNS, FLOW_COLUMN_NAMES } from '../../src/dataset/flow-columns.ts';
import { sha256File } from '../../src/dataset/manifest.ts';
import { useTmpDir } from '../anonymize/fixtures/tmp-dir.ts';
import { TSHARK } from '../anonymize/fixtures/tshark.ts';
import { DEBIAN_PYTHON, hasPandas, hasTshark } from '../helpers/tools.ts';

const tmp = useTmpDir('flows-ref');
const CAPTURE = join(import.meta.dirname, '../fixtures/captures/lo-mixed.pcap');
const SCANNER = '127.0.0.66';

/** A run directory whose labels.csv tshark wrote: every packet to or from the scanner is scan. */
function makeRun(dir: string): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(CAPTURE, join(dir, 'capture.pcap'));
  const out = execFileSync(TSHARK, ['-n', '-r', CAPTURE, '-T', 'fields', '-E', 'separator=,', '-E', 'occurrence=f', '-e', 'frame.number', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'ip.proto'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const rows = ['no,label,step'];
  for (const line of out.trim().split('\n')) {
    const [no, src, dst, proto] = line.split(',');
    rows.push(src === SCANNER || dst === SCANNER ? `${no},scan,${proto === '6' ? 'syn-scan' : 'udp-scan'}` : `${no},benign,`);
  }
  writeFileSync(join(dir, 'labels.csv'), rows.join('\n') + '\n');
  writeFileSync(join(dir, 'scenario.yaml'), 'name: lo-mixed\nseed: 3\n');
  return dir;
}

interface Report {
  capturePackets: number; flowPackets: number; flows: number; referenceFlows: number; unmatchedFlows: number;
  columns: string[]; checked: string[]; labelCounts: Record<string, number>; flowLabelPackets: Record<string, number>;
  mismatches: { column: string; firstPacket: number; reference: string; 'flows.csv': string }[];
}

describe.runIf(hasTshark && hasPandas)('flows.csv against pandas on tshark fields', () => {
  let result: ExportResult;
  let report: Report;
  beforeAll(async () => {
    result = await exportDataset({ runDir: makeRun(join(tmp, 'run')), mode: 'faker', seed: 3 });
    const json = execFileSync(DEBIAN_PYTHON, [join(import.meta.dirname, 'fixtures/flows_reference.py'), result.datasetDir], { encoding: 'utf8' });
    report = JSON.parse(json) as Report;
  }, 60_000);

  test('pandas loads flows.csv as it is, with CIC-IDS2017\'s columns then scanlab\'s label columns', () => {
    expect(report.columns).toEqual(FLOW_COLUMN_NAMES);
    expect(report.columns.indexOf('Label')).toBe(CIC_COLUMNS);
  });

  test('every packet of the capture is in exactly one flow, and the flows are the reference\'s', () => {
    expect(report.capturePackets).toBe(2605);
    expect(report.flowPackets).toBe(report.capturePackets);
    expect(report.flows).toBe(report.referenceFlows);
    expect(report.unmatchedFlows).toBe(0);
  });

  test('counts, lengths, durations, IATs, flags, headers and windows equal the reference\'s', () => {
    for (const c of ['Total Fwd Packets', 'Fwd Packet Length Std', 'Flow Duration', 'Flow IAT Std', 'Fwd IAT Total', 'SYN Flag Count', 'Fwd Header Length', 'Init_Win_bytes_backward', 'Label']) {
      expect(report.checked).toContain(c);
    }
    expect(report.mismatches).toEqual([]);
  });

  test('flow labels add up to labels.csv', () => {
    expect(report.flowLabelPackets).toEqual(report.labelCounts);
    expect(report.labelCounts.scan).toBeGreaterThan(2000);
    const m = JSON.parse(readFileSync(join(result.datasetDir, 'manifest.json'), 'utf8'));
    expect(m.files['flows.csv'].sha256).toBe(sha256File(join(result.datasetDir, 'flows.csv')).sha256);
    expect(m.flows.count).toBe(report.flows);
    expect(m.flows.byLabel.scan + m.flows.byLabel.benign).toBe(report.flows);
  });

  test('the data card documents every flow column', () => {
    const card = readFileSync(join(result.datasetDir, 'README.md'), 'utf8');
    for (const name of FLOW_COLUMN_NAMES) expect(card).toContain(`| ${name} |`);
    expect(card).toContain('Engelen');
  });
});
