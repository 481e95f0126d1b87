// Anonymizes a capture file into a classic pcap: a first pass collects every address (so fake
// ones never equal a real one and the mapping does not depend on packet order), a second pass
// rewrites each frame. File I/O is here; every byte decision lives in the pure rewrite-*.ts.

import { PcapWriter, readCapture, type CaptureSummary } from '../capture/pcap-file.ts';
import { UserError } from '../errors.ts';
import { AddressCollector } from './address-collector.ts';
import { AddressMapping } from './address-mapping.ts';
import { collectFrame } from './collect-frame.ts';
import { v4ToText, v6ToText } from '../util/address-text.ts';
import { classifyV4, classifyV6 } from './address-class.ts';
import { checkFakeRange, checkRangeRoom, type Cidr } from './fake-range.ts';
import { v6FromKey } from './mapper.ts';
import type { Allocator } from './allocator.ts';
import { FakerAllocator } from './faker-allocator.ts';
import { keyFromSeed } from './key-file.ts';
import type { MappingFile } from './mapping-file.ts';
import { mappingToJson, readMappingFile } from './mapping-file.ts';
import { PrefixAllocator } from './prefix-allocator.ts';
import type { RewriteContext } from './rewrite-context.ts';
import { type FrameResult, rewriteFrame, rewriteFrameIn, SUPPORTED_LINK_TYPES } from './rewrite-frame.ts';

export type AnonMode = 'faker' | 'prefix';

export interface AnonymizeOptions {
  readonly mode: AnonMode;
  readonly seed: number;
  /** Crypto-PAn key (prefix mode); derived from the seed when absent. */
  readonly key?: Uint8Array;
  /** A mapping file to reuse (its entries win). */
  readonly mappingFile?: string;
  readonly keepPayload?: boolean;
  readonly dns?: 'rewrite' | 'cut';
  /** Faker-mode ranges; default 10.0.0.0/8 and fd00::/8. */
  readonly fakeV4Range?: string;
  readonly fakeV6Range?: string;
}

export interface AnonymizeResult {
  readonly packets: number;
  readonly linkType: number;
  /** Packets whose kept bytes are fewer than captured (payload or unknown headers cut). */
  readonly packetsCut: number;
  readonly mapping: MappingFile;
  readonly counts: { ipv4: number; ipv6: number; mac: number };
  /** What the reader said about the input: damage, what was kept. */
  readonly warnings: string[];
  /** Timestamp of the first packet, seconds since the epoch (null for an empty capture). */
  readonly firstTime: number | null;
}

export const DEFAULT_FAKE_V4 = '10.0.0.0/8';
export const DEFAULT_FAKE_V6 = 'fd00::/8';

export function makeMapping(options: AnonymizeOptions): AddressMapping {
  return prepareMapping(options).mapping;
}

/** The mapping, and in faker mode the checked ranges its fake addresses come from. */
function prepareMapping(options: AnonymizeOptions): { mapping: AddressMapping; ranges?: { v4: Cidr; v6: Cidr }; preloaded?: ReturnType<typeof readMappingFile> } {
  let allocator: Allocator;
  let ranges: { v4: Cidr; v6: Cidr } | undefined;
  if (options.mode === 'prefix') {
    allocator = new PrefixAllocator(options.key ?? keyFromSeed(options.seed));
  } else {
    ranges = {
      v4: checkFakeRange(options.fakeV4Range ?? DEFAULT_FAKE_V4, 4, 'fake IPv4 range (--fake-v4)'),
      v6: checkFakeRange(options.fakeV6Range ?? DEFAULT_FAKE_V6, 6, 'fake IPv6 range (--fake-v6)'),
    };
    allocator = new FakerAllocator(options.seed, ranges);
  }
  const mapping = new AddressMapping(allocator);
  const preloaded = options.mappingFile ? readMappingFile(options.mappingFile) : undefined;
  if (preloaded) mapping.preload(preloaded.entries);
  return { mapping, ranges, preloaded };
}

/**
 * Checks against the capture's own addresses: a reused mapping may not send an address onto one
 * the capture holds as a real address, and each fake range needs room for the addresses to draw.
 */
function checkAgainstCapture(options: AnonymizeOptions, prepared: ReturnType<typeof prepareMapping>, found: AddressCollector): void {
  const { preloaded, ranges } = prepared;
  if (preloaded) {
    const text = (family: string, o: string, n: string) => `${options.mappingFile}: ${family} entry "${o}": "${n}"`;
    const hint = 'a mapping target must never be a real address of the capture; fix the entry or drop --mapping';
    const v4 = new Set(found.v4s);
    for (const [o, n] of preloaded.entries.v4) if (v4.has(n) && o !== n) throw new UserError(`${text('IPv4', v4ToText(o), v4ToText(n))} maps onto an address that is a real one in this capture`, hint);
    const v6 = new Set(found.v6s);
    for (const [o, n] of preloaded.entries.v6) if (v6.has(n) && o !== n) throw new UserError(`${text('IPv6', v6ToText(v6FromKey(o)), v6ToText(v6FromKey(n)))} maps onto an address that is a real one in this capture`, hint);
    const macs = new Set(found.macs);
    for (const [o, n] of preloaded.entries.mac) if (macs.has(n) && o !== n) throw new UserError(`${options.mappingFile}: MAC entry maps onto an address that is a real one in this capture`, hint);
  }
  if (ranges) {
    const preV4 = new Set(preloaded?.entries.v4.map(([o]) => o));
    const preV6 = new Set(preloaded?.entries.v6.map(([o]) => o));
    let v4 = 0;
    for (const a of found.v4s) if (classifyV4(a) === 'unicast' && !preV4.has(a)) v4++;
    let v6 = 0;
    for (const k of found.v6s) if (classifyV6(v6FromKey(k), 0) === 'unicast' && !preV6.has(k)) v6++;
    checkRangeRoom(options.fakeV4Range ?? DEFAULT_FAKE_V4, ranges.v4, v4, 'fake IPv4 range (--fake-v4)');
    checkRangeRoom(options.fakeV6Range ?? DEFAULT_FAKE_V6, ranges.v6, v6, 'fake IPv6 range (--fake-v6)');
  }
}

