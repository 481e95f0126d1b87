// Each feature set against an independent pandas/scikit-learn implementation
// (reference/features.py) fed by tshark's field export of the same capture.
import { afterAll, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCapture } from '../../src/capture/decode/decode-capture.ts';
import { FEATURE_SETS } from '../../src/features/registry.ts';
import { buildFeatures } from '../../src/features/feature-set.ts';
import { writeSyntheticLab } from '../fixtures/synthetic-lab.ts';
import { DEBIAN_PYTHON, hasPandas, hasTshark, run, tempDir } from '../helpers/tools.ts';

const here = new URL('.', import.meta.url).pathname;
const tmp = tempDir('features');
afterAll(() => tmp.remove());

type Reference = Record<string, { columns: string[]; rows: number[][]; packets: number[] }>;

function reference(pcap: string): Reference {
  const tsv = join(tmp.path, 'fields.tsv');
  writeFileSync(tsv, run(join(here, 'reference/export-fields.sh'), [pcap]));
  return JSON.parse(run(DEBIAN_PYTHON, [join(here, 'reference/features.py'), tsv]));
}

const captures: [string, () => string][] = [
  ['loopback capture with an nmap SYN and UDP scan', () => join(here, '../fixtures/captures/lo-mixed.pcap')],
  [
    'synthetic 30 s lab capture',
    () => {
      const path = join(tmp.path, 'lab.pcap');
      writeSyntheticLab(path, { seconds: 30, scanStart: 3, seed: 3 });
      return path;
    },
  ],
];

describe.runIf(hasTshark && hasPandas).each(captures)('%s', (_name, make) => {
  const pcap = make();
  const ref = reference(pcap);
  const decoded = decodeCapture(pcap);

  test.each(FEATURE_SETS.map((s) => [s.name, s] as const))('%s matches pandas: columns, rows, packets per row, values', (name, set) => {
    // Given the same capture, When both build the feature matrix
    const ours = buildFeatures(set, decoded);
    const theirs = ref[name];
    // Then columns, row order, packet counts and every value agree
    expect(ours.columnNames).toEqual(theirs.columns);
    expect(ours.rows).toBe(theirs.rows.length);
    expect(Array.from(ours.rowPackets)).toEqual(theirs.packets);
    let worst = 0;
    let where = '';
    for (let r = 0; r < ours.rows; r++) {
      for (let c = 0; c < ours.cols; c++) {
        const a = ours.matrix[r * ours.cols + c];
        const b = theirs.rows[r][c];
        const diff = Math.abs(a - b) / Math.max(1, Math.abs(b));
        if (diff > worst) {
          worst = diff;
          where = `row ${r} column ${ours.columnNames[c]}: ours ${a}, pandas ${b}`;
        }
      }
    }
    expect(worst, where).toBeLessThan(1e-9);
  });
});
