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

/** Writes each job's CSV sources (same columns, concatenated in order) into one Parquet file. */
export async function writeParquet(jobs: readonly ParquetJob[]): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    for (const job of jobs) await connection.run(copySql(job));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function copySql(job: ParquetJob): string {
  const types = `{${job.columns.map((c) => `${str(c.name)}: ${str(c.type === 'TIMESTAMPTZ' ? 'VARCHAR' : c.type)}`).join(', ')}}`;
  const select = job.columns.map((c) => (c.type === 'TIMESTAMPTZ' ? `CAST(${id(c.name)} AS TIMESTAMPTZ) AS ${id(c.name)}` : id(c.name))).join(', ');
  const parts = job.sources.map((s) => {
    const tags = [s.run !== undefined ? `${str(s.run)} AS run` : '', s.split !== undefined ? `${str(s.split)} AS split` : ''].filter(Boolean);
    return `SELECT ${[...tags, select].join(', ')} FROM read_csv(${str(s.csv)}, header = true, auto_detect = false, quote = '"', escape = '"', columns = ${types})`;
  });
  return `COPY (${parts.join(' UNION ALL ')}) TO ${str(job.parquet)} (FORMAT parquet, COMPRESSION snappy)`;
}

const str = (s: string) => `'${s.replace(/'/g, "''")}'`;
const id = (s: string) => `"${s.replace(/"/g, '""')}"`;
