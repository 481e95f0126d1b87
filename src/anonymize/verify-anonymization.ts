// verify-anon: proves a dataset holds no original address or MAC. The original capture is read
// with the same rewriter in collecting mode (so every place an address can hide is found),
// every changed address becomes patterns in every encoding (leak-patterns.ts), and every file
// of the dataset is searched byte by byte in chunks (multi-search.ts).
// A match inside a pcap that lies wholly in a field holding only a number (a TCP sequence number,
// a timestamp: number-fields.ts), or across adjacent header fields, is a coincidence, counted and
// listed apart, not a leak.
// It never passes what it did not check: links, special files, compressed files and captures it
// cannot read whole are listed as unchecked, and so are original packets it could not examine
// (link types it cannot decode, a damaged original); `verdict` turns those into a failure.

import { closeSync, openSync, readdirSync, readlinkSync, readSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readCapture } from '../capture/pcap-file.ts';
import { RunFailure, UserError } from '../errors.ts';
import { AddressCollector } from './address-collector.ts';
import { buildLeakPatterns, type LeakPattern } from './leak-patterns.ts';
import { MultiSearch } from './multi-search.ts';
import { coincidenceField, headerFieldSpans, type Span } from './number-fields.ts';
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
  /** Dataset entries that could not be searched, each with why (links, compressed, unreadable captures). */
  readonly unchecked: string[];
  /** Why some of the original's packets were not examined for addresses (unknown link types, damage). */
  readonly originalProblems: string[];
  /** The original's reader notes that lose nothing a dataset could hold (a last record cut short). */
  readonly originalNotes: string[];
}

const CHUNK = 16 * 1024 * 1024;

/** A match in a pcap, with the pattern's length, until it is placed in its packet. */
type Match = { leak: Leak; length: number };

/** Every address of a capture that the rewriter would see, kept-class ones included, and what it could not examine. */
export function collectAddresses(pcapPath: string): AddressCollector {
  return collectOriginal(pcapPath).collector;
}

function collectOriginal(pcapPath: string): { collector: AddressCollector; problems: string[]; notes: string[] } {
  const collector = new AddressCollector();
  const ctx = newRewriteContext(collector, { mode: 'faker', seed: 0, keepPayload: true });
  let out = new Uint8Array(1 << 18);
  const res: FrameResult = { capLen: 0, lenDelta: 0 };
  const unknown = new Map<number, number>();
  const summary = readCapture(pcapPath, (r) => {
    if (!SUPPORTED_LINK_TYPES.has(r.linkType)) {
      unknown.set(r.linkType, (unknown.get(r.linkType) ?? 0) + 1);
      return;
    }
    if (r.capLen + 1024 > out.length) out = new Uint8Array(r.capLen + 70_000);
    rewriteFrame(r.data, r.linkType, out, ctx, res);
  });
  const problems: string[] = [];
  for (const [type, n] of unknown) problems.push(`${n} packet${n === 1 ? '' : 's'} of ${pcapPath} have link type ${type}, which scanlab cannot decode: their addresses are unknown`);
  if (summary.packets === 0 && !SUPPORTED_LINK_TYPES.has(summary.linkType)) problems.push(`${pcapPath} has link type ${summary.linkType}, which scanlab cannot decode`);
  // A record that could not be read stops the reader: whatever follows it was never examined.
  const damaged = summary.warnings.filter((w) => w.includes('was not read'));
  for (const w of damaged) problems.push(`${w}: addresses after it are unknown`);
  const notes = summary.warnings.filter((w) => !w.includes('was not read'));
  return { collector, problems, notes };
}

