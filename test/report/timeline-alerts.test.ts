// Live alerts on the report's timeline: each at the moment it was raised, in seconds since the
// capture's first packet, with the span of packets it covers.
import { describe, expect, test } from 'vitest';
import { buildReportData } from '../../src/report/report-data.ts';
import { shownDetector } from '../../src/report/report-detection.ts';
import { decodeFrames, refusedConnection } from '../detect/synth-capture.ts';
import type { DetectorResult } from '../../src/analysis/detect-capture.ts';

describe('the report timeline', () => {
  const decoded = decodeFrames(refusedConnection(2, '198.18.0.11', 40000, '198.18.0.10', 80));
  const startMs = decoded.start.sec * 1000 + decoded.start.nsec / 1e6;

  test('places each live alert at the time it was raised, relative to the first packet', () => {
    const alerts = [{ detector: 'online:threshold', firstPacketTime: startMs, lastPacketTime: startMs + 1, raisedAt: startMs + 1500, src: '198.18.0.11', dst: '198.18.0.10', score: 1.234567 }];
    const data = buildReportData({ title: 't', runDir: '/r', decoded, sets: [], alerts, notes: [] });
    expect(data.timeline.alerts).toEqual([{ detector: 'online:threshold', from: 0, to: 0.001, raised: 1.5, src: '198.18.0.11', dst: '198.18.0.10', score: 1.23 }]);
    expect(buildReportData({ title: 't', runDir: '/r', decoded, sets: [], notes: [] }).timeline.alerts).toEqual([]);
  });

  test('the per-packet plot never picks an online detector (its alerts are drawn apart)', () => {
    const result = (f1: number, online?: boolean) => ({ packets: { f1 }, ...(online ? { online: true } : {}) }) as unknown as DetectorResult;
    expect(shownDetector({ 'online:threshold': result(0.99, true), threshold: result(0.9) })).toBe('threshold');
  });
});
