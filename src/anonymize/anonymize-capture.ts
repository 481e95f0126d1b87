// Anonymizes a capture file into a classic pcap: a first pass collects every address (so fake
// ones never equal a real one and the mapping does not depend on packet order), a second pass
// rewrites each frame. File I/O is here; every byte decision lives in the pure rewrite-*.ts.

import { PcapWriter, readCapture, type CaptureSummary } from '../capture/pcap-file.ts';
import { UserError } from '../errors.ts';
import { AddressCollector } from './address-collector.ts';
import { AddressMapping } from './address-mapping.ts';
import { collectFrame } from './collect-frame.ts';
import { parseCidr } from '../util/address-text.ts';
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
  /** Timestamp of the first packet, seconds since the epoch (null for an empty capture). */
  readonly firstTime: number | null;
}

export const DEFAULT_FAKE_V4 = '10.0.0.0/8';
export const DEFAULT_FAKE_V6 = 'fd00::/8';

export function makeMapping(options: AnonymizeOptions): AddressMapping {
  let allocator: Allocator;
  if (options.mode === 'prefix') {
    allocator = new PrefixAllocator(options.key ?? keyFromSeed(options.seed));
  } else {
    const v4 = parseCidr(options.fakeV4Range ?? DEFAULT_FAKE_V4);
    const v6 = parseCidr(options.fakeV6Range ?? DEFAULT_FAKE_V6);
    if (!v4 || v4.family !== 4) throw new UserError(`fake IPv4 range "${options.fakeV4Range}" is not an IPv4 CIDR with prefix /1 to /30`, 'use e.g. 10.0.0.0/8');
    if (!v6 || v6.family !== 6) throw new UserError(`fake IPv6 range "${options.fakeV6Range}" is not an IPv6 CIDR`, 'use e.g. fd00::/8');
    allocator = new FakerAllocator(options.seed, { v4, v6 });
  }
  const mapping = new AddressMapping(allocator);
  if (options.mappingFile) mapping.preload(readMappingFile(options.mappingFile).entries);
  return mapping;
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
  const mapping = makeMapping(options);
  // Pass 1: every address, every link type.
  const { collector, linkTypes, first } = collectCaptureAddresses(inPath, options);
  const linkType = checkLinkType(inPath, linkTypes.size ? linkTypes : new Set([first.linkType]));
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
