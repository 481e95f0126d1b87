// --emit-rows: one line per row (row,packets,scanPackets,label,cluster) so anyone can recompute
// every score with their own tools. label is the row's majority (scan|benign), empty without labels.

export function rowsCsv(rowPackets: Uint32Array, rowScan: Float64Array, assignments: Int32Array, labelled: boolean): string {
  const lines = ['row,packets,scanPackets,label,cluster'];
  for (let r = 0; r < rowPackets.length; r++) {
    const scan = labelled ? rowScan[r] : 0;
    const label = labelled ? (2 * scan > rowPackets[r] ? 'scan' : 'benign') : '';
    lines.push(`${r},${rowPackets[r]},${labelled ? scan : ''},${label},${assignments[r]}`);
  }
  return lines.join('\n') + '\n';
}
