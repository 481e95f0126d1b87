// Which library writes the dataset's Parquet files: the same two tables written by each candidate,
// each in a child process of its own (peak RSS is the process's VmHWM), then read back by DuckDB
// to check rows. Tables: packets (1M rows: No., Time, Source, Destination, Protocol, Length) and
// flows (200k rows x 89 columns of CIC-IDS2017 shape: 6 strings, 83 numbers).
// Candidates: hyparquet-writer (pure JS) from column arrays; DuckDB (@duckdb/node-api) from the
// CSV the dataset already has (read_csv with declared types, COPY TO parquet); DuckDB appender.
// Needs: npm install --no-save hyparquet-writer  (not a dependency of scanlab).
// Run: node --import tsx bench/parquet-writers.bench.ts [packets] [flows]

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [, , mode, dir, nPackets = '1000000', nFlows = '200000'] = process.argv;
const PACKETS = Number(nPackets), FLOWS = Number(nFlows);
const FLOW_STRINGS = 6, FLOW_NUMBERS = 83;

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Tables {
  packets: { no: Int32Array; time: Float64Array; src: string[]; dst: string[]; proto: string[]; len: Int32Array };
  flows: { strings: string[][]; numbers: Float64Array[] };
}

function makeTables(): Tables {
  const r = rng(1);
  const hosts = Array.from({ length: 200 }, (_, i) => `10.${i >> 8}.${i & 255}.${1 + (i % 250)}`);
  const protos = ['TCP', 'UDP', 'DNS', 'TLSv1.3', 'HTTP', 'ICMP', 'ARP'];
  const no = new Int32Array(PACKETS), time = new Float64Array(PACKETS), len = new Int32Array(PACKETS);
  const src: string[] = [], dst: string[] = [], proto: string[] = [];
  for (let i = 0; i < PACKETS; i++) {
    no[i] = i + 1;
    time[i] = i * 0.0001 + r() * 1e-5;
    src.push(hosts[(r() * 200) | 0]);
    dst.push(hosts[(r() * 200) | 0]);
    proto.push(protos[(r() * 7) | 0]);
    len[i] = 54 + ((r() * 1400) | 0);
  }
  const strings = Array.from({ length: FLOW_STRINGS }, (_, k) => Array.from({ length: FLOWS }, (_, i) => (k === 0 ? `${hosts[i % 200]}-${hosts[(i * 7) % 200]}-${i % 65536}-80-6` : hosts[(i * (k + 1)) % 200])));
  const numbers = Array.from({ length: FLOW_NUMBERS }, (_, k) => {
    const a = new Float64Array(FLOWS);
    for (let i = 0; i < FLOWS; i++) a[i] = k % 3 === 0 ? (r() * 100) | 0 : r() * 1e6;
    return a;
  });
  return { packets: { no, time, src, dst, proto, len }, flows: { strings, numbers } };
}

function writeCsvs(t: Tables, d: string): void {
  const p = t.packets;
  let s = 'No.,Time,Source,Destination,Protocol,Length\n';
  for (let i = 0; i < PACKETS; i++) s += `${p.no[i]},${p.time[i]},${p.src[i]},${p.dst[i]},${p.proto[i]},${p.len[i]}\n`;
  writeFileSync(join(d, 'packets.csv'), s);
  const names = [...Array.from({ length: FLOW_STRINGS }, (_, k) => `s${k}`), ...Array.from({ length: FLOW_NUMBERS }, (_, k) => `n${k}`)];
  const rows = [names.join(',')];
  for (let i = 0; i < FLOWS; i++) rows.push([...t.flows.strings.map((c) => c[i]), ...t.flows.numbers.map((c) => c[i])].join(','));
  writeFileSync(join(d, 'flows.csv'), rows.join('\n') + '\n');
}

