// `scanlab dataset`: several runs in one dataset with run and split columns, split by run, read
// back from CSV and (with hyparquet) Parquet; bad input is refused with exit 2 naming the run.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli.ts';
import { captureIO } from '../helpers/io.ts';
import { makeLabRunDir } from '../anonymize/fixtures/run-dir.ts';
import { useTmpDir } from '../anonymize/fixtures/tmp-dir.ts';

const tmp = useTmpDir('merge');

async function cli(...argv: string[]) {
  const captured = captureIO();
  const code = await main(argv, captured.io);
  return { code, stdout: captured.out(), stderr: captured.err() };
}

const lines = (path: string) => readFileSync(path, 'utf8').trim().split('\n');

describe('scanlab dataset <run-dir>... --out DIR', () => {
  const runs = ['run-a', 'run-b', 'run-c'].map((n) => join(tmp, n));
  const out = join(tmp, 'merged');
  let stdout = '';
  beforeAll(async () => {
    for (const r of runs) makeLabRunDir(r);
    const r = await cli('dataset', ...runs, '--out', out, '--test', 'run-b', '--seed', '4');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    stdout = r.stdout;
  }, 60_000);

  test('each run is exported whole under runs/<name>/, its mapping kept outside the dataset', () => {
    expect(readdirSync(join(out, 'runs')).sort()).toEqual(['run-a', 'run-b', 'run-c']);
    for (const n of ['run-a', 'run-b', 'run-c']) {
      expect(existsSync(join(out, 'runs', n, 'flows.parquet'))).toBe(true);
      expect(existsSync(join(`${out}.anon-mapping`, `${n}.json`))).toBe(true);
    }
    expect(stdout).toMatch(/train: run-a, run-c\ntest: run-b/);
  });

  test.each(['packets', 'flows', 'labels'])('%s.csv is the runs\' files with run and split in front, split by run', (table) => {
    const merged = lines(join(out, `${table}.csv`));
    const unquote = (l: string) => l.replace(/^"([^"]*)","([^"]*)",/, '$1,$2,');
    const header = unquote(merged[0]).split(',');
    expect(header.slice(0, 2)).toEqual(['run', 'split']);
    const expected: string[] = [];
    for (const [n, split] of [['run-a', 'train'], ['run-b', 'test'], ['run-c', 'train']]) {
      const own = lines(join(out, 'runs', n, `${table}.csv`));
      expect(unquote(merged[0]).slice('run,split,'.length)).toBe(unquote(`"x","x",${own[0]}`).slice(4));
      for (const l of own.slice(1)) expected.push(`${n},${split},${l}`);
    }
    expect(merged.slice(1).map(unquote)).toEqual(expected.map(unquote));
    // No row of the test run is in training, and every training row comes from a training run.
    const rows = merged.slice(1).map((l) => unquote(l).split(','));
    expect(new Set(rows.filter((r) => r[1] === 'train').map((r) => r[0]))).toEqual(new Set(['run-a', 'run-c']));
    expect(new Set(rows.filter((r) => r[1] === 'test').map((r) => r[0]))).toEqual(new Set(['run-b']));
  });

  test('flows.parquet, read by hyparquet, has the same rows with run and split; the manifest records the split', async () => {
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(join(out, 'flows.parquet')) });
    const csvRows = lines(join(out, 'flows.csv')).slice(1).map((l) => l.split(','));
    expect(rows.map((r) => [r.run, r.split, String(r['First Packet']), r.Label])).toEqual(csvRows.map((r) => [r[0], r[1], r[r.length - 1], r[r.length - 5]]));
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m.split).toEqual({ rule: 'by-run', train: ['run-a', 'run-c'], test: ['run-b'] });
    expect(m.runs.map((r: { name: string; split: string; packets: number }) => [r.name, r.split, r.packets])).toEqual([['run-a', 'train', 16], ['run-b', 'test', 16], ['run-c', 'train', 16]]);
    for (const f of ['packets.csv', 'flows.csv', 'labels.csv', 'packets.parquet', 'flows.parquet', 'labels.parquet', 'README.md']) expect(m.files[f], f).toBeDefined();
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('Test runs: run-b');
  });

  test.each(['packets', 'flows', 'labels'])('partitioned/%s/ holds each run\'s rows under run=<name>/, every file in the manifest', async (table) => {
    const root = join(out, 'partitioned', table);
    const files = readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('.parquet')).sort();
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    for (const f of files) expect(m.files[`partitioned/${table}/${f}`], f).toBeDefined();
    for (const n of ['run-a', 'run-b', 'run-c']) {
      const own = files.filter((f) => f.startsWith(`run=${n}/`));
      if (table === 'flows') for (const f of own) expect(f).toMatch(/^run=[^/]+\/hour=\d{4}-\d\d-\d\dT\d\d\/data_0\.parquet$/);
      else expect(own).toEqual([`run=${n}/data_0.parquet`]);
      let rows = 0;
      for (const f of own) {
        const read = await parquetReadObjects({ file: await asyncBufferFromFile(join(root, f)) });
        expect(new Set(read.map((r) => r.split))).toEqual(new Set([n === 'run-b' ? 'test' : 'train']));
        rows += read.length;
      }
      expect(rows, n).toBe(lines(join(out, 'runs', n, `${table}.csv`)).length - 1);
    }
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain(`partitioned/${table}/`);
  });
});

describe('scanlab dataset refuses bad input with exit 2, naming the run and what is wrong', () => {
  const good = join(tmp, 'good-1');
  const good2 = join(tmp, 'good-2');
  const unlabelled = join(tmp, 'unlabelled');
  beforeAll(() => {
    makeLabRunDir(good);
    makeLabRunDir(good2);
    makeLabRunDir(unlabelled);
    rmSync(join(unlabelled, 'labels.csv'));
    mkdirSync(join(tmp, 'other'), { recursive: true });
    makeLabRunDir(join(tmp, 'other', 'good-1'));
  });

  test.each([
    ['one run', () => [good], /merges two or more runs, got 1/],
    ['a missing run', () => [good, join(tmp, 'nope')], new RegExp(`run directory ${join(tmp, 'nope')} does not exist`)],
    ['a run without labels', () => [good, unlabelled], new RegExp(`run directory ${unlabelled} has no labels.csv`)],
    ['the same run twice', () => [good, good], new RegExp(`run directory ${good} is given twice`)],
    ['two runs of one name', () => [good, join(tmp, 'other', 'good-1')], /have the same name "good-1"/],
    ['an unknown test run', () => [good, good2, '--test', 'good-3'], /--test good-3 is not one of the runs given \(good-1, good-2\)/],
    ['every run a test run', () => [good, good2, '--test', 'good-1', '--test', 'good-2'], /nothing is left for training/],
  ])('%s', async (_, args, message) => {
    const out = join(tmp, `bad-${Math.random().toString(36).slice(2)}`);
    const r = await cli('dataset', ...args(), '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  test('no --out', async () => {
    const r = await cli('dataset', good, good2);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs --out DIR/);
  });
});
