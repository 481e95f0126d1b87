// What a baseline detector hands back: a score and a decision per packet, and the hosts it
// convicted (address ids).
export interface BaselineDetection {
  readonly scores: Float64Array;
  readonly flagged: Uint8Array;
  readonly hosts: ReadonlySet<number>;
}