async function runMode(d: string): Promise<void> {
  const t0 = performance.now();
  if (mode === 'hyparquet-writer') {
    const t = makeTables();
    const tMade = performance.now();
    const { parquetWriteFile } = await import('hyparquet-writer' as string);
    const p = t.packets;
    parquetWriteFile({ filename: join(d, 'packets.parquet'), columnData: [
      { name: 'No.', data: p.no, type: 'INT32' }, { name: 'Time', data: p.time, type: 'DOUBLE' },
      { name: 'Source', data: p.src, type: 'STRING' }, { name: 'Destination', data: p.dst, type: 'STRING' },
      { name: 'Protocol', data: p.proto, type: 'STRING' }, { name: 'Length', data: p.len, type: 'INT32' },
    ] });
    parquetWriteFile({ filename: join(d, 'flows.parquet'), columnData: [
      ...t.flows.strings.map((data, k) => ({ name: `s${k}`, data, type: 'STRING' })),
      ...t.flows.numbers.map((data, k) => ({ name: `n${k}`, data, type: 'DOUBLE' })),
    ] });
    report(performance.now() - tMade, tMade - t0);
    return;
  }
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await db.connect();
  if (mode === 'duckdb-csv') {
    const tS = performance.now();
    const packetTypes = `{'No.': 'INTEGER', 'Time': 'DOUBLE', 'Source': 'VARCHAR', 'Destination': 'VARCHAR', 'Protocol': 'VARCHAR', 'Length': 'INTEGER'}`;
    await con.run(`COPY (SELECT * FROM read_csv('${join(d, 'packets.csv')}', header = true, columns = ${packetTypes})) TO '${join(d, 'packets.parquet')}' (FORMAT parquet)`);
    const flowTypes = `{${[...Array.from({ length: FLOW_STRINGS }, (_, k) => `'s${k}': 'VARCHAR'`), ...Array.from({ length: FLOW_NUMBERS }, (_, k) => `'n${k}': 'DOUBLE'`)].join(', ')}}`;
    await con.run(`COPY (SELECT * FROM read_csv('${join(d, 'flows.csv')}', header = true, columns = ${flowTypes})) TO '${join(d, 'flows.parquet')}' (FORMAT parquet)`);
    report(performance.now() - tS, 0);
    return;
  }
  if (mode === 'duckdb-appender') {
    const t = makeTables();
    const tMade = performance.now();
    const p = t.packets;
    await con.run('CREATE TABLE packets ("No." INTEGER, "Time" DOUBLE, "Source" VARCHAR, "Destination" VARCHAR, "Protocol" VARCHAR, "Length" INTEGER)');
    const a = await con.createAppender('packets');
    for (let i = 0; i < PACKETS; i++) {
      a.appendInteger(p.no[i]); a.appendDouble(p.time[i]); a.appendVarchar(p.src[i]); a.appendVarchar(p.dst[i]); a.appendVarchar(p.proto[i]); a.appendInteger(p.len[i]);
      a.endRow();
    }
    a.closeSync();
    await con.run(`COPY packets TO '${join(d, 'packets.parquet')}' (FORMAT parquet)`);
    const cols = [...Array.from({ length: FLOW_STRINGS }, (_, k) => `s${k} VARCHAR`), ...Array.from({ length: FLOW_NUMBERS }, (_, k) => `n${k} DOUBLE`)];
    await con.run(`CREATE TABLE flows (${cols.join(', ')})`);
    const b = await con.createAppender('flows');
    for (let i = 0; i < FLOWS; i++) {
      for (const c of t.flows.strings) b.appendVarchar(c[i]);
      for (const c of t.flows.numbers) b.appendDouble(c[i]);
      b.endRow();
    }
    b.closeSync();
    await con.run(`COPY flows TO '${join(d, 'flows.parquet')}' (FORMAT parquet)`);
    report(performance.now() - tMade, tMade - t0);
  }
}

function report(writeMs: number, makeMs: number): void {
  const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1];
  console.log(JSON.stringify({ writeMs, makeMs, peakMiB: Number(hwm) / 1024 }));
}

async function main(): Promise<void> {
  const d = mkdtempSync(join(tmpdir(), 'scanlab-parquet-bench-'));
  try {
    writeCsvs(makeTables(), d);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const rows: string[] = [];
    for (const m of ['hyparquet-writer', 'duckdb-csv', 'duckdb-appender']) {
      const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, m, d, nPackets, nFlows], { encoding: 'utf8' }).trim().split('\n').pop()!);
      const con = await (await DuckDBInstance.create(':memory:')).connect();
      const count = async (f: string) => Number((await (await con.runAndReadAll(`SELECT count(*) FROM '${join(d, f)}'`)).getRows())[0][0]);
      const check = `${await count('packets.parquet')}/${await count('flows.parquet')}`;
      const mb = (statSync(join(d, 'packets.parquet')).size + statSync(join(d, 'flows.parquet')).size) / 1e6;
      rows.push(`| ${m} | ${(out.writeMs / 1000).toFixed(2)} | ${out.peakMiB.toFixed(0)} | ${mb.toFixed(1)} | ${check} |`);
    }
    console.log(`packets ${PACKETS}, flows ${FLOWS} x ${FLOW_STRINGS + FLOW_NUMBERS}; node ${process.version}\n`);
    console.log('| writer | write s | peak RSS MiB | parquet MB | rows read back (DuckDB) |\n|---|---:|---:|---:|---|');
    for (const r of rows) console.log(r);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

if (mode && dir) await runMode(dir);
else await main();
