import { describe, expect, test } from 'vitest';
import { connectionAttempts } from '../../src/detect/connections.ts';
import { decodeFrames, icmp, openConnection, refusedConnection, tcp, udp, SYN, SYN_ACK } from './synth-capture.ts';

const A = '198.18.0.20';
const B = '198.18.0.10';

describe('connection attempts and their outcomes', () => {
  // Given one capture with each kind of attempt, in this order:
  const decoded = decodeFrames([
    ...openConnection(0, A, 40000, B, 80), // 0 TCP answered by SYN-ACK: success
    ...refusedConnection(1, A, 40001, B, 81), // 1 TCP answered by RST: failure
    tcp(2, A, 40002, B, 82, SYN), // 2 TCP never answered: failure...
    tcp(3, A, 40002, B, 82, SYN), //   ...and its retransmission is the same attempt
    icmp(4, A, B, 8), // 3 echo request answered: success
    icmp(4.01, B, A, 0),
    udp(5, A, 5000, B, 53), // 4 UDP answered: success
    udp(5.01, B, 53, A, 5000),
    udp(6, A, 5001, B, 161), // 5 UDP answered by ICMP port unreachable: failure
    icmp(6.01, B, A, 3, 3),
    udp(7, A, 68, '198.18.0.255', 67), // broadcast: no attempt
    tcp(8, B, 22, A, 50000, SYN_ACK), // SYN-ACK without a SYN seen: no attempt
  ]);
  // When
  const a = connectionAttempts(decoded);

  test('each attempt once, in order of its first packet', () => {
    expect(a.count).toBe(6);
    expect([...a.ipProto]).toEqual([6, 6, 6, 1, 17, 17]);
    expect([...a.port]).toEqual([80, 81, 82, 0, 53, 161]);
    expect([...a.start]).toEqual([0, 1, 2, 4, 5, 6]);
  });

  test('SYN-ACK, echo reply and a UDP answer are successes; RST, silence and ICMP unreachable failures', () => {
    expect([...a.success]).toEqual([1, 0, 0, 1, 1, 0]);
  });

  test('the initiator is the side that sent the SYN, request or first datagram', () => {
    const addressA = decoded.addresses.lookup(A)!;
    const addressB = decoded.addresses.lookup(B)!;
    expect([...a.initiator].every((id) => id === addressA)).toBe(true);
    expect([...a.responder].every((id) => id === addressB)).toBe(true);
  });
});
