// IP fragment reassembly: a real nmap -f capture from the lab (test/fixtures/captures/
// fragmented-syn.pcap, the first 400 frames of a scenarios/fragmented.yaml run) decoded by scanlab
// and by tshark with its reassembly on: the same frames carry the same TCP fields. Then the
// reassembler's limits, one at a time.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeCapture } from '../../../src/capture/decode/decode-capture.ts';
import { PACKET_FLAG } from '../../../src/capture/decode/columns.ts';
import { Reassembler, REASSEMBLY_LIMITS } from '../../../src/capture/decode/reassembly.ts';
import { connectionAttempts } from '../../../src/detect/connections.ts';
import { thresholdDetector } from '../../../src/detect/threshold.ts';
import { trwDetector } from '../../../src/detect/trw.ts';
import { PROJECT_ROOT } from '../../helpers/env.ts';

const CAPTURE = join(PROJECT_ROOT, 'test/fixtures/captures/fragmented-syn.pcap');

/** tshark's reassembled view: per frame, the TCP ports and flags it shows (none for a fragment it holds back). */
function tsharkTcp(pcap: string): Map<number, [number, number, number]> {
  const out = execFileSync('tshark', ['-r', pcap, '-o', 'ip.defragment:TRUE', '-T', 'fields', '-E', 'separator=,', '-e', 'frame.number', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.flags'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const rows = new Map<number, [number, number, number]>();
  for (const line of out.trim().split('\n')) {
    const [no, sport, dport, flags] = line.split(',');
    if (sport) rows.set(Number(no), [Number(sport), Number(dport), Number(flags)]);
  }
  return rows;
}

describe('fragment reassembly against tshark', () => {
  const decoded = decodeCapture(CAPTURE);
  const reference = tsharkTcp(CAPTURE);
  const c = decoded.columns;

  test('the frame that completes a datagram carries its TCP fields, as in tshark; the other fragments none', () => {
    const fragments = Array.from({ length: decoded.packets }, (_, i) => i).filter((i) => c.flags[i] & PACKET_FLAG.FRAGMENT);
    const reassembled = Array.from({ length: decoded.packets }, (_, i) => i).filter((i) => c.flags[i] & PACKET_FLAG.REASSEMBLED);
    // Given a capture holding both fragmented probes and whole replies
    expect(reassembled.length).toBeGreaterThan(50);
    expect(fragments.length).toBeGreaterThanOrEqual(reassembled.length * 2);
    // Then every frame's TCP fields match tshark's (or both have none)
    for (let i = 0; i < decoded.packets; i++) {
      const ours = c.ipProto[i] === 6 && !(c.flags[i] & PACKET_FLAG.FRAGMENT) ? [c.srcPort[i], c.dstPort[i], c.tcpFlags[i]] : undefined;
      expect(ours, `frame ${i + 1}`).toEqual(reference.get(i + 1));
    }
    expect(decoded.fragments).toEqual({ fragments: fragments.length + reassembled.length, reassembled: reassembled.length, unreassembled: decoded.fragments.unreassembled });
  });

  test('the fragmented SYN scan is counted by the baselines', () => {
    const syns = [...reference.values()].filter(([, , flags]) => flags === 0x002).length;
    const attempts = connectionAttempts(decoded);
    const tcp = [...attempts.ipProto.keys()].filter((a) => attempts.ipProto[a] === 6);
    expect(tcp.length).toBe(syns);
    expect(tcp.filter((a) => attempts.success[a] === 0).length).toBeGreaterThan(50);
    // Both baselines flag the scanner's frames, fragments included in what they flag
    expect(thresholdDetector(decoded).flagged.reduce((n, v) => n + v, 0)).toBeGreaterThan(100);
    expect(trwDetector(decoded).flagged.reduce((n, v) => n + v, 0)).toBeGreaterThan(100);
  });
});

describe('reassembler limits', () => {
  const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
  const add = (r: Reassembler, key: string, time: number, offset: number, more: boolean, data: Uint8Array) => r.add(key, time, offset, more, data, 0, data.length, data.length);

  test('fragments in any order give the datagram at the one that completes it', () => {
    const r = new Reassembler();
    expect(add(r, 'a', 0, 16, false, bytes(4, 3))).toBeUndefined();
    expect(add(r, 'a', 0, 0, true, bytes(8, 1))).toBeUndefined();
    expect([...add(r, 'a', 0, 8, true, bytes(8, 2))!]).toEqual([...bytes(8, 1), ...bytes(8, 2), ...bytes(4, 3)]);
    expect(r.finish()).toEqual({ fragments: 3, reassembled: 1, unreassembled: 0 });
  });

  test('a repeated fragment is harmless; an overlap with different bytes loses the datagram', () => {
    const r = new Reassembler();
    add(r, 'a', 0, 0, true, bytes(8, 1));
    add(r, 'a', 0, 0, true, bytes(8, 1));
    expect(add(r, 'a', 0, 8, false, bytes(4, 2))).toHaveLength(12);
    add(r, 'b', 0, 0, true, bytes(16, 1));
    add(r, 'b', 0, 8, true, bytes(8, 9));
    expect(add(r, 'b', 0, 16, false, bytes(4, 2))).toBeUndefined();
    expect(r.finish()).toEqual({ fragments: 6, reassembled: 1, unreassembled: 1 });
  });

  test('a datagram whose fragments stop coming for longer than the timeout is counted, not reassembled', () => {
    const r = new Reassembler();
    add(r, 'a', 0, 0, true, bytes(8, 1));
    add(r, 'b', REASSEMBLY_LIMITS.timeoutSec + 1, 0, true, bytes(8, 1));
    expect(add(r, 'a', REASSEMBLY_LIMITS.timeoutSec + 1, 8, false, bytes(4, 2))).toBeUndefined();
    expect(r.finish()).toEqual({ fragments: 3, reassembled: 0, unreassembled: 3 });
  });

  test('a fragment cut by snaplen, or one past 65,535 bytes, loses its datagram', () => {
    const r = new Reassembler();
    const data = bytes(8, 1);
    expect(r.add('a', 0, 0, true, data, 0, 4, 8)).toBeUndefined();
    expect(add(r, 'a', 0, 8, false, bytes(4, 2))).toBeUndefined();
    expect(add(r, 'b', 0, 65528, false, bytes(16, 2))).toBeUndefined();
    expect(r.finish().unreassembled).toBe(2);
  });

  test('more datagrams waiting than the limit push the oldest out', () => {
    const r = new Reassembler();
    for (let k = 0; k <= REASSEMBLY_LIMITS.maxPending; k++) add(r, `d${k}`, 0, 0, true, bytes(8, 1));
    // d0 was pushed out by the last one; d1 still waits and completes
    expect(add(r, 'd1', 0, 8, false, bytes(4, 2))).toHaveLength(12);
    expect(add(r, 'd0', 0, 8, false, bytes(4, 2))).toBeUndefined();
    const stats = r.finish();
    expect(stats.reassembled).toBe(1);
    // d0's first fragment, then the rest still waiting at the end (d0's lone last fragment among them)
    expect(stats.unreassembled).toBe(1 + REASSEMBLY_LIMITS.maxPending);
  });
});
