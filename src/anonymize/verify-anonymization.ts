// verify-anon: proves a dataset holds no original address or MAC. The original capture is read
// with the same rewriter in collecting mode (so every place an address can hide is found),
// every changed address becomes patterns in every encoding (leak-patterns.ts), and every file
// of the dataset is searched byte by byte in chunks (multi-search.ts).
// A match inside a pcap that lies wholly in a field holding only a number (a TCP sequence number,
// a timestamp: number-fields.ts) is a coincidence, counted and listed apart, not a leak.

import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readCapture } from '../capture/pcap-file.ts';
import { UserError } from '../errors.ts';
import { AddressCollector } from './address-collector.ts';
import { buildLeakPatterns, type LeakPattern } from './leak-patterns.ts';
import { MultiSearch } from './multi-search.ts';
import { numberFieldSpans, spanHolding } from './number-fields.ts';
import { newRewriteContext } from './anonymize-capture.ts';
import { type FrameResult, rewriteFrame, SUPPORTED_LINK_TYPES } from './rewrite-frame.ts';

export interface Leak {
  /** Path relative to the dataset directory. */
  readonly file: string;
  /** Byte offset in that file. */
  readonly offset: number;
  /** The original address, as text. */
  readonly address: string;
  readonly encoding: string;
  /** 1-based packet number when the file is a pcap and the offset falls inside a record. */
  readonly packet?: number;
}

/** A match wholly inside a number field of a packet: the same bytes, not an address. */
export interface Coincidence extends Leak {
  readonly packet: number;
  /** The field, e.g. "TCP header", "pcap record header". */
  readonly field: string;
}

export interface VerifyResult {
  readonly leaks: Leak[];
  /** Leaks found in total (the list stops at `maxLeaks`). */
  readonly leakCount: number;
  /** Matches inside number fields (the list stops at `maxLeaks`), and their count. */
  readonly coincidences: Coincidence[];
  readonly coincidenceCount: number;
  readonly files: number;
  readonly bytes: number;
  readonly addresses: { ipv4: number; ipv6: number; mac: number };
  readonly patterns: number;
}

const CHUNK = 16 * 1024 * 1024;

/** A match in a pcap, with the pattern's length, until it is placed in its packet. */
type Match = { leak: Leak; length: number };

/** Every address of a capture that the rewriter would see, kept-class ones included. */
export function collectAddresses(pcapPath: string): AddressCollector {
  const collector = new AddressCollector();
  const ctx = newRewriteContext(collector, { mode: 'faker', seed: 0, keepPayload: true });
  let out = new Uint8Array(1 << 18);
  const res: FrameResult = { capLen: 0, lenDelta: 0 };
  readCapture(pcapPath, (r) => {
    if (!SUPPORTED_LINK_TYPES.has(r.linkType)) return;
    if (r.capLen + 1024 > out.length) out = new Uint8Array(r.capLen + 70_000);
    rewriteFrame(r.data, r.linkType, out, ctx, res);
  });
  return collector;
}

