// verify-anon: proves a dataset holds no original address or MAC. The original capture is read
// with the same rewriter in collecting mode (so every place an address can hide is found),
// every changed address becomes patterns in every encoding (leak-patterns.ts), and every file
// of the dataset is searched byte by byte in chunks (multi-search.ts).

import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readCapture } from '../capture/pcap-file.ts';
import { UserError } from '../errors.ts';
import { AddressCollector } from './address-collector.ts';
import { buildLeakPatterns } from './leak-patterns.ts';
import { MultiSearch } from './multi-search.ts';
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

export interface VerifyResult {
  readonly leaks: Leak[];
  /** Leaks found in total (the list stops at `maxLeaks`). */
  readonly leakCount: number;
  readonly files: number;
  readonly bytes: number;
  readonly addresses: { ipv4: number; ipv6: number; mac: number };
  readonly patterns: number;
}

const CHUNK = 16 * 1024 * 1024;

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
  let leakCount = 0;
  let bytes = 0;
  const files = listFiles(datasetDir);
  for (const file of files) {
    const rel = relative(datasetDir, file);
    const fileLeaks: Leak[] = [];
    bytes += scanFile(file, search, (offset, p) => {
      leakCount++;
      if (leaks.length + fileLeaks.length < maxLeaks) fileLeaks.push({ file: rel, offset, address: p.address, encoding: p.encoding });
    });
    if (fileLeaks.length && /\.pcap$/i.test(file)) leaks.push(...locatePackets(file, fileLeaks));
    else leaks.push(...fileLeaks);
  }
  return { leaks, leakCount, files: files.length, bytes, addresses: counts, patterns: patterns.length };
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

function scanFile(path: string, search: MultiSearch, onLeak: (offset: number, p: { address: string; encoding: string }) => void): number {
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

/** Adds packet numbers to leaks inside a classic pcap file. */
function locatePackets(path: string, leaks: Leak[]): Leak[] {
  const sorted = [...leaks].sort((a, b) => a.offset - b.offset);
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(24);
  try {
    if (readSync(fd, head, 0, 24, 0) < 24) return leaks;
    const magic = head.readUInt32LE(0);
    const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
    if (!le && head.readUInt32BE(0) !== 0xa1b2c3d4 && head.readUInt32BE(0) !== 0xa1b23c4d) return leaks;
    const rec = Buffer.alloc(16);
    let pos = 24;
    let n = 0;
    let i = 0;
    const out: Leak[] = [];
    while (i < sorted.length && readSync(fd, rec, 0, 16, pos) === 16) {
      n++;
      const cap = le ? rec.readUInt32LE(8) : rec.readUInt32BE(8);
      const end = pos + 16 + cap;
      while (i < sorted.length && sorted[i].offset < end) {
        out.push(sorted[i].offset >= pos ? { ...sorted[i], packet: n } : sorted[i]);
        i++;
      }
      pos = end;
    }
    out.push(...sorted.slice(i));
    return out;
  } finally {
    closeSync(fd);
  }
}

/** One line per leak, for a person. */
export function formatLeak(l: Leak): string {
  return `${l.file} offset ${l.offset}${l.packet ? ` (packet ${l.packet})` : ''}: ${l.address} as ${l.encoding}`;
}
