// Memory and time as captures grow: `node --import tsx bench/memory-scale.bench.ts [sizes...]`.
// The analysis bench's synthetic lab capture (bench/analysis-capture.ts, 1,067,754 packets) cut to
// 128 bytes a packet (editcap -s 128: headers kept, like a capture taken with a small snaplen)
// and concatenated 1, 5 and 19 times with each copy shifted 1261 s later (editcap -t, mergecap -a):
// about 1M, 5M and 20M packets, with labels.csv renumbered to match, as a run directory in
// /work/bigcap (not in the repository; 2.7 GB for 20M). The 20M size runs only with
// MEMORY_SCALE_20M=1 (or `20` on the command line): it takes many minutes.
// On each file, one after the other, each in its own process under GNU time (wall, CPU, max RSS):
//   - scanlab analyze <run> --json            (all feature sets and default detectors)
//   - scanlab anonymize <run> --out DIR       (the dataset export: anonymized pcap, packets.csv,
//                                              flows.csv, labels, verify-anon, Parquet)
//   - tshark -r FILE -q -z conv,ip            (Wireshark's IP conversation table)
//   - argus -r FILE -w out.argus              (Debian argus-server's flow records)
// Needs editcap/mergecap (tshark), argus-server and GNU time. Writes the "Memory as captures grow" section.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { benchCapture } from './analysis-capture.ts';
import { writeResultsSection } from './results-file.ts';

const ROOT = process.env.MEMORY_SCALE_DIR ?? '/work/bigcap';
const COPY_SHIFT_S = 1261;
const args = process.argv.slice(2).map(Number).filter((n) => n > 0);
const sizes = args.length > 0 ? args : [1, 5, ...(process.env.MEMORY_SCALE_20M === '1' ? [20] : [])];
/** Copies of the 1,067,754-packet capture for each size in millions. */
const copiesOf = (millions: number) => Math.max(1, Math.round(millions / 1.067754));

function runDir(millions: number): string {
  const dir = join(ROOT, `p${millions}m`);
  if (existsSync(join(dir, 'capture.pcap')) && existsSync(join(dir, 'labels.csv'))) return dir;
  mkdirSync(dir, { recursive: true });
  const { pcap, labels } = benchCapture();
  const base = join(ROOT, 'base.pcap');
  if (!existsSync(base)) execFileSync('editcap', ['-F', 'nsecpcap', '-s', '128', pcap, base]);
  const n = copiesOf(millions);
  const parts: string[] = [];
  for (let k = 0; k < n; k++) {
    const part = join(ROOT, `part${k}.pcap`);
    execFileSync('editcap', ['-F', 'nsecpcap', '-t', String(k * COPY_SHIFT_S), base, part]);
    parts.push(part);
  }
  if (n === 1) renameSync(parts[0], join(dir, 'capture.pcap'));
  else execFileSync('mergecap', ['-a', '-F', 'nsecpcap', '-w', join(dir, 'capture.pcap'), ...parts]);
  for (const p of parts) rmSync(p, { force: true });
  // labels.csv of the copies, numbered on.
  const rows = readFileSync(labels, 'utf8').trimEnd().split('\n').slice(1).map((l) => l.slice(l.indexOf(',')));
  const out: string[] = ['no,label,step'];
  for (let k = 0, no = 1; k < n; k++) for (const r of rows) out.push(`${no++}${r}`);
  writeFileSync(join(dir, 'labels.csv'), out.join('\n') + '\n');
  return dir;
}

interface Timed { wall: number; cpu: number; mib: number }

/** Wall and CPU seconds and max RSS (MiB) of one command under GNU time. */
function timed(cmd: string, cmdArgs: string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...cmdArgs], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const [wall, user, sys, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: user + sys, mib: kb / 1024 };
}

function packetsOf(pcap: string): number {
  let n = 0;
  const out = execFileSync('capinfos', ['-M', '-c', '-T', pcap], { encoding: 'utf8' });
  n = Number(out.trim().split('\n').pop()!.split('\t')[1]);
  return n;
}