export function verifyAnonymization(datasetDir: string, originalPcap: string, options: { maxLeaks?: number } = {}): VerifyResult {
  const maxLeaks = options.maxLeaks ?? 1000;
  let st;
  try { st = statSync(datasetDir); } catch { st = undefined; }
  if (!st?.isDirectory()) throw new UserError(`dataset directory ${datasetDir} does not exist`, 'pass the dataset/ folder written by `scanlab anonymize` or a run');
  const found = collectAddresses(originalPcap);
  const { patterns, counts } = buildLeakPatterns(found);
  const search = new MultiSearch(patterns);
  const leaks: Leak[] = [];
  const coincidences: Coincidence[] = [];
  let leakCount = 0;
  let coincidenceCount = 0;
  let bytes = 0;
  const files = listFiles(datasetDir);
  for (const file of files) {
    const rel = relative(datasetDir, file);
    // Every match of a pcap is kept until it is placed in its packet; other files' as they come.
    const pcap = /\.pcap$/i.test(file);
    const matches: Match[] = [];
    bytes += scanFile(file, search, (offset, p) => {
      const leak = { file: rel, offset, address: p.address, encoding: p.encoding };
      if (pcap) matches.push({ leak, length: p.bytes.length });
      else if (leakCount++ < maxLeaks) leaks.push(leak);
    });
    if (!pcap || matches.length === 0) continue;
    const placed = placeInPackets(file, matches);
    for (const m of placed.leaks) if (leakCount++ < maxLeaks) leaks.push(m);
    for (const c of placed.coincidences) if (coincidenceCount++ < maxLeaks) coincidences.push(c);
  }
  return { leaks, leakCount, coincidences, coincidenceCount, files: files.length, bytes, addresses: counts, patterns: patterns.length };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

function scanFile(path: string, search: MultiSearch, onLeak: (offset: number, p: LeakPattern) => void): number {
  const overlap = search.maxLength + 2;
  const buf = Buffer.allocUnsafe(CHUNK + overlap);
  const fd = openSync(path, 'r');
  let filePos = 0; // file offset of buf[0]
  let have = 0;
  let total = 0;
  try {
    while (true) {
      const got = readSync(fd, buf, have, buf.length - have, filePos + have);
      total += got;
      have += got;
      const eof = got === 0 || have < buf.length;
      // Matches starting before `limit` are reported now; the rest is kept as the next overlap.
      const limit = eof ? have : have - overlap;
      const view = buf.subarray(0, have);
      search.scan(view, filePos === 0 ? 0 : 1, limit, (m) => onLeak(filePos + m.offset, m.pattern));
      if (eof) break;
      // Keep one byte before the next start as boundary context.
      const keepFrom = limit - 1;
      buf.copy(buf, 0, keepFrom, have);
      filePos += keepFrom;
      have -= keepFrom;
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

/**
 * Places each match of a classic pcap in its packet (numbering it) and sorts out the coincidences:
 * matches wholly inside the file header, a record header, or a number field of the packet. A file
 * that is not a classic pcap keeps every match as a leak.
 */
function placeInPackets(path: string, matches: Match[]): { leaks: Leak[]; coincidences: Coincidence[] } {
  const sorted = [...matches].sort((a, b) => a.leak.offset - b.leak.offset);
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(24);
  try {
    if (readSync(fd, head, 0, 24, 0) < 24) return { leaks: sorted.map((m) => m.leak), coincidences: [] };
    const magic = head.readUInt32LE(0);
    const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
    if (!le && head.readUInt32BE(0) !== 0xa1b2c3d4 && head.readUInt32BE(0) !== 0xa1b23c4d) return { leaks: sorted.map((m) => m.leak), coincidences: [] };
    const linkType = (le ? head.readUInt32LE(20) : head.readUInt32BE(20)) & 0x0fffffff;
    const leaks: Leak[] = [];
    const coincidences: Coincidence[] = [];
    const place = (m: Match, packet: number, field: string | undefined) => {
      if (field) coincidences.push({ ...m.leak, packet, field });
      else leaks.push(packet > 0 ? { ...m.leak, packet } : m.leak);
    };
    let i = 0;
    for (; i < sorted.length && sorted[i].leak.offset < 24; i++) place(sorted[i], 0, sorted[i].leak.offset + sorted[i].length <= 24 ? 'pcap file header' : undefined);
    const rec = Buffer.alloc(16);
    let pos = 24;
    let n = 0;
    while (i < sorted.length && readSync(fd, rec, 0, 16, pos) === 16) {
      n++;
      const cap = le ? rec.readUInt32LE(8) : rec.readUInt32BE(8);
      const data = pos + 16;
      const end = data + cap;
      let frame: Buffer | undefined;
      for (; i < sorted.length && sorted[i].leak.offset < end; i++) {
        const m = sorted[i];
        const from = m.leak.offset;
        const to = from + m.length;
        if (from >= pos && to <= data) {
          place(m, n, 'pcap record header');
          continue;
        }
        if (from < data || to > end) {
          place(m, from >= pos ? n : 0, undefined);
          continue;
        }
        if (!frame) {
          frame = Buffer.alloc(cap);
          readSync(fd, frame, 0, cap, data);
        }
        place(m, n, spanHolding(numberFieldSpans(frame, linkType), from - data, to - data)?.[2]);
      }
      pos = end;
    }
    for (; i < sorted.length; i++) place(sorted[i], 0, undefined);
    return { leaks, coincidences };
  } finally {
    closeSync(fd);
  }
}

export function formatLeak(l: Leak): string {
  return `${l.file} offset ${l.offset}${l.packet ? ` (packet ${l.packet})` : ''}: ${l.address} as ${l.encoding}`;
}
