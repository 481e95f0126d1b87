// Streaming reader and writer for capture files: classic pcap (µs and ns, both byte orders)
// and pcapng (SHB/IDB/EPB/SPB/OPB, per-interface link type and timestamp resolution).
// Pure file I/O: no decoding here. The reader hands each record to a synchronous callback with
// a view into a reused chunk, so a million packets cost no per-packet allocation.

import { openSync, readSync, closeSync, fstatSync, writeSync } from 'node:fs';
import { UserError } from '../errors.ts';

/** Link-layer header types (tcpdump.org/linktypes.html) scanlab decodes. */
/** 1f 8b, the first bytes of a gzip file, as a little-endian 16-bit number. */
const GZIP_MAGIC = 0x8b1f;

export const LINKTYPE = { ETHERNET: 1, RAW: 101, LINUX_SLL: 113, IPV4: 228, IPV6: 229, LINUX_SLL2: 276 } as const;

export interface PacketRecord {
  /** 0-based position in the file, counting packets only. */
  readonly index: number;
  /** Whole seconds of the timestamp. */
  readonly tsSec: number;
  /** Fraction of the second in nanoseconds (exact, whatever the file's resolution). */
  readonly tsNsec: number;
  /** Bytes captured (length of `data`). */
  readonly capLen: number;
  /** Bytes on the wire. */
  readonly origLen: number;
  readonly linkType: number;
  /** View into a reused buffer: valid only during the callback. Copy it to keep it. */
  readonly data: Uint8Array;
  /**
   * The reused buffer itself and where this packet's bytes start in it (`capLen` of them): for a
   * hot loop that reads the bytes in place and would rather not pay for the `data` view.
   * Valid only during the callback.
   */
  readonly buffer: Uint8Array;
  readonly offset: number;
  /** Byte offset of the packet's first captured byte in the file. */
  readonly fileOffset: number;
  /** Bytes of record or block header in front of the packet's data (16 in pcap, 28 in an EPB). */
  readonly headerBytes: number;
}

/** What a decoder reads of a record, whoever read it (the whole-file reader, or capture/pcap-tail.ts). */
export type PacketFields = Pick<PacketRecord, 'tsSec' | 'tsNsec' | 'capLen' | 'origLen' | 'linkType' | 'data'>;

/** The one record object a read hands to every callback; `data` is made on first use. */
class Record implements PacketRecord {
  index = 0;
  tsSec = 0;
  tsNsec = 0;
  capLen = 0;
  origLen = 0;
  linkType = 0;
  buffer: Uint8Array = new Uint8Array(0);
  offset = 0;
  fileOffset = 0;
  headerBytes = 0;
  private view: Uint8Array | undefined = undefined;
  get data(): Uint8Array {
    // A plain view: Buffer#subarray costs a FastBuffer per packet.
    return (this.view ??= new Uint8Array(this.buffer.buffer, this.buffer.byteOffset + this.offset, this.capLen));
  }
  /** Points the record at the next packet's bytes. */
  at(buffer: Uint8Array, offset: number, capLen: number): void {
    this.buffer = buffer;
    this.offset = offset;
    this.capLen = capLen;
    this.view = undefined;
  }
}

export interface CaptureSummary {
  readonly format: 'pcap' | 'pcapng';
  /** Link type of the first interface (classic pcap has one). */
  readonly linkType: number;
  readonly snaplen: number;
  readonly packets: number;
  /** The file ended inside a record: everything before it was read. */
  readonly truncated: boolean;
  /** Human-readable warnings (truncation, skipped blocks). */
  readonly warnings: string[];
}

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const CHUNK = 1024 * 1024;

/** Sequential reader over a file descriptor that keeps the unread tail of its chunk. */
class ChunkedFile {
  private buf = Buffer.allocUnsafe(CHUNK);
  /** The same memory as a plain Uint8Array, the one element kind every byte-level reader sees. */
  private u8 = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  private start = 0;
  private end = 0;
  private filePos = 0;
  /** File offset of buf[start]. */
  get offset(): number {
    return this.filePos - (this.end - this.start);
  }
  constructor(private readonly fd: number) {}

