// online:p0f replayed through the live path (PcapTail, decoder, 1 s windows) against Debian's p0f
// reading the whole file at once, on two real captures: p0f-lab.pcap (a lab run: web/SSH/DNS, an
// nmap SYN scan, the start of an OS detection) and lo-mixed.pcap (nmap on loopback among benign
// traffic). Real p0f both ways; the windows must not change which hosts it names.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PcapTail } from '../../../src/capture/pcap-tail.ts';
import { LiveDetection } from '../../../src/detect/online/live-detection.ts';
import { onlineP0f } from '../../../src/detect/online/p0f-online.ts';
import { readP0fLog } from '../../../src/detect/external/formats/p0f.ts';

const CAPTURES = [
  new URL('../external/fixtures/p0f-lab.pcap', import.meta.url).pathname,
  new URL('../../fixtures/captures/lo-mixed.pcap', import.meta.url).pathname,
];
const hasP0f = spawnSync('sh', ['-c', 'command -v p0f']).status === 0;

/** Per host p0f names reading the whole capture (as the offline p0f detector runs it): its first alert's time, epoch ms. */
function wholeFileHosts(pcap: string): Map<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'scanlab-p0f-test-'));
  try {
    spawnSync('p0f', ['-r', pcap, '-o', join(dir, 'log')], { stdio: 'ignore' });
    const first = new Map<string, number>();
    for (const a of readP0fLog(readFileSync(join(dir, 'log'), 'utf8'), 'log')) if (!first.has(a.src!)) first.set(a.src!, a.time! * 1000);
    return first;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Replays the capture with the warm-up ending `untilSeconds` after its first packet; every row after it is judged. */
function replay(pcap: string, detector = onlineP0f(), untilSeconds = 0.001): LiveDetection {
  const tail = new PcapTail(pcap);
  const live = new LiveDetection(tail, { seed: 1, detectors: [detector], clock: () => 0 });
  while (live.step(500) > 0) {
    const { start } = live.decoded();
    live.warmUpEnded((start.sec + untilSeconds) * 1000 + start.nsec / 1e6);
  }
  live.finish();
  tail.close();
  return live;
}

describe.runIf(hasP0f)('online:p0f on a replayed capture', () => {
  test.each(CAPTURES)('names the hosts p0f names on the whole file, and flags exactly their rows from the first alert on (%s)', (pcap) => {
    // Given the hosts p0f names when it reads the whole capture
    const expected = wholeFileHosts(pcap);
    expect(expected.size).toBeGreaterThan(0);

    // When the capture is replayed window by window
    const live = replay(pcap);

    // Then the alerts name the same hosts, each as one end of every alert's conversation
    const named = new Set([...expected.keys()]);
    expect(live.alerts.length).toBeGreaterThan(0);
    for (const a of live.alerts) expect(named.has(a.src) || named.has(a.dst ?? '')).toBe(true);
    for (const host of named) expect(live.alerts.some((a) => a.src === host || a.dst === host)).toBe(true);
    // And none covers packets that all came before p0f's first alert for its host (p0f logs whole seconds)
    for (const a of live.alerts) {
      const since = Math.min(...[a.src, a.dst].filter((h) => named.has(h ?? '')).map((h) => expected.get(h!)!));
      expect(a.lastPacketTime).toBeGreaterThanOrEqual(since);
    }
    // And a row is flagged exactly when it is judged and one of its ends was named by then
    const rows = live.byDetector.get('online:p0f')!;
    expect(rows.flagged.filter((f) => f === 1).length).toBe(live.alerts.length);
    rows.flagged.forEach((f, r) => expect(f).toBe(rows.scores[r] === 1 && !live.rowTraining[r] ? 1 : 0));
  });

  test('cleans up its scratch files when the capture ends', () => {
    // Its own scratch root: other tests' detectors make theirs in the system temp directory meanwhile
    const scratch = mkdtempSync(join(tmpdir(), 'scanlab-p0f-scratch-'));
    try {
      const live = replay(CAPTURES[0]!, onlineP0f('p0f', scratch));
      expect(live.alerts.length).toBeGreaterThan(0);
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

test('without p0f it says so in its notes and flags nothing', () => {
  const detector = onlineP0f('scanlab-test-no-such-p0f');
  const live = replay(CAPTURES[0]!, detector);
  expect(live.alerts).toEqual([]);
  expect(live.byDetector.get('online:p0f')!.flagged.some((f) => f === 1)).toBe(false);
  expect(detector.notes.join(' ')).toMatch(/scanlab-test-no-such-p0f is not installed/);
  expect(existsSync(join(tmpdir(), 'scanlab-test-no-such-p0f'))).toBe(false);
});
