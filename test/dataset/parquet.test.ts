// Parquet files of a dataset read back by hyparquet (a pure-JS reader, not the DuckDB that wrote
// them): same rows and values as the CSVs beside them, declared types, listed in the manifest.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { beforeAll, describe, expect, test } from 'vitest';
import { exportDataset, type ExportResult } from '../../src/dataset/export-dataset.ts';
import { FLOW_COLUMN_NAMES } from '../../src/dataset/flow-columns.ts';
import { sha256File } from '../../src/dataset/manifest.ts';
import { FLOWS_SCHEMA, PACKETS_SCHEMA, writePartitioned } from '../../src/dataset/parquet.ts';
import { makeLabRunDir } from '../anonymize/fixtures/run-dir.ts';
import { useTmpDir } from '../anonymize/fixtures/tmp-dir.ts';

const tmp = useTmpDir('parquet');

/** Rows of a CSV without embedded commas (what these files hold), quotes stripped. */
function csv(path: string): string[][] {
  return readFileSync(path, 'utf8').trim().split('\n').map((l) => l.split(',').map((f) => f.replace(/^"|"$/g, '')));
}

async function read(path: string): Promise<Record<string, unknown>[]> {
  return parquetReadObjects({ file: await asyncBufferFromFile(path) });
}

/** A Parquet value as the CSV writes it. */
function asCsv(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return String(v);
  return String(v);
}

describe('dataset Parquet files', () => {
  let r: ExportResult;
  beforeAll(async () => {
    r = await exportDataset({ runDir: makeLabRunDir(join(tmp, 'run')), mode: 'faker', seed: 5 });
  });

  test('packets.parquet holds packets.csv\'s rows and values', async () => {
    const rows = await read(join(r.datasetDir, 'packets.parquet'));
    const [header, ...lines] = csv(join(r.datasetDir, 'packets.csv'));
    expect(header).toEqual(PACKETS_SCHEMA.map((c) => c.name));
    expect(rows.map((o) => header.map((h) => (h === 'Time' ? (o[h] as number).toFixed(9) : asCsv(o[h]))))).toEqual(lines);
  });

  test('flows.parquet holds flows.csv\'s rows; numbers are numbers, Timestamp a UTC timestamp', async () => {
    const file = await asyncBufferFromFile(join(r.datasetDir, 'flows.parquet'));
    const meta = await parquetMetadataAsync(file);
    const types = Object.fromEntries(meta.schema.slice(1).map((s) => [s.name, s.type]));
    for (const c of FLOWS_SCHEMA) expect(types[c.name], c.name).toBe(c.type === 'VARCHAR' ? 'BYTE_ARRAY' : c.type === 'DOUBLE' ? 'DOUBLE' : 'INT64');
    const rows = await parquetReadObjects({ file });
    const [header, ...lines] = csv(join(r.datasetDir, 'flows.csv'));
    expect(header).toEqual(FLOW_COLUMN_NAMES);
    expect(rows).toHaveLength(lines.length);
    rows.forEach((o, i) => {
      header.forEach((h, k) => {
        if (h === 'Timestamp') expect((o[h] as Date).toISOString().slice(0, 23), h).toBe(lines[i][k].slice(0, 23));
        else if (typeof o[h] === 'number') expect(o[h], `${h} of flow ${i + 1}`).toBeCloseTo(Number(lines[i][k]), 9);
        else expect(asCsv(o[h]), `${h} of flow ${i + 1}`).toBe(lines[i][k]);
      });
    });
    expect(rows.filter((o) => o.Label === 'scan').map((o) => o['Attack Step'])).toEqual(['syn-scan']);
  });

  test('labels.parquet equals labels.csv; every Parquet file is in the manifest with its sha256', async () => {
    const rows = await read(join(r.datasetDir, 'labels.parquet'));
    const [, ...lines] = csv(join(r.datasetDir, 'labels.csv'));
    expect(rows.map((o) => [asCsv(o.no), asCsv(o.label), asCsv(o.step)])).toEqual(lines.map((l) => [l[0], l[1], l[2] ?? '']));
    const m = JSON.parse(readFileSync(join(r.datasetDir, 'manifest.json'), 'utf8'));
    for (const f of ['packets.parquet', 'flows.parquet', 'labels.parquet']) expect(m.files[f].sha256, f).toBe(sha256File(join(r.datasetDir, f)).sha256);
    const card = readFileSync(join(r.datasetDir, 'README.md'), 'utf8');
    expect(card).toContain('## Parquet');
    expect(card).toContain('spark.read.parquet');
  });
});

describe('partitioned Parquet folders (writePartitioned)', () => {
  test('rows land under run=<name>/hour=<UTC hour>/ by their own time, every row once, without the partition columns', async () => {
    // Given two runs' CSVs, the first spanning three UTC hours
    const dir = join(tmp, 'partitions');
    mkdirSync(dir, { recursive: true });
    const columns = [{ name: 'Timestamp', type: 'TIMESTAMPTZ', doc: '' }, { name: 'n', type: 'BIGINT', doc: '' }] as const;
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(a, 'Timestamp,n\n2026-11-28T05:59:59.999999Z,1\n2026-11-28T06:00:00.000000Z,2\n2026-11-28T06:30:00.000001Z,3\n2026-11-28T07:00:00.5Z,4\n');
    writeFileSync(b, 'Timestamp,n\n2026-11-28T05:10:00.000000Z,5\n');
    // When written partitioned by run and hour
    const out = join(dir, 'flows');
    await writePartitioned([{ sources: [{ csv: a, run: 'run-a', split: 'train' }, { csv: b, run: 'run-b', split: 'test' }], dir: out, columns, hourOf: 'Timestamp' }]);
    // Then hyparquet finds each row in its run's and hour's folder, with the split inside the file
    const found: Record<string, unknown[]> = {};
    for (const f of readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith('.parquet')).sort()) {
      const rows = await read(join(out, f));
      found[f.slice(0, f.lastIndexOf('/'))] = rows.map((r) => [r.split, Number(r.n), 'run' in r || 'hour' in r]);
    }
    expect(found).toEqual({
      'run=run-a/hour=2026-11-28T05': [['train', 1, false]],
      'run=run-a/hour=2026-11-28T06': [['train', 2, false], ['train', 3, false]],
      'run=run-a/hour=2026-11-28T07': [['train', 4, false]],
      'run=run-b/hour=2026-11-28T05': [['test', 5, false]],
    });
  });
});