  /** Makes `n` bytes available at buf[start]; false at end of file before `n` bytes. */
  ensure(n: number): boolean {
    if (this.end - this.start >= n) return true;
    if (n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
      this.buf.copy(bigger, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
      this.buf = bigger;
      this.u8 = new Uint8Array(bigger.buffer, bigger.byteOffset, bigger.length);
    } else if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    while (this.end - this.start < n) {
      const got = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.filePos);
      if (got === 0) return false;
      this.end += got;
      this.filePos += got;
    }
    return true;
  }
  available(): number {
    return this.end - this.start;
  }
  view(): Buffer {
    return this.buf;
  }
  bytes(): Uint8Array {
    return this.u8;
  }
  pos(): number {
    return this.start;
  }
  skip(n: number): void {
    this.start += n;
  }
}

/**
 * Reads every packet of a pcap or pcapng file in order. Throws UserError for a file that is not
 * a capture; a file cut mid-record returns what it could read with `truncated: true`.
 */
export function readCapture(path: string, onPacket: (record: PacketRecord) => void): CaptureSummary {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new UserError(`cannot open capture file ${path}: ${(cause as Error).message}`, 'check the path and that you may read it', { cause });
  }
  try {
    const size = fstatSync(fd).size;
    const file = new ChunkedFile(fd);
    if (!file.ensure(4)) {
      throw new UserError(`${path} is not a capture file: it is ${size === 0 ? 'empty' : `only ${size} bytes`}`, 'give a pcap or pcapng file (tcpdump -w, Wireshark, scanlab run)');
    }
    const magic = file.view().readUInt32LE(file.pos());
    if (magic === PCAPNG_SHB) return readPcapng(path, file, onPacket);
    if ((magic & 0xffff) === GZIP_MAGIC) {
      throw new UserError(`${path} is gzip-compressed, not a pcap or pcapng file`, `unpack it first: gunzip -k ${path} (or: zcat ${path} > capture.pcap), then give the unpacked file`);
    }
    return readClassic(path, file, onPacket);
  } finally {
    closeSync(fd);
  }
}

