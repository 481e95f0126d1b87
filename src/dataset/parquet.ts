// Parquet files of a dataset, written by DuckDB (@duckdb/node-api) from the dataset's own CSV
// files with declared column types: the only module that talks to DuckDB. DuckDB streams the CSV
// into the Parquet file, so nothing of the table is held in JavaScript. One thread, so the same
// CSV gives the same bytes. Chosen by measurement (bench/RESULTS.md, "Parquet writers").

import { DuckDBInstance } from '@duckdb/node-api';
import { FLOW_COLUMNS, type FlowColumnType } from './flow-columns.ts';

export type ParquetType = 'VARCHAR' | 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'TIMESTAMPTZ';

export interface ParquetColumn {
  readonly name: string;
  readonly type: ParquetType;
  readonly doc: string;
}

export const PACKETS_SCHEMA: readonly ParquetColumn[] = [
  { name: 'No.', type: 'BIGINT', doc: 'packet number (1-based)' },
  { name: 'Time', type: 'DOUBLE', doc: 'seconds since the first packet' },
  { name: 'Source', type: 'VARCHAR', doc: 'source address' },
  { name: 'Destination', type: 'VARCHAR', doc: 'destination address' },
  { name: 'Protocol', type: 'VARCHAR', doc: 'Wireshark\'s protocol name' },
  { name: 'Length', type: 'BIGINT', doc: 'bytes on the wire' },
];

export const LABELS_SCHEMA: readonly ParquetColumn[] = [
  { name: 'no', type: 'BIGINT', doc: 'packet number' },
  { name: 'label', type: 'VARCHAR', doc: '`scan` or `benign`' },
  { name: 'step', type: 'VARCHAR', doc: 'attack step; NULL for none' },
];

const FLOW_TYPES: Record<FlowColumnType, ParquetType> = { string: 'VARCHAR', int: 'BIGINT', float: 'DOUBLE' };

/** flows.csv's columns; Timestamp becomes a real UTC timestamp (microseconds). */
export const FLOWS_SCHEMA: readonly ParquetColumn[] = FLOW_COLUMNS.map((c) => ({
  name: c.name, type: c.name === 'Timestamp' ? 'TIMESTAMPTZ' : FLOW_TYPES[c.type], doc: c.doc,
}));

/** One CSV file, optionally tagged with the run it comes from and its split (train/test). */
export interface CsvSource {
  readonly csv: string;
  readonly run?: string;
  readonly split?: string;
}

export interface ParquetJob {
  readonly sources: readonly CsvSource[];
  readonly parquet: string;
  readonly columns: readonly ParquetColumn[];
}

/**
 * A table as a folder of Hive-partitioned Parquet files (`<dir>/run=<name>/[hour=<UTC hour>/]data_0.parquet`):
 * what Spark, DuckDB or pyarrow read as one table, with the partition columns taken from the
 * paths. `hourOf` names the column (an ISO 8601 UTC time) whose hour is the second partition.
 */
export interface PartitionedJob {
  readonly sources: readonly CsvSource[];
  readonly dir: string;
  readonly columns: readonly ParquetColumn[];
  readonly hourOf?: string;
}

/** Writes each job's CSV sources (same columns, concatenated in order) into one Parquet file. */
export async function writeParquet(jobs: readonly ParquetJob[]): Promise<void> {
  await withDuckDB(jobs.map((job) => `COPY (${selectSql(job.sources, job.columns)}) TO ${str(job.parquet)} (FORMAT parquet, COMPRESSION snappy)`));
}

/** Writes each job's CSV sources into a folder partitioned by run (and by hour when asked). */
export async function writePartitioned(jobs: readonly PartitionedJob[]): Promise<void> {
  await withDuckDB(jobs.map((job) => {
    // The hour from the CSV's own text (`2026-11-28T05`), so the paths do not depend on a time zone.
    const hour = job.hourOf ? `substr(${id(job.hourOf)}, 1, 13) AS hour` : undefined;
    const by = job.hourOf ? 'run, hour' : 'run';
    return `COPY (${selectSql(job.sources, job.columns, hour)}) TO ${str(job.dir)} (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (${by}))`;
  }));
}

async function withDuckDB(statements: readonly string[]): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    for (const sql of statements) await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function selectSql(sources: readonly CsvSource[], columns: readonly ParquetColumn[], extra?: string): string {
  const types = `{${columns.map((c) => `${str(c.name)}: ${str(c.type === 'TIMESTAMPTZ' ? 'VARCHAR' : c.type)}`).join(', ')}}`;
  const select = columns.map((c) => (c.type === 'TIMESTAMPTZ' ? `CAST(${id(c.name)} AS TIMESTAMPTZ) AS ${id(c.name)}` : id(c.name))).join(', ');
  const parts = sources.map((s) => {
    const tags = [s.run !== undefined ? `${str(s.run)} AS run` : '', s.split !== undefined ? `${str(s.split)} AS split` : ''].filter(Boolean);
    return `SELECT ${[...tags, select, ...(extra ? [extra] : [])].join(', ')} FROM read_csv(${str(s.csv)}, header = true, auto_detect = false, quote = '"', escape = '"', columns = ${types})`;
  });
  return parts.join(' UNION ALL ');
}

const str = (s: string) => `'${s.replace(/'/g, "''")}'`;
const id = (s: string) => `"${s.replace(/"/g, '""')}"`;
