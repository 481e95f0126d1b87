import { describe, expect, test } from 'vitest';
import { ConnectionTracker, connectionAttempts, type ResolvedAttempt } from '../../src/detect/connections.ts';
import { decodeFrames, tcp, udp, SYN, SYN_ACK, type Frame } from './synth-capture.ts';

const CLIENT = '198.18.0.20';
const VICTIM = '198.18.0.10';
const TIMEOUT = 3;

// Three attempts by their answer's delay, and traffic to a multicast group every 0.25 s (it opens
// no attempt) so packet time moves on.
const attempts = [
  { start: 0, port: 80, answeredAfter: 2.9 }, // in time: a success
  { start: 1, port: 81, answeredAfter: 3.5 }, // too late online: failed at the timeout; a success offline
  { start: 2, port: 82, answeredAfter: null }, // never: failed at the timeout online, at the end offline
];
const frames: Frame[] = [];
for (const [k, a] of attempts.entries()) {
  frames.push(tcp(a.start, CLIENT, 40000 + k, VICTIM, a.port, SYN));
  if (a.answeredAfter !== null) frames.push(tcp(a.start + a.answeredAfter, VICTIM, a.port, CLIENT, 40000 + k, SYN_ACK));
}
for (let t = 0.125; t < 8; t += 0.25) frames.push(udp(t, CLIENT, 5353, '239.1.1.1', 5353));
frames.sort((a, b) => a.time - b.time);
const decoded = decodeFrames(frames);
const times = Array.from(decoded.columns.time.subarray(0, decoded.packets));

/** What the timeout rule says, from the frames alone: outcome and the time of the packet that settles it. */
function expected(a: (typeof attempts)[number]): { success: 0 | 1; resolvedAt: number } {
  if (a.answeredAfter !== null && a.answeredAfter <= TIMEOUT) return { success: 1, resolvedAt: a.start + a.answeredAfter };
  return { success: 0, resolvedAt: times.find((t) => t - a.start > TIMEOUT)! };
}

function track(step: number): ResolvedAttempt[] {
  const resolved: ResolvedAttempt[] = [];
  const tracker = new ConnectionTracker({ timeoutSeconds: TIMEOUT, onResolved: (a) => resolved.push(a) });
  for (let from = 0; from < decoded.packets; from += step) tracker.consume(decoded, from, Math.min(decoded.packets, from + step));
  return resolved;
}

describe('connection tracker: an attempt unanswered for 3 s of packet time fails', () => {
  test('each attempt resolves once: answered in time a success, else a failure at the first packet past its deadline', () => {
    // When the capture is fed in one go
    const resolved = track(decoded.packets);
    // Then every attempt resolved before the capture ended, in the order they resolved
    const want = attempts.map((a) => ({ port: a.port, start: a.start, ...expected(a) })).sort((a, b) => a.resolvedAt - b.resolvedAt);
    expect(resolved.map((a) => a.port)).toEqual(want.map((a) => a.port));
    expect(resolved.map((a) => a.success)).toEqual(want.map((a) => a.success));
    resolved.forEach((a, k) => {
      expect(a.start).toBeCloseTo(want[k].start, 6);
      expect(a.resolvedAt).toBeCloseTo(want[k].resolvedAt, 6);
    });
    // (the late SYN-ACK comes after the deadline and changes nothing)
    expect(resolved.filter((a) => a.port === 81)).toHaveLength(1);
  });

  test('fed a packet at a time or a few at a time, it reports the same', () => {
    const whole = track(decoded.packets);
    expect(track(1)).toEqual(whole);
    expect(track(7)).toEqual(whole);
  });

  test('without a timeout (offline) a late answer is a success and silence fails at the end', () => {
    const offline = connectionAttempts(decoded);
    expect([...offline.port]).toEqual(attempts.map((a) => a.port));
    expect([...offline.success]).toEqual(attempts.map((a) => (a.answeredAfter === null ? 0 : 1)));
    // The same tracker with no timeout reports the silent one only when told the capture ended
    const resolved: ResolvedAttempt[] = [];
    const tracker = new ConnectionTracker({ onResolved: (a) => resolved.push(a) });
    tracker.consume(decoded);
    expect(resolved.map((a) => a.port)).toEqual([80, 81]);
    tracker.finish();
    expect(resolved.map((a) => [a.port, a.success])).toEqual([[80, 1], [81, 1], [82, 0]]);
  });
});