/** Unsigned 32-bit field in either byte order, read without a Buffer method call. */
function u32At(b: Uint8Array, o: number, little: boolean): number {
  return little
    ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
    : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

function notACapture(path: string, detail: string): UserError {
  return new UserError(`${path} is not a pcap or pcapng capture (${detail})`, 'give a file written by tcpdump -w, Wireshark/tshark or scanlab');
}

/**
 * The largest record scanlab accepts: libpcap's maximum snaplen (MAXIMUM_SNAPLEN), also
 * Wireshark's limit for Ethernet and IP. A length above it is corruption, whatever the file's
 * own snaplen says (a snaplen of 0xFFFFFFFF is common and means "no limit", not "4 GiB records").
 */
export const MAX_RECORD_BYTES = 262144;
/** The largest pcapng block: a maximal packet plus generous room for options. */
const MAX_BLOCK_BYTES = MAX_RECORD_BYTES + 65536;

/** The message for a record or block whose lengths cannot be right: which, where, and what was kept. */
function corruptRecord(what: string, offset: number, detail: string, kept: number): string {
  return `${what} at byte ${offset}: ${detail}; kept the ${kept} packet${kept === 1 ? '' : 's'} before it, the rest of the file was not read`;
}

function readClassic(path: string, file: ChunkedFile, onPacket: (r: PacketRecord) => void): CaptureSummary {
  if (!file.ensure(24)) throw notACapture(path, 'shorter than a pcap file header');
  const b = file.view();
  const p = file.pos();
  const magicLE = b.readUInt32LE(p);
  const magicBE = b.readUInt32BE(p);
  let little: boolean;
  let nano: boolean;
  if (magicLE === PCAP_MAGIC_US || magicLE === PCAP_MAGIC_NS) {
    little = true;
    nano = magicLE === PCAP_MAGIC_NS;
  } else if (magicBE === PCAP_MAGIC_US || magicBE === PCAP_MAGIC_NS) {
    little = false;
    nano = magicBE === PCAP_MAGIC_NS;
  } else {
    throw notACapture(path, `unknown magic number 0x${magicBE.toString(16).padStart(8, '0')}`);
  }
  const u32 = little ? (o: number) => file.view().readUInt32LE(o) : (o: number) => file.view().readUInt32BE(o);
  const snaplen = u32(p + 16);
  const linkType = u32(p + 20) & 0x0fffffff;
  file.skip(24);
  const warnings: string[] = [];
  let index = 0;
  let truncated = false;
  const record = new Record();
  record.linkType = linkType;
  const fracLimit = nano ? 1e9 : 1e6;
  for (;;) {
    if (!file.ensure(16)) {
      if (file.available() > 0) truncated = true;
      break;
    }
    const hb = file.bytes();
    const h = file.pos();
    const tsSec = u32At(hb, h, little);
    const frac = u32At(hb, h + 4, little);
    const capLen = u32At(hb, h + 8, little);
    const origLen = u32At(hb, h + 12, little);
    // Every length is checked before it sizes a read: incl_len against the hard limit, the
    // fraction against its unit (a header read out of step with the records fails both).
    let bad: string | undefined;
    if (capLen > MAX_RECORD_BYTES) bad = `incl_len ${capLen} exceeds the ${MAX_RECORD_BYTES}-byte record limit (the file's snaplen is ${snaplen})`;
    else if (frac >= fracLimit) bad = `timestamp fraction ${frac} is not below ${fracLimit} (${nano ? 'ns' : 'µs'}), so this is no record header`;
    if (bad) {
      warnings.push(`${path}: ${corruptRecord(`record ${index + 1}`, file.offset, bad, index)}`);
      truncated = true;
      break;
    }
    if (!file.ensure(16 + capLen)) {
      truncated = true;
      break;
    }
    const buf = file.bytes();
    const start = file.pos() + 16;
    record.index = index;
    record.tsSec = tsSec;
    record.tsNsec = nano ? frac : frac * 1000;
    // orig_len below incl_len is impossible on the wire; the captured bytes are what is known.
    record.origLen = origLen < capLen ? capLen : origLen;
    record.fileOffset = file.offset + 16;
    record.headerBytes = 16;
    record.at(buf, start, capLen);
    onPacket(record);
    file.skip(16 + capLen);
    index++;
  }
  if (truncated && warnings.length === 0) {
    warnings.push(`${path} ends in the middle of packet ${index + 1} (cut short, e.g. by a killed capture); ${index} whole packets were read`);
  }
  return { format: 'pcap', linkType, snaplen, packets: index, truncated, warnings };
}

interface NgInterface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second. */
  unitsPerSec: bigint;
}

/** Smallest total length of each pcapng block type scanlab reads (header, fixed fields, trailer). */
const MIN_BLOCK: { readonly [type: number]: number } = { [PCAPNG_SHB]: 28, 1: 20, 2: 32, 3: 16, 6: 32 };

