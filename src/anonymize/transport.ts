// What a transport rewriter needs to know about the IP datagram around it.

export interface TransportFrame {
  /** Offset of the transport header. */
  readonly t: number;
  /** End of the datagram's bytes present in the frame (min of captured and IP length). */
  readonly end: number;
  /** Datagram wholly captured and not a fragment: checksums can be computed from scratch. */
  readonly complete: boolean;
  /** Pseudo-header sum (addresses only) before and after mapping. */
  readonly pseudoOld: number;
  readonly pseudoNew: number;
  /** Pseudo-header sum of the other fields (length, protocol) for a full recomputation. */
  readonly pseudoRest: number;
  readonly v6: boolean;
}
