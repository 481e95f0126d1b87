// flows.csv benchmark: `node --import tsx bench/flows.bench.ts [repeat...]`.
// The synthetic lab capture (bench/analysis-capture.ts, 90 s x repeat) turned into flows three ways,
// each in its own process, time and peak RSS (VmHWM / GNU time's max RSS) on the same file:
//   - scanlab: labels and time-order check (buildFlowTable), then decode + streaming flow assembly + flows.csv (writeFlowsCsv),
//     then flows.parquet from it (DuckDB);
//   - argus (Debian argus-server): `argus -r capture -w flows.argus` then `ra -r flows.argus -c ,`
//     to CSV (its own flow model and fields, far fewer than CICFlowMeter's);
//   - tshark: `tshark -T fields` of the per-packet fields the pandas reference reads.
// Needs Debian's argus-server and argus-client. Prints a Markdown table.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchCapture } from './analysis-capture.ts';

const DIR = '/tmp/scanlab-bench-flows';

async function scanlabChild(pcap: string, labels: string, out: string): Promise<void> {
  const { buildFlowTable, writeFlowsCsv } = await import('../src/dataset/flows-csv.ts');
  const { writeParquet, FLOWS_SCHEMA } = await import('../src/dataset/parquet.ts');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const table = buildFlowTable(pcap, labels);
  const t1 = performance.now();
  const r = writeFlowsCsv(table, join(out, 'flows.csv'));
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  const hwmCsv = hwm();
  await writeParquet([{ sources: [{ csv: join(out, 'flows.csv') }], parquet: join(out, 'flows.parquet'), columns: FLOWS_SCHEMA }]);
  const t3 = performance.now();
  console.log(JSON.stringify({ flows: r.flows, packets: table.packets, decodeAssembleS: (t1 - t0) / 1e3, csvS: (t2 - t1) / 1e3, cpuS: (cpu.user + cpu.system) / 1e6, parquetS: (t3 - t2) / 1e3, peakCsvMiB: hwmCsv, peakMiB: hwm() }));
}

function hwm(): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
}

/** Wall seconds, CPU seconds (user + system) and max RSS (MiB) of a command, by GNU time. */
function timed(cmd: string, args: string[], stdoutTo?: string): { s: number; cpu: number; mib: number } {
  const shell = `/usr/bin/time -f '%e %M %U %S' ${[cmd, ...args].map((a) => `'${a}'`).join(' ')}${stdoutTo ? ` > '${stdoutTo}'` : ''}`;
  const r = spawnSync('bash', ['-c', shell], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const [s, kb, user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { s, cpu: user + sys, mib: kb / 1024 };
}

async function main(): Promise<void> {
  const repeats = process.argv.slice(2).map(Number);
  const rows: string[] = [];
  for (const repeat of repeats.length ? repeats : [14]) {
    const { pcap, labels } = benchCapture(repeat, DIR);
    const out = join(DIR, `out-x${repeat}`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const ours = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', pcap, labels, out], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop()!);
    const argus = timed('/usr/sbin/argus', ['-r', pcap, '-w', join(out, 'flows.argus')]);
    const ra = timed('/usr/bin/ra', ['-r', join(out, 'flows.argus'), '-c', ',', '-n'], join(out, 'argus.csv'));
    const argusFlows = readFileSync(join(out, 'argus.csv'), 'utf8').trim().split('\n').length - 1;
    const fields = ['frame.number', 'frame.time_epoch', 'ip.src', 'ip.dst', 'ip.proto', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport', 'tcp.flags', 'tcp.len', 'tcp.hdr_len', 'tcp.window_size_value', 'udp.length'];
    const tshark = timed('/usr/bin/tshark', ['-n', '-r', pcap, '-T', 'fields', '-E', 'occurrence=f', ...fields.flatMap((f) => ['-e', f])], join(out, 'tshark.tsv'));
    const mb = statSync(pcap).size / 1e6;
    const us = (s: number) => ((s / ours.packets) * 1e6).toFixed(2);
    const scanlabS = ours.decodeAssembleS + ours.csvS;
    const cell = (wall: number, cpu: number) => `${wall.toFixed(2)} / ${cpu.toFixed(2)} (${us(cpu)} µs/pkt)`;
    rows.push(`| ${ours.packets.toLocaleString('en-US')} (${mb.toFixed(0)} MB) | ${cell(scanlabS, ours.cpuS)} | ${ours.peakCsvMiB.toFixed(0)} | ${ours.flows.toLocaleString('en-US')} | ${ours.parquetS.toFixed(2)} | ${cell(argus.s + ra.s, argus.cpu + ra.cpu)} | ${Math.max(argus.mib, ra.mib).toFixed(0)} | ${argusFlows.toLocaleString('en-US')} | ${cell(tshark.s, tshark.cpu)} | ${tshark.mib.toFixed(0)} |`);
    rmSync(out, { recursive: true, force: true });
  }
  console.log(`node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the end\n`);
  console.log('| packets | scanlab flows.csv wall / CPU s | scanlab peak MiB | scanlab flows | flows.parquet s | argus + ra wall / CPU s | argus peak MiB | argus flows | tshark fields wall / CPU s | tshark peak MiB |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
}

if (process.argv[2] === '--child') await scanlabChild(process.argv[3], process.argv[4], process.argv[5]);
else await main();
