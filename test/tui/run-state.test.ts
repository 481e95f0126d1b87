// The run view's reducer: engine events in, view state out, no rendering.
import { describe, expect, test } from 'vitest';
import { currentRate, elapsedMs, initialRunState, isActive, reduceRun, remainingMs, type RunAction } from '../../src/tui/run-state.ts';
import type { RunSummary } from '../../src/engine/events.ts';

const T0 = 1_000_000;
const stats = (packets: number, time: number, dropped = 0): RunAction => ({ type: 'capture-stats', time, stats: { packets, bytes: packets * 100, received: packets, dropped, ifDropped: 0, elapsedMs: time - T0 } });
const summary: RunSummary = { runDir: '/r', scenario: 'quick', seed: 1, status: 'ok', packets: 500, scan: 200, benign: 300, dropped: 0, steps: [], durationMs: 30_000 };

function fold(actions: RunAction[]) {
  return actions.reduce(reduceRun, initialRunState('quick', ['syn-scan', 'version-detect'], 20_000, T0));
}

describe('reduceRun', () => {
  test('lists every phase as pending and every planned step before anything happens', () => {
    const s = initialRunState('quick', ['syn-scan'], 1000, T0);
    expect(s.phases.every((p) => p.status === 'pending')).toBe(true);
    expect(s.steps).toEqual([{ name: 'syn-scan', status: 'pending', percent: 0 }]);
    expect(isActive(s)).toBe(false);
  });

  test('phase-started then phase-finished marks a phase running then ok with its duration', () => {
    const s = fold([
      { type: 'run-started', time: T0, runDir: '/r', scenario: 'quick', seed: 1, plannedMs: 20_000 },
      { type: 'phase-started', time: T0, phase: 'lab-up', detail: 'lab x' },
      { type: 'progress', time: T0 + 10, phase: 'lab-up', done: 2, total: 4, unit: 'hosts' },
    ]);
    expect(s.phases.find((p) => p.name === 'lab-up')).toMatchObject({ status: 'running', progress: { done: 2, total: 4 } });
    const done = reduceRun(s, { type: 'phase-finished', time: T0 + 3000, phase: 'lab-up', status: 'ok', durationMs: 3000 });
    expect(done.phases.find((p) => p.name === 'lab-up')).toMatchObject({ status: 'ok', durationMs: 3000 });
    expect(isActive(done)).toBe(true);
  });

  test('capture stats give the live total and packets per second, drops kept', () => {
    const s = fold([
      { type: 'phase-finished', time: T0, phase: 'capture', status: 'ok', durationMs: 10 },
      stats(100, T0 + 500),
      stats(300, T0 + 900),
      stats(700, T0 + 1500, 3),
      stats(800, T0 + 2100, 3),
    ]);
    expect(s.packets).toBe(800);
    expect(s.dropped).toBe(3);
    expect(s.perSecond).toEqual([300, 400, 100]);
    expect(currentRate(s)).toBe(400);
  });

  test('attack events move a step from pending to running with progress and ETA, then ok at 100%', () => {
    let s = fold([{ type: 'attack-started', time: T0, step: 'syn-scan', command: 'nmap -sS', index: 0, total: 2 }]);
    s = reduceRun(s, { type: 'attack-progress', time: T0 + 1000, step: 'syn-scan', phase: 'SYN Stealth Scan', percent: 42, remainingSeconds: 7 });
    expect(s.steps[0]).toMatchObject({ status: 'running', percent: 42, nmapPhase: 'SYN Stealth Scan', remainingSeconds: 7 });
    s = reduceRun(s, { type: 'attack-finished', time: T0 + 2000, step: 'syn-scan', status: 'ok', durationMs: 2000, openPorts: 4 });
    expect(s.steps[0]).toMatchObject({ status: 'ok', percent: 100, openPorts: 4, remainingSeconds: undefined });
    expect(s.steps[1].status).toBe('pending');
  });

  test('the benign generators\' latest counters are kept per host', () => {
    const s = fold([
      { type: 'traffic-activity', time: T0, host: 'victim', counters: { web: { sessions: 1, bytes: 10, failures: 0 } } },
      { type: 'traffic-activity', time: T0 + 1, host: 'victim', counters: { web: { sessions: 2, bytes: 30, failures: 1 } } },
    ]);
    expect(s.activity.victim.web).toEqual({ sessions: 2, bytes: 30, failures: 1 });
  });

  test('elapsed runs with the clock; remaining counts down the plan from when the traffic is up', () => {
    const s = fold([
      { type: 'run-started', time: T0, runDir: '/r', scenario: 'quick', seed: 1, plannedMs: 20_000 },
      { type: 'phase-finished', time: T0 + 5000, phase: 'traffic', status: 'ok', durationMs: 1 },
      { type: 'tick', time: T0 + 15_000 },
    ]);
    expect(elapsedMs(s)).toBe(15_000);
    expect(remainingMs(s)).toBe(10_000);
    expect(remainingMs(reduceRun(s, { type: 'tick', time: T0 + 60_000 }))).toBe(0);
  });

  test('the result gives the scan/benign split and marks phases and steps that never ran', () => {
    const s = fold([
      { type: 'run-started', time: T0, runDir: '/r', scenario: 'quick', seed: 1, plannedMs: 20_000 },
      { type: 'phase-started', time: T0, phase: 'attack' },
      { type: 'attack-started', time: T0, step: 'syn-scan', command: 'nmap', index: 0, total: 2 },
      { type: 'result', time: T0 + 30_000, summary: { ...summary, status: 'interrupted' } },
    ]);
    expect(s.summary?.scan).toBe(200);
    expect(s.phases.find((p) => p.name === 'attack')?.status).toBe('not-run');
    expect(s.phases.find((p) => p.name === 'report')?.status).toBe('not-run');
    expect(s.steps.map((x) => x.status)).toEqual(['interrupted', 'interrupted']);
    expect(isActive(s)).toBe(false);
    expect(elapsedMs(s)).toBe(30_000);
  });

  test('a stop request is remembered until the result arrives', () => {
    const s = reduceRun(fold([]), { type: 'stop-requested' });
    expect(s.stopping).toBe(true);
  });

  test('the log gets phase, step, warning and result lines, not counters', () => {
    const s = fold([
      { type: 'phase-finished', time: T0, phase: 'lab-up', status: 'failed', durationMs: 10, detail: 'no ip' },
      stats(5, T0 + 1),
      { type: 'warning', time: T0 + 2, message: 'slow' },
    ]);
    expect(s.log).toEqual([
      { time: T0, text: 'lab-up failed: no ip', tone: 'bad' },
      { time: T0 + 2, text: 'warning: slow', tone: 'warn' },
    ]);
  });

  test('warnings keep the last twenty', () => {
    const s = fold(Array.from({ length: 25 }, (_, i) => ({ type: 'warning' as const, time: T0 + i, message: `w${i}` })));
    expect(s.warnings).toHaveLength(20);
    expect(s.warnings.at(-1)).toBe('w24');
  });
});
