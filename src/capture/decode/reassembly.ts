// IP fragment reassembly (IPv4: RFC 791; IPv6: RFC 8200 section 4.5), as the receiving host and
// Zeek do it, so a datagram split into fragments (nmap -f) is decoded as the one TCP segment,
// UDP datagram or ICMP message it is. The frame that completes a datagram carries its transport
// fields; the other fragments keep only their IP fields. Bounded like a kernel's: a datagram
// whose fragments stop coming for 30 s of capture time, one with overlapping fragments that
// disagree (RFC 5722), one over 65,535 bytes, or one pushed out by the pending limits is not
// reassembled, and counted.

export const REASSEMBLY_LIMITS = {
  /** Seconds of capture time from a datagram's first fragment to its last (Linux ipfrag_time). */
  timeoutSec: 30,
  /** Datagrams waiting for fragments at once; the oldest goes first. */
  maxPending: 4096,
  /** Bytes held by waiting datagrams at once (Linux ipfrag_high_thresh is 4 MiB per namespace). */
  maxPendingBytes: 16 * 1024 * 1024,
  /** The largest datagram IPv4's total length (and IPv6 without jumbograms) can describe. */
  maxDatagram: 65535,
} as const;

export interface FragmentStats {
  /** Frames that were fragments. */
  readonly fragments: number;
  /** Datagrams whose fragments were all seen and put together. */
  readonly reassembled: number;
  /** Datagrams that could not be: missing fragments, overlaps that disagree, over a limit. */
  readonly unreassembled: number;
}

interface Piece {
  readonly start: number;
  readonly bytes: Uint8Array;
}

interface Pending {
  readonly firstTime: number;
  readonly pieces: Piece[];
  /** Payload length of the whole datagram, known once the last fragment (MF clear) is seen. */
  total: number;
  held: number;
  broken: boolean;
}

export class Reassembler {
  private readonly pending = new Map<string, Pending>();
  private heldBytes = 0;
  private fragments = 0;
  private reassembled = 0;
  private unreassembled = 0;

  /**
   * One fragment's payload, data[start, end) at byte `offset` of its datagram (`more`: MF set;
   * `claimed`: the length its header gives, more than end - start when snaplen cut the frame).
   * Returns the whole datagram's payload when this fragment completed it.
   */
  add(key: string, time: number, offset: number, more: boolean, data: Uint8Array, start: number, end: number, claimed: number): Uint8Array | undefined {
    this.fragments++;
    this.expire(time);
    let entry = this.pending.get(key);
    if (!entry) {
      if (this.pending.size >= REASSEMBLY_LIMITS.maxPending) this.dropOldest();
      entry = { firstTime: time, pieces: [], total: -1, held: 0, broken: false };
      this.pending.set(key, entry);
    }
    const length = end - start;
    if (entry.broken) return undefined;
    if (length < claimed || offset + claimed > REASSEMBLY_LIMITS.maxDatagram || (more && claimed % 8 !== 0)) {
      entry.broken = true; // cut by snaplen, too long, or a non-last fragment not a multiple of 8
      return undefined;
    }
    if (!more) {
      if (entry.total >= 0 && entry.total !== offset + claimed) entry.broken = true;
      entry.total = offset + claimed;
    }
    if (!this.insert(entry, { start: offset, bytes: data.slice(start, end) })) entry.broken = true;
    if (entry.broken) return undefined;
    while (this.heldBytes > REASSEMBLY_LIMITS.maxPendingBytes && this.pending.size > 1) this.dropOldest();
    if (!this.pending.has(key)) return undefined;
    const whole = this.complete(entry);
    if (!whole) return undefined;
    this.release(key, entry);
    this.reassembled++;
    return whole;
  }

  /** Adds a piece in order; false when it overlaps another with different bytes. */
  private insert(entry: Pending, piece: Piece): boolean {
    const end = piece.start + piece.bytes.length;
    for (const other of entry.pieces) {
      const from = Math.max(piece.start, other.start);
      const to = Math.min(end, other.start + other.bytes.length);
      for (let o = from; o < to; o++) if (piece.bytes[o - piece.start] !== other.bytes[o - other.start]) return false;
      // A repeat of bytes already held (a retransmitted fragment) adds nothing.
      if (from === piece.start && to === end) return true;
    }
    entry.pieces.push(piece);
    entry.pieces.sort((a, b) => a.start - b.start);
    entry.held += piece.bytes.length;
    this.heldBytes += piece.bytes.length;
    return true;
  }

  private complete(entry: Pending): Uint8Array | undefined {
    if (entry.total < 0) return undefined;
    let covered = 0;
    for (const p of entry.pieces) {
      if (p.start > covered) return undefined;
      covered = Math.max(covered, p.start + p.bytes.length);
    }
    if (covered < entry.total) return undefined;
    const whole = new Uint8Array(entry.total);
    for (const p of entry.pieces) whole.set(p.bytes.subarray(0, Math.max(0, Math.min(p.bytes.length, entry.total - p.start))), p.start);
    return whole;
  }

  private release(key: string, entry: Pending): void {
    this.heldBytes -= entry.held;
    this.pending.delete(key);
  }

  private dropOldest(): void {
    const [key, entry] = this.pending.entries().next().value as [string, Pending];
    this.release(key, entry);
    this.unreassembled++;
  }

  /** Datagrams are kept in first-fragment order, so the expired ones are at the front. */
  private expire(time: number): void {
    for (const [key, entry] of this.pending) {
      if (time - entry.firstTime <= REASSEMBLY_LIMITS.timeoutSec) break;
      this.release(key, entry);
      this.unreassembled++;
    }
  }

  /** At the end of the capture: whatever still waits was never completed. */
  finish(): FragmentStats {
    this.unreassembled += this.pending.size;
    this.pending.clear();
    this.heldBytes = 0;
    return { fragments: this.fragments, reassembled: this.reassembled, unreassembled: this.unreassembled };
  }
}
