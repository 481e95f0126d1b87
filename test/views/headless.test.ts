// The plain view's run summary: detection per detector with its base rate, then separation in its
// own labelled block, never mixed.
import { describe, expect, test } from 'vitest';
import { headlessPrinter } from '../../src/views/headless.ts';
import type { RunSummary } from '../../src/engine/events.ts';

const SUMMARY: RunSummary = {
  runDir: '/runs/x-quick', scenario: 'quick', seed: 1, status: 'ok', packets: 1300, scan: 300, benign: 1000, dropped: 0, steps: [], durationMs: 40_000,
  scores: {
    detection: {
      'host-window': { f1: 0.951, precision: 0.97, recall: 0.933, rocAuc: 0.991, baseRate: 0.231 },
      threshold: { f1: 0.5, precision: 0.4, recall: 0.667, rocAuc: null, baseRate: 0.231 },
    },
    separation: { 'kaggle-flow': { ari: 0.812, majorityF1: 0.998 } },
  },
};

function printed(summary: RunSummary): string[] {
  const lines: string[] = [];
  headlessPrinter((l) => lines.push(l))({ type: 'result', summary, time: 0 });
  return lines;
}

describe('headlessPrinter: the run summary', () => {
  test('prints detection per detector with the base rate beside precision, then separation apart', () => {
    const lines = printed(SUMMARY);
    const detection = lines.findIndex((l) => l.includes('detection (label-free'));
    const separation = lines.findIndex((l) => l.includes('separation (') && l.includes('not a detection score'));
    expect(detection).toBeGreaterThan(0);
    expect(separation).toBeGreaterThan(detection);
    const hostWindow = lines.findIndex((l) => /host-window\s+F1 0\.951\s+precision 0\.970 \(base rate 0\.231\)\s+recall 0\.933\s+ROC-AUC 0\.991/.test(l));
    const threshold = lines.findIndex((l) => /threshold\s+F1 0\.500 .*ROC-AUC\s+-/.test(l));
    expect(hostWindow).toBeGreaterThan(detection);
    expect(threshold).toBeGreaterThan(detection);
    expect(Math.max(hostWindow, threshold)).toBeLessThan(separation);
    // the separation score sits only in its block: its 0.998 is never printed as a detection F1
    const kaggle = lines.findIndex((l) => /kaggle-flow\s+ARI 0\.812\s+majority-rule F1 0\.998/.test(l));
    expect(kaggle).toBeGreaterThan(separation);
    expect(lines.filter((l) => l.includes('0.998'))).toHaveLength(1);
  });

  test('a run without scores prints neither block', () => {
    const lines = printed({ ...SUMMARY, scores: undefined });
    expect(lines.some((l) => /detection|separation/.test(l))).toBe(false);
    expect(lines.join('\n')).toContain('run ok: 1300 packets (300 scan, 1000 benign)');
  });
});