export function verifyAnonymization(datasetDir: string, originalPcap: string, options: { maxLeaks?: number } = {}): VerifyResult {
  const maxLeaks = options.maxLeaks ?? 1000;
  let st;
  try { st = statSync(datasetDir); } catch { st = undefined; }
  if (!st?.isDirectory()) throw new UserError(`dataset directory ${datasetDir} does not exist`, 'pass the dataset/ folder written by `scanlab anonymize` or a run');
  const original = collectOriginal(originalPcap);
  const { patterns, counts } = buildLeakPatterns(original.collector);
  const search = new MultiSearch(patterns);
  const leaks: Leak[] = [];
  const coincidences: Coincidence[] = [];
  let leakCount = 0;
  let coincidenceCount = 0;
  let bytes = 0;
  const unchecked: string[] = [];
  const files = listFiles(datasetDir, datasetDir, unchecked);
  for (const file of files) {
    const rel = relative(datasetDir, file);
    const kind = fileKind(file);
    if (kind.compressed) unchecked.push(`${rel} is ${kind.compressed}: its contents cannot be searched; publish it unpacked or unpack it before verify-anon`);
    // Every match of a capture is kept until it is placed in its packet; other files' as they come.
    const matches: Match[] = [];
    bytes += scanFile(file, search, (offset, p) => {
      const leak = { file: rel, offset, address: p.address, encoding: p.encoding };
      if (kind.capture) matches.push({ leak, length: p.bytes.length });
      else if (leakCount++ < maxLeaks) leaks.push(leak);
    });
    if (!kind.capture) continue;
    const placed = placeInPackets(file, rel, matches);
    if (placed.problem) unchecked.push(placed.problem);
    for (const m of placed.leaks) if (leakCount++ < maxLeaks) leaks.push(m);
    for (const c of placed.coincidences) if (coincidenceCount++ < maxLeaks) coincidences.push(c);
  }
  return {
    leaks, leakCount, coincidences, coincidenceCount, files: files.length, bytes, addresses: counts, patterns: patterns.length,
    unchecked, originalProblems: original.problems, originalNotes: original.notes,
  };
}

/**
 * What a verification means: leaks are a failed check (exit 1); anything it could not check, or
 * nothing to look for, is never a pass (exit 2, naming why). Returns when the dataset is clean.
 */
export function verdict(r: VerifyResult, datasetDir: string, originalPcap: string): void {
  if (r.leakCount > 0) throw new RunFailure(`${r.leakCount} leak${r.leakCount === 1 ? '' : 's'} of original addresses in ${datasetDir}`);
  const fix = 'verify-anon passes only what it searched in full';
  if (r.files === 0) throw new UserError(`dataset ${datasetDir} holds no files: there is nothing to verify`, 'pass the dataset/ folder written by `scanlab anonymize` or a run');
  if (r.unchecked.length > 0) throw new UserError(`not verified: ${r.unchecked.length === 1 ? r.unchecked[0] : `\n  ${r.unchecked.join('\n  ')}`}`, fix);
  if (r.originalProblems.length > 0) throw new UserError(`not verified: ${r.originalProblems.join('; ')}`, `${fix}; give the original capture as it was anonymized, whole`);
  if (r.patterns === 0) {
    throw new UserError(`not verified: ${originalPcap} holds no address that anonymization changes (only loopback, multicast, broadcast or unspecified ones), so there is nothing to search for`, 'pass the original capture this dataset was made from');
  }
}

/** Every regular file under `dir`; links and special files are listed as unchecked, not followed. */
function listFiles(root: string, dir: string, unchecked: string[]): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, entry.name);
    const rel = relative(root, p);
    if (entry.isSymbolicLink()) {
      let target = '';
      try { target = readlinkSync(p); } catch { /* named without its target */ }
      unchecked.push(`${rel} is a symbolic link${target ? ` to ${target}` : ''}: a dataset must hold the files themselves; replace the link with a copy and verify again`);
    } else if (entry.isDirectory()) out.push(...listFiles(root, p, unchecked));
    else if (entry.isFile()) out.push(p);
    else unchecked.push(`${rel} is not a regular file (a FIFO, socket or device): it cannot be searched`);
  }
  return out;
}

