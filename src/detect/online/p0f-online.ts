// p0f (the built-in external detector, src/detect/external/p0f-detector.ts) online: the TCP SYNs
// of each window are written to a small pcap as the window closes and p0f 3 reads it with its
// stock fingerprints; a host p0f names (a SYN matching `NMap SYN scan` or `NMap OS detection`) is
// a scanner from that window on, and a row is flagged when its host or its peer is one (never a
// training row). p0f fingerprints each SYN by itself, so a window's SYNs name the same hosts the
// whole capture's do (the replay test checks it); it learns nothing and trains on nothing. What it
// sees is what offline p0f sees: nmap's own raw SYN probes, not connect scans (the kernel's SYNs),
// UDP or ICMP, and a slow scan as soon as its first probe arrives. To keep its cost bounded under a
// full-speed scan, the SYNs of a host p0f has already named are not handed on, and of any other
// source at most MAX_SYNS_PER_SOURCE between two runs of p0f (the difference from reading the whole
// file: a source whose first 64 SYNs of a window match no Nmap fingerprint and a later one does is
// named a window later). It costs one p0f process per window that holds a SYN (10-20 ms here).
// When p0f is not installed it says so in its notes and flags nothing.
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { PcapWriter } from '../../capture/pcap-file.ts';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawFeatures } from '../../features/feature-set.ts';
import { TCP_FLAG, type PacketColumns } from '../../capture/decode/columns.ts';
import type { TailRecord } from '../../capture/pcap-tail.ts';
import { readP0fLog } from '../external/formats/p0f.ts';
import { verdictOfEnds, type OnlineDetector, type WindowBatch, type WindowVerdict } from './online-detector.ts';

const TCP = 6;
/** SYNs of one source handed to one run of p0f, at most (a full port scan sends 65,535 in a second or two). */
export const MAX_SYNS_PER_SOURCE = 64;
/** p0f reads a window's SYNs in milliseconds; this only stops a hang. */
const P0F_TIMEOUT_MS = 20_000;

/** A SYN observed and not yet handed to p0f: its record (bytes copied) and packet index. */
interface PendingSyn {
  readonly packet: number;
  readonly tsSec: number;
  readonly tsNsec: number;
  readonly origLen: number;
  readonly linkType: number;
  readonly data: Uint8Array;
}

/** Writes the pending SYNs before packet `end` to `path` as classic pcap; returns how many (they leave the queue). */
function writeSynsBefore(pending: PendingSyn[], end: number, path: string): number {
  let n = 0;
  while (n < pending.length && pending[n]!.packet < end) n++;
  if (n === 0) return 0;
  const writer = new PcapWriter(path, { linkType: pending[0]!.linkType, nanosecond: false });
  for (const syn of pending.splice(0, n)) writer.write(syn.tsSec, syn.tsNsec, syn.origLen, syn.data);
  writer.close();
  return n;
}

/** `scratch`: where its window files go (a directory of its own is made there and removed at the end). */
export function onlineP0f(command = 'p0f', scratch = tmpdir()): OnlineDetector {
  const pending: PendingSyn[] = [];
  /** Addresses (text) p0f has named so far, and their ids in the live capture's address table. */
  const named = new Set<string>();
  const namedIds = new Set<number>();
  /** Per source address id: SYNs queued for the next run of p0f. */
  const queued = new Map<number, number>();
  const notes: string[] = [];
  let observed = 0;
  let dir: string | undefined;
  let broken = false;

  /** Runs p0f on the SYNs before packet `end`, if any; adds the hosts it names. */
  const fingerprint = (end: number): void => {
    dir ??= mkdtempSync(join(scratch, 'scanlab-p0f-'));
    const input = join(dir, 'window.pcap');
    const log = join(dir, 'p0f.log');
    if (writeSynsBefore(pending, end, input) === 0) return;
    queued.clear();
    const run = spawnSync(command, ['-r', input, '-o', log], { stdio: ['ignore', 'ignore', 'pipe'], timeout: P0F_TIMEOUT_MS, encoding: 'utf8' });
    let text = '';
    try {
      text = readFileSync(log, 'utf8');
      unlinkSync(log);
    } catch {
      // no log: p0f did not run, or logged nothing
    }
    if (run.error || run.status !== 0) {
      broken = true;
      const why = (run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? `${command} is not installed (npm run setup installs Debian's p0f)` : `${command} failed: ${run.error?.message ?? run.stderr.trim().split('\n').slice(-2).join(' ')}`;
      notes.push(`${why}; it flagged nothing from then on`);
      return;
    }
    for (const alert of readP0fLog(text, `${command}'s log`)) if (alert.src) named.add(alert.src);
  };

  return {
    name: 'online:p0f',
    description: "p0f 3 with its stock fingerprints on each window's TCP SYNs: a host whose SYN matches NMap SYN scan or NMap OS detection is a scanner from then on",
    notes,
    train(_rows: RawFeatures) {},
    observe(record: TailRecord, columns: PacketColumns, slot: number) {
      const packet = observed++;
      if (broken || columns.ipProto[slot] !== TCP) return;
      const flags = columns.tcpFlags[slot];
      if (!(flags & TCP_FLAG.SYN) || flags & TCP_FLAG.ACK) return;
      const src = columns.src[slot];
      const n = queued.get(src) ?? 0;
      if (namedIds.has(src) || n >= MAX_SYNS_PER_SOURCE) return;
      queued.set(src, n + 1);
      pending.push({ packet, tsSec: record.tsSec, tsNsec: record.tsNsec, origLen: record.origLen, linkType: record.linkType, data: record.data.slice(0, record.capLen) });
    },
    judge(batch: WindowBatch): WindowVerdict {
      if (!broken && pending.length > 0) {
        fingerprint(batch.endPacket);
        for (const text of named) {
          const id = batch.decoded.addresses.lookup(text);
          if (id !== undefined) namedIds.add(id);
        }
      }
      return verdictOfEnds(batch, (address) => (named.has(batch.decoded.addresses.text(address)) ? 1 : 0));
    },
    finish() {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
    rule: () => "a row is flagged from the window in which p0f 3 (stock /etc/p0f/p0f.fp) matched one of its host's or peer's SYNs to NMap SYN scan or NMap OS detection; p0f reads each window's TCP SYNs as it closes",
  };
}
