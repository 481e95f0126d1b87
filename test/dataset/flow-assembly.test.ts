// Flow assembly and the columns whose rules a small hand-made capture pins down: where flows end
// (FIN of both sides, RST, timeout), single-packet flows, Active/Idle, subflows and bulks.

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LINKTYPE, PcapWriter } from '../../src/capture/pcap-file.ts';
import { FLOW_COLUMN_NAMES } from '../../src/dataset/flow-columns.ts';
import { buildFlowTable, forEachFlowRow } from '../../src/dataset/flows-csv.ts';
import { FLAGS, tcpFrame, udpFrame, type Endpoint } from '../fixtures/packet-builder.ts';
import { useTmpDir } from '../anonymize/fixtures/tmp-dir.ts';

const tmp = useTmpDir('flows');
const T0 = 1_760_000_000;

type Row = Record<string, string | number | null>;

/** Writes frames at the given times (seconds after T0) and returns flows.csv's rows as objects. */
function flowsOf(name: string, packets: [number, Uint8Array][]): Row[] {
  const path = join(tmp, `${name}.pcap`);
  const w = new PcapWriter(path, { linkType: LINKTYPE.ETHERNET });
  for (const [t, frame] of packets) {
    const ns = Math.round(t * 1e9);
    w.write(T0 + Math.floor(ns / 1e9), ns % 1e9, frame.length, frame);
  }
  w.close();
  const rows: Row[] = [];
  forEachFlowRow(buildFlowTable(path), (r) => rows.push(Object.fromEntries(FLOW_COLUMN_NAMES.map((n, i) => [n, r[i]]))));
  return rows;
}

const client: Endpoint = { ip: '198.18.0.10', port: 40000 };
const server: Endpoint = { ip: '198.18.0.20', port: 80 };
const { SYN, ACK, FIN, RST, PSH } = FLAGS;

describe('flow assembly (Engelen et al. fixes)', () => {
  test('a TCP flow ends at the FIN of both sides and keeps the last ACK; a later SYN starts a new flow', () => {
    const rows = flowsOf('fin', [
      [0.0, tcpFrame(client, server, SYN, { window: 1000 })],
      [0.001, tcpFrame(server, client, SYN | ACK, { window: 2000 })],
      [0.002, tcpFrame(client, server, ACK)],
      [0.003, tcpFrame(client, server, PSH | ACK, { payload: 100 })],
      [0.004, tcpFrame(server, client, ACK)],
      [0.005, tcpFrame(client, server, FIN | ACK)],
      [0.006, tcpFrame(server, client, ACK)],
      [0.007, tcpFrame(server, client, FIN | ACK)],
      [0.008, tcpFrame(client, server, ACK)],
      [1.0, tcpFrame(client, server, SYN)],
    ]);
    expect(rows.map((r) => [r['Total Fwd Packets'], r['Total Backward Packets'], r['First Packet']])).toEqual([[5, 4, 1], [1, 0, 10]]);
    const [c] = rows;
    expect(c['FIN Flag Count']).toBe(2);
    expect(c['Init_Win_bytes_forward']).toBe(1000);
    expect(c['Init_Win_bytes_backward']).toBe(2000);
    expect(c['Total Length of Fwd Packets']).toBe(100);
    expect(c['act_data_pkt_fwd']).toBe(1);
    expect(c['Flow Duration']).toBe(8000);
    expect(c['Fwd Header Length']).toBe(5 * 20);
    expect(c['Source IP']).toBe(client.ip);
    expect(c['Flow ID']).toBe(`${client.ip}-${server.ip}-40000-80-6`);
    expect(c['Timestamp']).toBe(new Date(T0 * 1000).toISOString().replace('.000Z', '.000000Z'));
  });

  test('a RST ends the flow; an unanswered SYN is a flow of one packet', () => {
    const other: Endpoint = { ip: server.ip, port: 22 };
    const rows = flowsOf('rst', [
      [0, tcpFrame(client, server, SYN)],
      [0.001, tcpFrame(server, client, RST | ACK)],
      [0.002, tcpFrame(server, client, RST | ACK)],
      [0.003, tcpFrame(client, other, SYN)],
    ]);
    expect(rows.map((r) => [r['Destination Port'], r['Total Fwd Packets'], r['Total Backward Packets'], r['RST Flag Count']])).toEqual([
      [80, 1, 1, 1], [40000, 1, 0, 1], [22, 1, 0, 0],
    ]);
    // One packet: no duration, so no rates (empty cells), and zeros for statistics with no values.
    expect(rows[2]['Flow Duration']).toBe(0);
    expect(rows[2]['Flow Packets/s']).toBeNull();
    expect(rows[2]['Flow IAT Mean']).toBe(0);
    expect(rows[2]['Init_Win_bytes_backward']).toBe(-1);
  });

  test('a flow ends 120 s after its first packet', () => {
    const a: Endpoint = { ip: client.ip, port: 5000 }, b: Endpoint = { ip: server.ip, port: 53 };
    const rows = flowsOf('timeout', [[0, udpFrame(a, b, 10)], [119, udpFrame(b, a, 20)], [121, udpFrame(a, b, 10)]]);
    expect(rows.map((r) => [r['Total Fwd Packets'], r['Total Backward Packets'], r['Protocol'], r['Init_Win_bytes_forward']])).toEqual([[1, 1, 17, -1], [1, 0, 17, -1]]);
  });

  test('Active and Idle hold durations between the flow\'s packets; subflows split at gaps over 1 s', () => {
    const a: Endpoint = { ip: client.ip, port: 5001 }, b: Endpoint = { ip: server.ip, port: 9 };
    const rows = flowsOf('idle', [[0, udpFrame(a, b, 1)], [1, udpFrame(a, b, 1)], [8, udpFrame(a, b, 1)], [9, udpFrame(a, b, 1)], [9.5, udpFrame(a, b, 1)]]);
    expect(rows).toHaveLength(1);
    const r = rows[0];
    expect([r['Active Mean'], r['Active Min'], r['Active Max']]).toEqual([1_250_000, 1_000_000, 1_500_000]);
    expect([r['Idle Mean'], r['Idle Max'], r['Idle Std']]).toEqual([7_000_000, 7_000_000, 0]);
    expect(r['Subflow Fwd Packets']).toBe(5 / 2);
    expect(r['Fwd IAT Total']).toBe(9_500_000);
    expect(r['Flow IAT Max']).toBe(7_000_000);
  });

  test('bulks follow CICFlowMeter: 4 or more data packets of one side, each within 1 s', () => {
    const frames: [number, Uint8Array][] = [[0, tcpFrame(client, server, SYN)], [0.05, tcpFrame(server, client, SYN | ACK)]];
    for (let k = 0; k < 5; k++) frames.push([0.1 + 0.1 * k, tcpFrame(client, server, ACK, { payload: 100 })]);
    frames.push([0.6, tcpFrame(server, client, ACK)]);
    const [r] = flowsOf('bulk', frames);
    expect(r['Fwd Avg Bytes/Bulk']).toBe(500);
    expect(r['Fwd Avg Packets/Bulk']).toBe(5);
    expect(r['Fwd Avg Bulk Rate']).toBeCloseTo(500 / 0.4, 6);
    expect(r['Bwd Avg Bytes/Bulk']).toBe(0);
  });
});