/** What the first bytes of a file say it is: a capture (searched per packet) or a compressed file (not searchable). */
function fileKind(path: string): { capture: boolean; compressed?: string } {
  const head = Buffer.alloc(6);
  const fd = openSync(path, 'r');
  let n: number;
  try { n = readSync(fd, head, 0, 6, 0); } finally { closeSync(fd); }
  const le = head.readUInt32LE(0);
  const be = head.readUInt32BE(0);
  if (n >= 4 && (le === 0xa1b2c3d4 || le === 0xa1b23c4d || be === 0xa1b2c3d4 || be === 0xa1b23c4d || le === 0x0a0d0d0a)) return { capture: true };
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { capture: false, compressed: 'gzip-compressed' };
  if (n >= 4 && be === 0x504b0304) return { capture: false, compressed: 'a zip archive' };
  if (n >= 6 && head.equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return { capture: false, compressed: 'xz-compressed' };
  if (n >= 3 && head.toString('latin1', 0, 3) === 'BZh') return { capture: false, compressed: 'bzip2-compressed' };
  if (n >= 4 && le === 0xfd2fb528) return { capture: false, compressed: 'zstd-compressed' };
  if (n >= 6 && head.equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]))) return { capture: false, compressed: 'a 7-Zip archive' };
  return { capture: false };
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
 * Reads a capture of the dataset whole and places each match in its packet (numbering it),
 * sorting out the coincidences: matches wholly inside the file header, a record or block header,
 * or a number field of the packet, or across adjacent header fields. A capture that cannot be read
 * whole is a problem (not checked packet by packet), and its unplaced matches stay leaks.
 */
function placeInPackets(path: string, rel: string, matches: Match[]): { leaks: Leak[]; coincidences: Coincidence[]; problem?: string } {
  const sorted = [...matches].sort((a, b) => a.leak.offset - b.leak.offset);
  const leaks: Leak[] = [];
  const coincidences: Coincidence[] = [];
  const place = (m: Match, packet: number, field: string | undefined) => {
    if (field) coincidences.push({ ...m.leak, packet, field });
    else leaks.push(packet > 0 ? { ...m.leak, packet } : m.leak);
  };
  let i = 0;
  let summary;
  try {
    summary = readCapture(path, (r) => {
      const header = r.fileOffset - r.headerBytes;
      if (r.index === 0) {
        // The classic file header holds only numbers (magic, version, snaplen, link type).
        for (; i < sorted.length && sorted[i].leak.offset < header; i++) {
          const m = sorted[i];
          place(m, 0, m.leak.offset + m.length <= 24 && header >= 24 && r.headerBytes === 16 ? 'pcap file header' : undefined);
        }
      }
      const end = r.fileOffset + r.capLen;
      if (i >= sorted.length || sorted[i].leak.offset >= end) return;
      // The record or block header in front of the data: lengths, timestamps, interface id.
      // A classic record is followed by the next record's header: numbers too, so a match from
      // the end of this frame's headers into it is a coincidence like any across header fields.
      const spans: Span[] = [[-r.headerBytes, 0, r.headerBytes === 16 ? 'pcap record header' : 'pcapng packet block header'], ...headerFieldSpans(r.data, r.linkType)];
      if (r.headerBytes === 16) spans.push([r.capLen, r.capLen + 16, 'next pcap record header']);
      for (; i < sorted.length && sorted[i].leak.offset < end; i++) {
        const m = sorted[i];
        const from = m.leak.offset - r.fileOffset;
        const to = from + m.length;
        const limit = r.headerBytes === 16 ? r.capLen + 16 : r.capLen;
        if (from < -r.headerBytes || to > limit) place(m, from >= -r.headerBytes ? r.index + 1 : 0, undefined);
        else place(m, r.index + 1, coincidenceField(spans, from, to));
      }
    });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    for (; i < sorted.length; i++) place(sorted[i], 0, undefined);
    return { leaks, coincidences, problem: `${rel} cannot be read as a capture (${error.message}), so it was not checked packet by packet` };
  }
  for (; i < sorted.length; i++) place(sorted[i], 0, undefined);
  const damaged = summary.warnings.find((w) => w.includes('was not read') || w.includes('ends in the middle'));
  return damaged ? { leaks, coincidences, problem: `${rel} cannot be read whole: ${damaged}` } : { leaks, coincidences };
}

export function formatLeak(l: Leak): string {
  return `${l.file} offset ${l.offset}${l.packet ? ` (packet ${l.packet})` : ''}: ${l.address} as ${l.encoding}`;
}
