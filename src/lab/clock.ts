// How far a host's clock is from this machine's, measured over its connection as NTP does: ask
// for the time several times, keep the round trip that was quickest (least queueing), and take
// the host's time minus the midpoint of that round trip. Accurate to half the best round trip.
// The questions go down one long-lived session (a line in, the time out), so each round trip is
// the connection's own latency, the same both ways; starting a new ssh per sample would put the
// client's start-up before the host reads its clock and bias the offset.

import { createInterface } from 'node:readline';
import type { Host } from './host.ts';

export interface ClockOffset {
  /** Host clock minus this machine's clock, milliseconds. */
  readonly offsetMs: number;
  /** The best round trip: the offset is accurate to half of it. */
  readonly rttMs: number;
  readonly samples: number;
}

/** The host's time in ms from `date +%s%N` (GNU date); a date without %N gives whole seconds. */
export function parseDateOutput(text: string): { ms: number; resolutionMs: number } | undefined {
  const trimmed = text.trim();
  if (/^\d{19}$/.test(trimmed)) return { ms: Number(BigInt(trimmed) / 1000n) / 1000, resolutionMs: 0.001 };
  const seconds = /^(\d+)N?$/.exec(trimmed);
  return seconds ? { ms: Number(seconds[1]) * 1000 + 500, resolutionMs: 1000 } : undefined;
}

/** Wall-clock milliseconds with a sub-millisecond part. */
const now = () => performance.timeOrigin + performance.now();

export async function measureClockOffset(host: Host, samples = 7): Promise<ClockOffset> {
  const session = host.spawn('sh', ['-c', 'while read -r _; do date +%s%N; done'], { stdin: 'pipe' });
  const lines = createInterface({ input: session.stdout })[Symbol.asyncIterator]();
  let best: ClockOffset | undefined;
  try {
    for (let i = 0; i < samples; i++) {
      const t0 = now();
      session.stdin!.write('\n');
      const line = await lines.next();
      const t1 = now();
      if (line.done) break;
      const remote = parseDateOutput(line.value);
      if (!remote) continue;
      const rttMs = t1 - t0 + (remote.resolutionMs > 1 ? remote.resolutionMs : 0);
      const offsetMs = remote.ms - (t0 + t1) / 2;
      if (!best || rttMs < best.rttMs) best = { offsetMs, rttMs, samples };
    }
  } finally {
    // EOF ends the loop; stop it by id only if it lingers.
    session.stdin!.end();
    const timer = setTimeout(() => void session.stop(2000), 2000);
    await session.exited;
    clearTimeout(timer);
  }
  return best ?? { offsetMs: 0, rttMs: Infinity, samples: 0 };
}

/** The offset to correct a host's timestamps by over a run: the mean of before and after. */
export function runOffset(before: ClockOffset | undefined, after: ClockOffset | undefined): number {
  const known = [before, after].filter((o): o is ClockOffset => o !== undefined && o.samples > 0);
  return known.length === 0 ? 0 : known.reduce((sum, o) => sum + o.offsetMs, 0) / known.length;
}