function readPcapng(path: string, file: ChunkedFile, onPacket: (r: PacketRecord) => void): CaptureSummary {
  const warnings: string[] = [];
  let little = true;
  let interfaces: NgInterface[] = [];
  let index = 0;
  let truncated = false;
  let firstLink = -1;
  let firstSnap = 0;
  const record = new Record();
  /** Stops reading at a block that cannot be right; before any packet the file is no capture. */
  const corrupt = (what: string, offset: number, detail: string): void => {
    if (index === 0 && interfaces.length === 0) throw notACapture(path, `${what} at byte ${offset}: ${detail}`);
    warnings.push(`${path}: ${corruptRecord(what, offset, detail, index)}`);
    truncated = true;
  };
  for (;;) {
    if (!file.ensure(12)) {
      if (file.available() > 0) truncated = true;
      break;
    }
    let b = file.view();
    const p = file.pos();
    const at = file.offset;
    const typeLE = b.readUInt32LE(p);
    if (typeLE === PCAPNG_SHB) {
      const bom = b.readUInt32LE(p + 8);
      if (bom === BYTE_ORDER_MAGIC) little = true;
      else if (b.readUInt32BE(p + 8) === BYTE_ORDER_MAGIC) little = false;
      else {
        corrupt('section header block', at, 'bad byte-order magic');
        break;
      }
      interfaces = [];
    }
    const u32 = (o: number) => (little ? file.view().readUInt32LE(o) : file.view().readUInt32BE(o));
    const u16 = (o: number) => (little ? file.view().readUInt16LE(o) : file.view().readUInt16BE(o));
    const type = u32(p);
    const len = u32(p + 4);
    const name = `block ${blockName(type)}`;
    const min = MIN_BLOCK[type] ?? 12;
    if (len < min || len % 4 !== 0 || len > MAX_BLOCK_BYTES) {
      corrupt(name, at, `block total length ${len} is ${len % 4 !== 0 ? 'not a multiple of 4' : len < min ? `below the ${min} bytes this block type needs` : `above the ${MAX_BLOCK_BYTES}-byte limit`}`);
      break;
    }
    if (!file.ensure(len)) {
      truncated = true;
      break;
    }
    b = file.view();
    const q = file.pos();
    const trailer = u32(q + len - 4);
    if (trailer !== len) {
      corrupt(name, at, `block total length ${len} at its start but ${trailer} at its end`);
      break;
    }
    if (type === 1) {
      // Interface Description Block: link type, snaplen, options (if_tsresol).
      const linkType = u16(q + 8);
      const snaplen = u32(q + 12);
      let unitsPerSec = 1_000_000n;
      let o = q + 16;
      const optionsEnd = q + len - 4;
      let badOption: string | undefined;
      while (o + 4 <= optionsEnd) {
        const code = u16(o);
        const olen = u16(o + 2);
        if (code === 0) break;
        if (o + 4 + olen > optionsEnd) {
          badOption = `option ${code} at byte ${at + (o - q)} claims ${olen} bytes, past the end of its block`;
          break;
        }
        if (code === 9 && olen >= 1) {
          const v = b[o + 4];
          // if_tsresol: 10^-n or 2^-n seconds; beyond 10^-18 / 2^-63 no clock exists.
          const exp = v & 0x7f;
          if ((v & 0x80 ? exp > 63 : exp > 18)) {
            badOption = `if_tsresol ${v} (units of ${v & 0x80 ? '2' : '10'}^-${exp} s) is no real clock`;
            break;
          }
          unitsPerSec = v & 0x80 ? 2n ** BigInt(exp) : 10n ** BigInt(exp);
        }
        o += 4 + ((olen + 3) & ~3);
      }
      if (badOption) {
        corrupt(`interface description block ${interfaces.length}`, at, badOption);
        break;
      }
      interfaces.push({ linkType, snaplen, unitsPerSec });
      if (firstLink < 0) {
        firstLink = linkType;
        firstSnap = snaplen;
      }
    } else if (type === 6 || type === 3 || type === 2) {
      let ifId: number;
      let capLen: number;
      let origLen: number;
      let dataStart: number;
      let ts = 0n;
      if (type === 6 || type === 2) {
        // Enhanced (6) or obsolete Packet Block (2): interface id, timestamp, lengths.
        ifId = type === 6 ? u32(q + 8) : u16(q + 8);
        ts = (BigInt(u32(q + 12)) << 32n) | BigInt(u32(q + 16));
        capLen = u32(q + 20);
        origLen = u32(q + 24);
        dataStart = q + 28;
      } else {
        // Simple Packet Block: interface 0, no timestamp, captured length implied by the block.
        ifId = 0;
        origLen = u32(q + 8);
        capLen = Math.min(origLen, len - 16);
        dataStart = q + 12;
      }
      const iface = interfaces[ifId];
      const room = len - (dataStart - q) - 4;
      const what = `packet ${index + 1} (${blockName(type)})`;
      if (!iface) {
        corrupt(what, at, `names interface ${ifId}, but ${interfaces.length === 0 ? 'no interface was described before it' : `only ${interfaces.length} were described`}`);
        break;
      }
      if (capLen > room) {
        corrupt(what, at, `captured length ${capLen} exceeds the ${room} bytes its block holds`);
        break;
      }
      if (capLen > MAX_RECORD_BYTES) {
        corrupt(what, at, `captured length ${capLen} exceeds the ${MAX_RECORD_BYTES}-byte record limit`);
        break;
      }
      const sec = ts / iface.unitsPerSec;
      const rem = ts % iface.unitsPerSec;
      record.index = index;
      record.tsSec = Number(sec);
      record.tsNsec = Number((rem * 1_000_000_000n) / iface.unitsPerSec);
      record.origLen = origLen < capLen ? capLen : origLen;
      record.linkType = iface.linkType;
      record.fileOffset = at + (dataStart - q);
      record.headerBytes = dataStart - q;
      record.at(file.bytes(), dataStart, capLen);
      onPacket(record);
      index++;
    } else if (type !== PCAPNG_SHB && index === 0 && interfaces.length === 0 && type > 0x0fffffff) {
      throw notACapture(path, `unknown block type 0x${type.toString(16)}`);
    }
    file.skip(len);
  }
  if (firstLink < 0 && index === 0 && !truncated) {
    // A pcapng with a section header only: an empty capture.
    firstLink = LINKTYPE.ETHERNET;
  }
  if (truncated && warnings.length === 0) {
    warnings.push(`${path} ends in the middle of a block after ${index} packets (cut short, e.g. by a killed capture); ${index} whole packets were read`);
  }
  return { format: 'pcapng', linkType: firstLink, snaplen: firstSnap, packets: index, truncated, warnings };
}

