// One dataset from several runs: each run is exported on its own (anonymized, checked with
// verify-anon) into runs/<name>/, then its packets, flows and labels are concatenated into
// top-level CSV and Parquet files with `run` and `split` columns first. The split is by run: a
// run is wholly train or wholly test, flows never cross runs and every run has its own address
// mapping, so nothing of a test run reaches the training rows. Written into a temporary folder
// and renamed into place, so a failure leaves nothing half-written.

import { closeSync, type Dirent, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.ts';
import type { AnonMode } from '../anonymize/anonymize-capture.ts';
import { renderMergedCard } from './data-card-merged.ts';
import { exportDataset } from './export-dataset.ts';
import { type Manifest, sha256File } from './manifest.ts';
import { FLOWS_SCHEMA, LABELS_SCHEMA, PACKETS_SCHEMA, type ParquetColumn, writeParquet, writePartitioned } from './parquet.ts';
import { toolVersions } from './tool-versions.ts';

export type Split = 'train' | 'test';

export interface MergeOptions {
  readonly runDirs: readonly string[];
  readonly outDir: string;
  /** Runs (directory paths or names) that form the test split; default: the last run. */
  readonly testRuns?: readonly string[];
  readonly mode?: AnonMode;
  readonly seed?: number;
  readonly force?: boolean;
}

export interface MergedRun {
  readonly name: string;
  readonly split: Split;
  readonly scenario: string | null;
  readonly seed: number;
  readonly packets: number;
  readonly flows: number;
  readonly packetsByLabel: Record<string, number> | null;
  readonly flowsByLabel: Record<string, number> | null;
  /** sha256 of runs/<name>/manifest.json. */
  readonly manifestSha256: string;
}

export interface MergedManifest {
  readonly format: 'scanlab-merged-dataset/1';
  readonly runs: readonly MergedRun[];
  readonly split: { readonly rule: 'by-run'; readonly train: readonly string[]; readonly test: readonly string[] };
  readonly files: Record<string, { readonly bytes: number; readonly sha256: string }>;
  readonly tools: Record<string, string>;
}

const TABLES = ['packets', 'flows', 'labels'] as const;
/** The folder of the partitioned copies of the tables. */
const PARTITIONED = 'partitioned';
const SCHEMAS: Record<(typeof TABLES)[number], readonly ParquetColumn[]> = { packets: PACKETS_SCHEMA, flows: FLOWS_SCHEMA, labels: LABELS_SCHEMA };

export async function mergeRuns(options: MergeOptions): Promise<{ datasetDir: string; manifest: MergedManifest }> {
  const runs = checkRuns(options.runDirs);
  const split = splitRuns(runs, options.testRuns);
  const outDir = resolve(options.outDir);
  if (existsSync(outDir) && !options.force) throw new UserError(`dataset folder ${outDir} already exists`, 'pass --force to replace it, or choose another --out');
  if (!existsSync(dirname(outDir))) throw new UserError(`the folder for ${outDir} does not exist`, `create ${dirname(outDir)} first`);
  const tmp = join(dirname(outDir), `.${basename(outDir)}.tmp-${process.pid}-${Date.now()}`);
  const mappings = `${outDir}.anon-mapping`;
  mkdirSync(join(tmp, 'runs'), { recursive: true });
  mkdirSync(mappings, { recursive: true });
  try {
    const merged: MergedRun[] = [];
    for (const run of runs) {
      const r = await exportDataset({
        runDir: run.dir, outDir: join(tmp, 'runs', run.name), mode: options.mode, seed: options.seed,
        mappingOut: join(mappings, `${run.name}.json`),
      });
      const m: Manifest = r.manifest;
      merged.push({
        name: run.name, split: split.get(run.name)!, scenario: m.scenario.name, seed: m.seed, packets: m.packets,
        flows: m.flows.count, packetsByLabel: m.counts.byLabel, flowsByLabel: m.flows.byLabel,
        manifestSha256: sha256File(join(r.datasetDir, 'manifest.json')).sha256,
      });
    }
    const tagged = merged.map((r) => ({ run: r.name, split: r.split, dir: join(tmp, 'runs', r.name) }));
    for (const t of TABLES) concatenateCsv(tagged.map((r) => ({ ...r, csv: join(r.dir, `${t}.csv`) })), join(tmp, `${t}.csv`), t === 'packets');
    await writeParquet(TABLES.map((t) => ({
      sources: tagged.map((r) => ({ csv: join(r.dir, `${t}.csv`), run: r.run, split: r.split })),
      parquet: join(tmp, `${t}.parquet`), columns: SCHEMAS[t],
    })));
    // The same tables as folders partitioned by run (flows also by UTC hour): the hand-off to
    // Spark, DuckDB or any engine that reads Hive-partitioned Parquet.
    mkdirSync(join(tmp, PARTITIONED));
    await writePartitioned(TABLES.map((t) => ({
      sources: tagged.map((r) => ({ csv: join(r.dir, `${t}.csv`), run: r.run, split: r.split })),
      dir: join(tmp, PARTITIONED, t), columns: SCHEMAS[t], hourOf: t === 'flows' ? 'Timestamp' : undefined,
    })));
    const files: MergedManifest['files'] = {};
    for (const t of TABLES) for (const ext of ['csv', 'parquet']) files[`${t}.${ext}`] = sha256File(join(tmp, `${t}.${ext}`));
    for (const f of filesUnder(tmp, PARTITIONED)) files[f] = sha256File(join(tmp, f));
    const base = {
      format: 'scanlab-merged-dataset/1' as const, runs: merged,
      split: { rule: 'by-run' as const, train: merged.filter((r) => r.split === 'train').map((r) => r.name), test: merged.filter((r) => r.split === 'test').map((r) => r.name) },
      files, tools: toolVersions(),
    };
    writeFileSync(join(tmp, 'README.md'), renderMergedCard(base));
    const manifest: MergedManifest = { ...base, files: { ...files, 'README.md': sha256File(join(tmp, 'README.md')) } };
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    if (existsSync(outDir)) rmSync(outDir, { recursive: true, force: true });
    renameSync(tmp, outDir);
    return { datasetDir: outDir, manifest };
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

interface RunDir {
  readonly dir: string;
  readonly name: string;
}

/** Every run directory exists, has what an export needs, and has a name of its own. */
function checkRuns(dirs: readonly string[]): RunDir[] {
  if (dirs.length < 2) throw new UserError(`scanlab dataset merges two or more runs, got ${dirs.length}`, 'give the run directories to merge, e.g. scanlab dataset runs/a runs/b --out merged');
  const byName = new Map<string, string>();
  return dirs.map((given) => {
    const dir = resolve(given);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`run directory ${dir} does not exist or is not a directory`, 'give run directories as scanlab run leaves them (runs/<date>-<scenario>/)');
    for (const f of ['capture.pcap', 'labels.csv']) {
      if (!existsSync(join(dir, f))) throw new UserError(`run directory ${dir} has no ${f}`, f === 'labels.csv' ? 'a merged dataset is labelled: give runs that scanlab labelled (scanlab run does)' : 'give a run directory scanlab run wrote');
    }
    const header = readFileSync(join(dir, 'labels.csv'), 'utf8').split('\n', 1)[0].trim();
    if (header !== 'no,label,step') throw new UserError(`${join(dir, 'labels.csv')} does not start with the header "no,label,step" (found "${header}")`, 'labels.csv is written by the run engine; re-run the labelling step');
    const name = basename(dir);
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new UserError(`run directory ${dir}: its name "${name}" becomes the run column and may hold only letters, digits, '.', '_' and '-'`, 'rename the directory');
    const other = byName.get(name);
    if (other) throw new UserError(other === dir ? `run directory ${dir} is given twice` : `run directories ${other} and ${dir} have the same name "${name}"`, 'each run is merged once, under its directory name; rename one of them');
    byName.set(name, dir);
    return { dir, name };
  });
}

function splitRuns(runs: readonly RunDir[], testRuns: readonly string[] | undefined): Map<string, Split> {
  const test = new Set<string>();
  for (const t of testRuns?.length ? testRuns : [runs[runs.length - 1].dir]) {
    const run = runs.find((r) => r.dir === resolve(t) || r.name === t);
    if (!run) throw new UserError(`--test ${t} is not one of the runs given (${runs.map((r) => r.name).join(', ')})`, 'name a test run by its directory or its name');
    test.add(run.name);
  }
  if (test.size === runs.length) throw new UserError('every run is a test run: nothing is left for training', 'leave at least one run out of --test');
  return new Map(runs.map((r) => [r.name, test.has(r.name) ? 'test' : 'train']));
}

/** Concatenates same-header CSVs with `run,split` in front of every line (quoted like the file). */
function concatenateCsv(sources: { csv: string; run: string; split: string }[], out: string, quoted: boolean): void {
  const q = (s: string) => (quoted ? `"${s}"` : s);
  const fd = openSync(out, 'w');
  try {
    sources.forEach((s, i) => {
      const lines = readFileSync(s.csv, 'utf8').split('\n');
      if (i === 0) writeSync(fd, `${q('run')},${q('split')},${lines[0]}\n`);
      let chunk = '';
      const prefix = `${q(s.run)},${q(s.split)},`;
      for (let k = 1; k < lines.length; k++) {
        if (lines[k] === '') continue;
        chunk += prefix + lines[k] + '\n';
        if (chunk.length > 1 << 20) { writeSync(fd, chunk); chunk = ''; }
      }
      writeSync(fd, chunk);
    });
  } finally {
    closeSync(fd);
  }
}

/** Every file under `root`/`folder`, as paths relative to `root` with / between parts, sorted. */
function filesUnder(root: string, folder: string): string[] {
  return (readdirSync(join(root, folder), { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}
