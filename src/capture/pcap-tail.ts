// Reads a classic pcap file while another process is still writing it (the capture agent's
// own writer, flushed every 100 ms): each poll hands on the whole records appended since the last one and keeps a
// record cut by the writer's buffer for the next poll. Only classic pcap: that is what
// the agent writes. Reading never touches the writer, so it cannot slow the capture.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MAX_RECORD_BYTES, type PacketFields } from './pcap-file.ts';
import { UserError } from '../errors.ts';

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;

/** The fields of one record the decoder reads (as the whole-file reader gives them); `data` is valid only during the callback. */
export type TailRecord = PacketFields;

export class PcapTail {
  private fd: number | undefined;
  /** File offset of the first byte not yet handed on. */
  private offset = 0;
  private header: { little: boolean; nano: boolean; linkType: number } | undefined;
  private buf = Buffer.allocUnsafe(1 << 20);
  /** Records handed on so far. */
  records = 0;

  constructor(private readonly path: string) {}

  /** Hands on every whole record appended since the last poll, at most `limit`; returns how many. */
  poll(onRecord: (r: TailRecord) => void, limit = Infinity): number {
    if (this.fd === undefined) {
      try {
        this.fd = openSync(this.path, 'r');
      } catch {
        return 0; // the agent has not created it yet
      }
    }
    const size = fstatSync(this.fd).size;
    if (!this.header) {
      if (size < 24) return 0;
      this.header = this.readHeader();
      this.offset = 24;
    }
    let handed = 0;
    while (this.offset + 16 <= size && handed < limit) {
      const want = Math.min(size - this.offset, this.buf.length);
      const got = readSync(this.fd, this.buf, 0, want, this.offset);
      let p = 0;
      const { little, nano, linkType } = this.header;
      while (p + 16 <= got && handed < limit) {
        const u32 = (o: number) => (little ? this.buf.readUInt32LE(o) : this.buf.readUInt32BE(o));
        const capLen = u32(p + 8);
        if (capLen > MAX_RECORD_BYTES) throw new UserError(`${this.path}: record at byte ${this.offset + p} claims ${capLen} bytes, above the ${MAX_RECORD_BYTES}-byte limit`, 'the live capture file is damaged; the run goes on, analyse the capture afterwards');
        if (p + 16 + capLen > got) break;
        const frac = u32(p + 4);
        const origLen = u32(p + 12);
        onRecord({
          tsSec: u32(p),
          tsNsec: nano ? frac : frac * 1000,
          capLen,
          origLen: origLen < capLen ? capLen : origLen,
          linkType,
          data: new Uint8Array(this.buf.buffer, this.buf.byteOffset + p + 16, capLen),
        });
        p += 16 + capLen;
        handed++;
      }
      if (p === 0) {
        // A record larger than the buffer, or one still being written.
        if (this.offset + 16 + (little ? this.buf.readUInt32LE(8) : this.buf.readUInt32BE(8)) <= size && got === this.buf.length) this.buf = Buffer.allocUnsafe(this.buf.length * 2);
        else break;
      }
      this.offset += p;
    }
    this.records += handed;
    return handed;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private readHeader(): { little: boolean; nano: boolean; linkType: number } {
    const head = Buffer.alloc(24);
    readSync(this.fd!, head, 0, 24, 0);
    const le = head.readUInt32LE(0);
    const be = head.readUInt32BE(0);
    const little = le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS;
    if (!little && be !== PCAP_MAGIC_US && be !== PCAP_MAGIC_NS) {
      throw new UserError(`${this.path} is not a classic pcap file (magic 0x${be.toString(16)})`, 'live detection tails the file the capture agent writes; give it a classic pcap file');
    }
    const nano = little ? le === PCAP_MAGIC_NS : be === PCAP_MAGIC_NS;
    const linkType = (little ? head.readUInt32LE(20) : head.readUInt32BE(20)) & 0x0fffffff;
    return { little, nano, linkType };
  }
}