/** Throws a UserError unless every packet of the capture has one supported link type. */
function checkLinkType(path: string, seen: Set<number>): number {
  const types = [...seen];
  const bad = types.filter((t) => !SUPPORTED_LINK_TYPES.has(t));
  if (bad.length > 0) {
    throw new UserError(
      `${path} has link type ${bad.join(', ')}, which scanlab cannot anonymize`,
      'supported: Ethernet (1), raw IP (101, 228, 229), Linux cooked v1/v2 (113, 276); capture on an Ethernet or "any" interface',
    );
  }
  if (types.length > 1) {
    throw new UserError(`${path} mixes link types ${types.join(', ')}; a pcap holds one`, 'split it per interface first (e.g. `tshark -r FILE -w OUT -Y frame.interface_id==0`)');
  }
  return types[0] ?? 1;
}

export function newRewriteContext(mapping: AddressMapping | AddressCollector, options: AnonymizeOptions): RewriteContext {
  const checksums = !(mapping instanceof AddressCollector);
  return { map: mapping, keepPayload: options.keepPayload ?? false, dns: options.dns ?? 'rewrite', checksums, lenDelta: 0, scratch: new Uint8Array(70_000),
    outEnd: 0, frame: { t: 0, end: 0, complete: false, pseudoOld: 0, pseudoNew: 0, pseudoRest: 0, v6: false } };
}

/**
 * Pass 1: every address of a capture, and its link types. The lean scan (collect-frame.ts) reads
 * each frame where it lies; a frame it does not cover goes through the rewriter with the
 * collector. Either way the collector sees exactly the addresses the rewrite will map.
 */
export function collectCaptureAddresses(inPath: string, options: AnonymizeOptions): { collector: AddressCollector; linkTypes: Set<number>; first: CaptureSummary } {
  const collector = new AddressCollector();
  const collectCtx = newRewriteContext(collector, options);
  const dnsRewrite = collectCtx.dns === 'rewrite';
  const linkTypes = new Set<number>();
  const scratchOut = new Uint8Array(SCRATCH_OUT);
  const res: FrameResult = { capLen: 0, lenDelta: 0 };
  let lastLink = -1;
  let supported = false;
  const first = readCapture(inPath, (r) => {
    if (r.linkType !== lastLink) { linkTypes.add(r.linkType); lastLink = r.linkType; supported = SUPPORTED_LINK_TYPES.has(r.linkType); }
    if (!supported) return;
    if (collectFrame(r.buffer, r.offset, r.offset + r.capLen, r.linkType, collector, dnsRewrite)) return;
    rewriteFrame(r.data, r.linkType, bufFor(scratchOut, r.capLen), collectCtx, res);
  });
  return { collector, linkTypes, first };
}

export function anonymizeCapture(inPath: string, outPath: string, options: AnonymizeOptions): AnonymizeResult {
  const prepared = prepareMapping(options);
  const { mapping } = prepared;
  // Pass 1: every address, every link type.
  const { collector, linkTypes, first } = collectCaptureAddresses(inPath, options);
  const linkType = checkLinkType(inPath, linkTypes.size ? linkTypes : new Set([first.linkType]));
  checkAgainstCapture(options, prepared, collector);
  mapping.prepare(collector);

  // Pass 2: rewrite.
  const ctx = newRewriteContext(mapping, options);
  const res: FrameResult = { capLen: 0, lenDelta: 0 };
  const writer = new PcapWriter(outPath, { linkType, snaplen: first.snaplen || 262144, nanosecond: true });
  let packetsCut = 0;
  let firstTime: number | null = null;
  try {
    // Each frame is copied straight into the writer's buffer and rewritten there, with the room
    // a rebuilt message may grow into that a scratch buffer of its own (bufFor) would give.
    readCapture(inPath, (r) => {
      const n = r.capLen;
      const room = roomFor(n);
      const at = writer.reserve(room);
      const out = writer.buffer;
      out.set(new Uint8Array(r.buffer.buffer, r.buffer.byteOffset + r.offset, n), at);
      rewriteFrameIn(out, at, n, at + room, r.linkType, ctx, res);
      if (res.capLen < n) packetsCut++;
      writer.commit(r.tsSec, r.tsNsec, r.origLen + res.lenDelta, res.capLen);
      if (firstTime === null) firstTime = r.tsSec + r.tsNsec / 1e9;
    });
  } finally {
    writer.close();
  }
  const json = mapping ? mappingToJson(mapping, options.mode, options.seed) : undefined!;
  return {
    packets: writer.packets,
    linkType,
    packetsCut,
    mapping: json,
    counts: { ipv4: Object.keys(json.ipv4).length, ipv6: Object.keys(json.ipv6).length, mac: Object.keys(json.mac).length },
    warnings: first.warnings,
    firstTime,
  };
}

const SCRATCH_OUT = 1 << 18;

function bufFor(scratch: Uint8Array, n: number): Uint8Array {
  return n + 1024 <= scratch.length ? scratch : new Uint8Array(n + 70_000);
}

/** Bytes a frame of `n` may be rewritten into: the length of the buffer bufFor gives it. */
function roomFor(n: number): number {
  return n + 1024 <= SCRATCH_OUT ? SCRATCH_OUT : n + 70_000;
}
