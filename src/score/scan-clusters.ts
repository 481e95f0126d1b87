import type { Contingency } from './contingency.ts';

/**
 * The majority rule: a cluster is "scan" when strictly more than half of its (weighted) members are
 * scan. A tie (equal scan and benign weight) counts as benign, so a detector never gets credit for a
 * coin flip. Returns the positions in `table` (not the cluster ids) of the scan clusters.
 */
export function scanClusterSlots(table: Contingency): number[] {
  const out: number[] = [];
  for (let j = 0; j < table.clusterIds.length; j++) if (table.scan[j] > table.benign[j]) out.push(j);
  return out;
}

/** The cluster ids the majority rule calls scan, ascending. */
export function scanClusterIds(table: Contingency): number[] {
  return scanClusterSlots(table).map((j) => table.clusterIds[j]);
}