// What bounded memory took, measured by hand on the same files before this bench ran end to end
// (kept so each step stays measurable; every step left analysis.json the same but for timings).
const HISTORY = `How analyze got here (peak RSS at 20,287,326 packets, GNU time -v, same files, each step's analysis.json identical
to the one before but for timings): 2,294 MiB (commit e237141: whole-capture decoded columns, per-packet Float64 scores
for every detector); 1,380 MiB (commit d213a1f: scores kept per row for the row detectors, columns in narrower types
while the values fit (27 bytes a packet instead of 57), feature matrices in shared memory for k-means' helper thread,
open-addressing group tables, a full collection between phases); the table above (commits 58327ec to this one: each
phase names the columns it reads and the others wait in unlinked scratch files until a phase names them,
src/capture/decode/column-spill.ts; a row detector's ROC-AUC and AP from its sorted distinct scores instead of a Map of
3.25M entries; k-means++ measures its chosen candidate again instead of caching 5 x 3.25M distances; sds-window sums
into its matrix; novelty scoring scales row by row instead of copying the matrix; the first collection after a pooled
k-means waits for its helper thread's shared arrays; labels, steps and the judged mask out of memory while a detector
runs, which reads none of them; columns brought back only when a phase names them).
What is resident at the peak now (separation's sds-window rows being built, from
/proc/self/status at each phase): the four columns it still reads (252 MiB), the labels (19 MiB), each packet's row
(77 MiB), the 3,251,546 x 14 Float64 matrix (347 MiB) and its row counts (25 MiB), and Node (~110 MiB).

The dataset export's peak is DuckDB's Parquet writer (344 MiB by itself on the 1M dataset) and Node; packets.csv,
flows.csv and labels.csv stream (chunked decode, open flows only, labels read in 4 MB chunks).`;

const scanlab = join(import.meta.dirname, '..', 'bin', 'scanlab.js');
const loadAtStart = loadavg()[0];
const rows: string[] = [];
const perPacket: Record<string, Record<number, number>> = {};
for (const millions of sizes) {
  const dir = runDir(millions);
  const pcap = join(dir, 'capture.pcap');
  const packets = packetsOf(pcap);
  const out = join(ROOT, `out-${millions}m`);
  rmSync(out, { recursive: true, force: true });
  rmSync(join(dir, 'anon-mapping.json'), { force: true });
  const tools: [string, string, string[]][] = [
    ['scanlab analyze', process.execPath, [scanlab, 'analyze', dir, '--json']],
    ['scanlab anonymize (dataset export)', process.execPath, [scanlab, 'anonymize', dir, '--out', out, '--json']],
    ['tshark -q -z conv,ip', 'tshark', ['-n', '-r', pcap, '-q', '-z', 'conv,ip']],
    ['argus -r -w', 'argus', ['-r', pcap, '-w', join(ROOT, `out-${millions}m.argus`)]],
  ];
  for (const [name, cmd, cmdArgs] of tools) {
    const t = timed(cmd, cmdArgs);
    (perPacket[name] ??= {})[millions] = (t.cpu / packets) * 1e6;
    rows.push(`| ${packets.toLocaleString('en-US')} | ${name} | ${t.wall.toFixed(1)} | ${t.cpu.toFixed(1)} | ${((t.cpu / packets) * 1e6).toFixed(2)} | **${Math.round(t.mib)}** |`);
    process.stderr.write(`${rows[rows.length - 1]}\n`);
  }
  rmSync(out, { recursive: true, force: true });
  rmSync(join(ROOT, `out-${millions}m.argus`), { force: true });
}

const body = `Reproduce: \`node --import tsx bench/memory-scale.bench.ts\` (1M and 5M; \`MEMORY_SCALE_20M=1\` adds 20M).
The analysis bench's synthetic lab capture cut to 128 bytes a packet (\`editcap -s 128\`) and concatenated with each copy
1261 s after the one before (\`editcap -t\`, \`mergecap -a\`), labels.csv numbered on: a run directory per size. Each command in
its own process under GNU time, one after the other on the same file; CPU s is user + system (the steadier figure on this
shared machine: ${cpus().length} cores, 1-min load ${loadAtStart.toFixed(1)} at the start, other agents' jobs running), µs/packet is CPU time per packet.
Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.

| packets | command | wall s | CPU s | CPU µs/packet | peak RSS MiB |
|---:|---|---:|---:|---:|---:|
${rows.join('\n')}

${HISTORY}
`;
writeResultsSection('Memory as captures grow', body);
process.stdout.write(body);
