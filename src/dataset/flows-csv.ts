// flows.csv: one row per flow with CIC-IDS2017's columns (flow-columns.ts), computed from a capture
// and, when there is one, its labels.csv. Written in large chunks, one flow at a time.

import { closeSync, openSync, writeSync } from 'node:fs';
import { decodeCapture, type DecodedCapture } from '../capture/decode/decode-capture.ts';
import { assembleFlows, type FlowAssembly } from './flow-assembly.ts';
import { FLOW_COLUMN_NAMES } from './flow-columns.ts';
import { FlowValues, type FlowValue } from './flow-values.ts';
import { readPacketLabels, type PacketLabels } from './packet-labels.ts';

export interface FlowTable {
  readonly decoded: DecodedCapture;
  readonly flows: FlowAssembly;
  readonly labels: PacketLabels | null;
}

export interface FlowsCsvResult {
  readonly flows: number;
  readonly byLabel: Record<string, number>;
}

/** Decodes the capture and assembles its flows; labels.csv (optional) labels them. */
export function buildFlowTable(pcapPath: string, labelsPath?: string): FlowTable {
  const decoded = decodeCapture(pcapPath);
  const flows = assembleFlows(decoded);
  const labels = labelsPath ? readPacketLabels(labelsPath, decoded.packets) : null;
  return { decoded, flows, labels };
}

/** Calls `each` with every flow's row, in order of the flows' first packets. */
export function forEachFlowRow(table: FlowTable, each: (row: FlowValue[]) => void): void {
  const values = new FlowValues(table.decoded, table.flows, table.labels);
  for (let f = 0; f < table.flows.count; f++) each(values.row(f));
}

export function writeFlowsCsv(table: FlowTable, csvPath: string): FlowsCsvResult {
  const fd = openSync(csvPath, 'w');
  const byLabel = new Map<string, number>();
  const labelAt = FLOW_COLUMN_NAMES.indexOf('Label');
  let chunk = FLOW_COLUMN_NAMES.map(csvField).join(',') + '\n';
  try {
    forEachFlowRow(table, (row) => {
      const label = String(row[labelAt]);
      if (label) byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
      chunk += row.map(csvField).join(',') + '\n';
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    });
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return { flows: table.flows.count, byLabel: Object.fromEntries([...byLabel].sort((a, b) => (a[0] < b[0] ? -1 : 1))) };
}

/** A number with float noise cut at 15 significant digits; strings quoted only when they must be. */
export function csvField(v: FlowValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