function blockName(type: number): string {
  switch (type) {
    case PCAPNG_SHB: return 'SHB';
    case 1: return 'IDB';
    case 2: return 'PB';
    case 3: return 'SPB';
    case 5: return 'ISB';
    case 6: return 'EPB';
    default: return `type 0x${type.toString(16)}`;
  }
}

/**
 * Buffered classic-pcap writer (nanosecond magic keeps timestamps exact). Each record header
 * and body is copied into a large buffer, flushed when full and on close. `reserve` and `commit`
 * let a caller build a record's bytes in the buffer itself instead of copying them in.
 */
export class PcapWriter {
  private readonly fd: number;
  private buf = new Uint8Array(4 * 1024 * 1024);
  private used = 0;
  packets = 0;

  constructor(path: string, options: { linkType: number; snaplen?: number; nanosecond?: boolean }) {
    this.fd = openSync(path, 'w');
    this.nano = options.nanosecond ?? true;
    const header = Buffer.alloc(24);
    header.writeUInt32LE(this.nano ? PCAP_MAGIC_NS : PCAP_MAGIC_US, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(options.snaplen ?? 262144, 16);
    header.writeUInt32LE(options.linkType, 20);
    this.append(header);
  }
  private readonly nano: boolean;

  /** Appends one record; `tsNsec` is always nanoseconds (converted for a µs file). */
  write(tsSec: number, tsNsec: number, origLen: number, data: Uint8Array): void {
    const o = this.reserve(data.length);
    this.buf.set(data, o);
    this.commit(tsSec, tsNsec, origLen, data.length);
  }

  /**
   * Makes room for a record of up to `room` bytes and returns where its bytes go in `buffer`
   * (valid until the next write, reserve or flush). `commit` then adds the record.
   */
  reserve(room: number): number {
    if (this.used + 16 + room > this.buf.length) this.flush();
    if (16 + room > this.buf.length) this.buf = new Uint8Array(16 + room);
    return this.used + 16;
  }

  /** The buffer `reserve` points into. */
  get buffer(): Uint8Array {
    return this.buf;
  }

  /** Adds the record whose `capLen` bytes were put at the offset `reserve` returned. */
  commit(tsSec: number, tsNsec: number, origLen: number, capLen: number): void {
    const b = this.buf;
    const o = this.used;
    put32le(b, o, tsSec >>> 0);
    put32le(b, o + 4, this.nano ? tsNsec : Math.floor(tsNsec / 1000));
    put32le(b, o + 8, capLen);
    put32le(b, o + 12, origLen);
    this.used = o + 16 + capLen;
    this.packets++;
  }

  private append(bytes: Uint8Array): void {
    if (this.used + bytes.length > this.buf.length) this.flush();
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off);
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function put32le(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = v >>> 24;
}
