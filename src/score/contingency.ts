// Contingency table of clusters x {benign, scan}: every score in this folder is a function of it,
// so scoring is O(rows) and never O(n^2).

/** Packet counts per row: either a Float64Array (may be fractional) or a Uint32Array. */
export type RowWeights = Float64Array | Uint32Array;

/**
 * What to score. Three forms:
 * - per row: `labels` only, every row counts 1;
 * - per packet, one label per row: `labels` and `weights` (every packet of a row keeps the row's label);
 * - per packet, mixed rows: `weights` (packets per row) and `scanWeights` (scan packets per row);
 *   a row with 10 packets of which 3 are scan adds 3 scan and 7 benign packets to its cluster.
 */
export type ScoreInput =
  | { clusters: Int32Array; labels: Uint8Array; weights?: RowWeights }
  | { clusters: Int32Array; weights: RowWeights; scanWeights: RowWeights };

export type Contingency = {
  /** Original cluster ids that hold any weight, ascending. Ids with zero weight are left out, as
   * sklearn only sees labels that occur. */
  readonly clusterIds: Int32Array;
  readonly benign: Float64Array;
  readonly scan: Float64Array;
};

/** Builds the table; cluster ids may have gaps or be negative. */
export function contingency(input: ScoreInput): Contingency {
  const { clusters } = input;
  const n = clusters.length;
  const weights = input.weights;
  const scanWeights = 'scanWeights' in input ? input.scanWeights : undefined;
  const labels = 'labels' in input ? input.labels : undefined;
  if (weights && weights.length !== n) throw new RangeError(`weights has ${weights.length} entries, clusters ${n}`);
  if (scanWeights && scanWeights.length !== n) throw new RangeError(`scanWeights has ${scanWeights.length} entries, clusters ${n}`);
  if (labels && labels.length !== n) throw new RangeError(`labels has ${labels.length} entries, clusters ${n}`);

  let min = 0;
  let max = -1;
  for (let i = 0; i < n; i++) {
    const c = clusters[i];
    if (i === 0 || c < min) min = c;
    if (i === 0 || c > max) max = c;
  }
  // Dense by offset when ids are compact (the usual 0..k-1); a Map otherwise.
  const span = max - min + 1;
  const dense = span <= 4 * n + 1024;
  const slot = dense ? null : new Map<number, number>();
  const idsOf: number[] = [];
  const size = dense ? span : 0;
  let benign = new Float64Array(size);
  let scan = new Float64Array(size);
  for (let i = 0; i < n; i++) {
    let s: number;
    if (slot) {
      const found = slot.get(clusters[i]);
      if (found === undefined) {
        s = idsOf.length;
        slot.set(clusters[i], s);
        idsOf.push(clusters[i]);
        if (s >= benign.length) {
          const grow = (a: Float64Array) => { const b = new Float64Array(Math.max(16, a.length * 2)); b.set(a); return b; };
          benign = grow(benign);
          scan = grow(scan);
        }
      } else s = found;
    } else s = clusters[i] - min;
    const w = weights ? weights[i] : 1;
    if (scanWeights) {
      scan[s] += scanWeights[i];
      benign[s] += w - scanWeights[i];
    } else if (labels![i] === 1) scan[s] += w;
    else benign[s] += w;
  }

  const order = slot ? idsOf.map((id, s) => [id, s] as const).sort((a, b) => a[0] - b[0]) : null;
  const count = slot ? idsOf.length : span > 0 ? span : 0;
  const ids: number[] = [];
  const outBenign: number[] = [];
  const outScan: number[] = [];
  for (let j = 0; j < count; j++) {
    const [id, s] = order ? order[j] : [min + j, j];
    if (benign[s] + scan[s] > 0) {
      ids.push(id);
      outBenign.push(benign[s]);
      outScan.push(scan[s]);
    }
  }
  return { clusterIds: Int32Array.from(ids), benign: Float64Array.from(outBenign), scan: Float64Array.from(outScan) };
}
