// flows.csv: one row per flow with CIC-IDS2017's columns (flow-columns.ts), computed from a capture
// and, when there is one, its labels.csv. Written in large chunks, one flow at a time, as the
// capture streams past (flow-stream.ts): memory holds the open flows, not the capture.

import { closeSync, openSync, writeSync } from 'node:fs';
import { decodeCapture } from '../capture/decode/decode-capture.ts';
import { readCapture } from '../capture/pcap-file.ts';
import { assembleFlows } from './flow-assembly.ts';
import { FLOW_COLUMN_NAMES } from './flow-columns.ts';
import { streamFlowRows } from './flow-stream.ts';
import { FlowAccumulator, type FlowValue } from './flow-values.ts';
import { PACKET_LABEL, readPacketLabels, type PacketLabels } from './packet-labels.ts';

/** What flows.csv is built from: the capture, its labels, and whether it can be streamed. */
export interface FlowTable {
  readonly pcapPath: string;
  readonly packets: number;
  /** Timestamps never go back: flows are built while the capture streams past (flow-stream.ts). */
  readonly inTimeOrder: boolean;
  readonly labels: PacketLabels | null;
}

export interface FlowsCsvResult {
  readonly flows: number;
  readonly byLabel: Record<string, number>;
}

/** Reads what the flows need besides the capture: its packet count and time order, and labels.csv (optional). */
export function buildFlowTable(pcapPath: string, labelsPath?: string): FlowTable {
  const { packets, inTimeOrder } = timeOrder(pcapPath);
  const labels = labelsPath ? readPacketLabels(labelsPath, packets) : null;
  return { pcapPath, packets, inTimeOrder, labels };
}

export interface FlowRowOptions {
  /** Packets per decoded chunk when streaming. */
  readonly chunkPackets?: number;
  /** Seconds; CICFlowMeter's 120 s when left out. */
  readonly flowTimeout?: number;
  /** Decode the whole capture even when it could stream (the reference the tests compare with). */
  readonly whole?: boolean;
}

/**
 * Calls `each` with every flow's row, in order of the flows' first packets; returns the flow count.
 * Memory holds the open flows only, unless the capture's clock goes back somewhere: then the
 * capture is decoded whole (flow-assembly.ts), which gives the same rows.
 */
export function forEachFlowRow(table: FlowTable, each: (row: FlowValue[]) => void, options: FlowRowOptions = {}): number {
  if (table.inTimeOrder && !options.whole) return streamFlowRows(table.pcapPath, table.labels, each, options).flows;
  const decoded = decodeCapture(table.pcapPath);
  const flows = assembleFlows(decoded, options.flowTimeout);
  const { columns: c } = decoded;
  const labels = table.labels;
  const steps = labels ? { steps: labels.steps } : null;
  for (let f = 0; f < flows.count; f++) {
    const acc = new FlowAccumulator(c, flows.firstPacket[f], flows.firstPacket[f]);
    for (let k = flows.start[f]; k < flows.start[f + 1]; k++) {
      const p = flows.packetsInFlow[k];
      acc.add(c, p, labels ? labels.label[p] : PACKET_LABEL.NONE, labels ? labels.step[p] : 0);
    }
    each(acc.row(decoded.addresses, decoded.start, steps));
  }
  return flows.count;
}

/** Packets in the capture, and whether their timestamps never go back (one pass over the record headers). */
function timeOrder(pcapPath: string): { packets: number; inTimeOrder: boolean } {
  let lastSec = -Infinity;
  let lastNsec = 0;
  let inTimeOrder = true;
  const summary = readCapture(pcapPath, (r) => {
    if (r.tsSec < lastSec || (r.tsSec === lastSec && r.tsNsec < lastNsec)) inTimeOrder = false;
    lastSec = r.tsSec;
    lastNsec = r.tsNsec;
  });
  return { packets: summary.packets, inTimeOrder };
}

export function writeFlowsCsv(table: FlowTable, csvPath: string): FlowsCsvResult {
  const fd = openSync(csvPath, 'w');
  const byLabel = new Map<string, number>();
  const labelAt = FLOW_COLUMN_NAMES.indexOf('Label');
  let chunk = FLOW_COLUMN_NAMES.map(csvField).join(',') + '\n';
  let count = 0;
  try {
    count = forEachFlowRow(table, (row) => {
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
  return { flows: count, byLabel: Object.fromEntries([...byLabel].sort((a, b) => (a[0] < b[0] ? -1 : 1))) };
}

/** A number with float noise cut at 15 significant digits; strings quoted only when they must be. */
export function csvField(v: FlowValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
