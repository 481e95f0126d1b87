// The bench view's reducer: the bench's reports in, view state out, no rendering.
import { describe, expect, test } from 'vitest';
import { benchActive, benchElapsedMs, benchEtaMs, benchPercent, initialBenchState, outcomeExitCode, reduceBench, type BenchAction } from '../../src/tui/bench-state.ts';
import { ACTIONS, DETECTORS, FIRST, JOBS, OUTCOME, T0 } from './bench-fixtures.ts';

const fold = (actions: BenchAction[], from = initialBenchState(DETECTORS, 3, T0)) => actions.reduce(reduceBench, from);

describe('reduceBench', () => {
  test('before the plan: nothing done, the total the command counted, no ETA yet', () => {
    const s = initialBenchState(DETECTORS, 3, T0);
    expect(s).toMatchObject({ done: 0, total: 3, percent: 0, finished: [], stopping: false });
    expect(benchEtaMs(s)).toBeUndefined();
    expect(benchActive(s)).toBe(true);
  });

  test('once planned, the ETA is the runs\' expected time less the time spent', () => {
    const s = fold([{ type: 'planned', time: T0, jobs: JOBS }, { type: 'tick', time: T0 + 10_000 }]);
    expect(s.total).toBe(3);
    expect(benchElapsedMs(s)).toBe(10_000);
    expect(benchEtaMs(s)).toBe(140_000);
  });

  test('a starting run becomes the current one; its engine events give its phase, step progress and packets', () => {
    let s = fold(ACTIONS.slice(0, 4));
    expect(s.current).toMatchObject({ index: 0, scenario: 'tiny', repeat: 1, startedAt: T0, phase: 'lab-up', detail: '2/3 hosts' });
    s = fold(ACTIONS.slice(4, 5), s);
    expect(s.current).toMatchObject({ phase: 'scoring', detail: undefined });
    s = fold(ACTIONS);
    expect(s.current).toMatchObject({ index: 1, label: 'tiny #2', repeat: 2, phase: 'attack', detail: 'syn-scan 42% SYN Stealth Scan', packets: 1234 });
  });

  test('engine events of another run than the current one are ignored', () => {
    const s = fold([...ACTIONS, { type: 'engine', index: 0, event: { type: 'phase-started', time: T0 + 63_000, phase: 'teardown' } }]);
    expect(s.current?.phase).toBe('attack');
  });

  test('a finished run adds its row (scenario, repeat, packets, scan F1 per detector, time) and the bench\'s numbers', () => {
    const s = fold(ACTIONS);
    expect(s).toMatchObject({ done: 1, total: 3, percent: 40, remainingMs: 100_000, estimatedAt: T0 + 52_000 });
    // each detector's packet F1 as the evaluation holds it (the fixture's counts give 0.912, 1, 0.987)
    const f1 = Object.fromEntries(Object.entries(FIRST.evaluation!.detectors).map(([name, d]) => [name, d.packets!.f1]));
    expect(Object.values(f1).map((v) => v.toFixed(3))).toEqual(['0.912', '1.000', '0.987']);
    expect(s.finished).toEqual([
      { label: 'tiny #1', scenario: 'tiny', repeat: 1, packets: 11_080, scanPackets: 2_081, scanF1: f1, failure: undefined, durationMs: 52_000 },
    ]);
    // the estimate counts down from when it was made
    expect(benchEtaMs(s)).toBe(90_000);
  });

  test('the bar moves within the running run by its expected time, never past 95% of its share', () => {
    const s = fold(ACTIONS); // run 2 (60 s of 150 s expected: a 40% share) has run 10 s
    expect(benchPercent(s)).toBeCloseTo(40 + 40 * (10 / 60));
    expect(benchPercent(reduceBench(s, { type: 'tick', time: T0 + 500_000 }))).toBeCloseTo(40 + 40 * 0.95);
  });

  test('a run that is not scored keeps its reason; an existing capture has no repeat', () => {
    const s = fold([
      { type: 'planned', time: T0, jobs: JOBS },
      { type: 'job-started', time: T0, index: 2 },
      { type: 'job-finished', time: T0 + 3000, progress: { label: '/runs/20260101-quiet', done: 1, total: 3, percent: 20, remainingMs: 1000, failure: 'capture.pcap holds no packets' } },
    ]);
    expect(s.finished[0]).toMatchObject({ scenario: 'quiet', repeat: null, failure: 'capture.pcap holds no packets', durationMs: 3000 });
    expect(s.current).toBeUndefined();
  });

  test('log lines are kept with a tone for warnings and runs not scored', () => {
    const s = fold([
      { type: 'log', time: T0, text: '  warning: tiny: 3 packets dropped' },
      { type: 'log', time: T0, text: '[1/3  33%] x: not scored: boom' },
      { type: 'log', time: T0, text: '[2/3  66%] y: 10 packets' },
    ]);
    expect(s.log.map((l) => l.tone)).toEqual(['warn', 'bad', undefined]);
  });

  test('stopping, then the outcome: the bench is over, elapsed time frozen, the exit code as headless', () => {
    let s = fold([...ACTIONS, { type: 'stop-requested' }]);
    expect(s.stopping).toBe(true);
    s = reduceBench(s, { type: 'finished', time: T0 + 70_000, outcome: { ...OUTCOME, runs: 1, interrupted: true } });
    expect(benchActive(s)).toBe(false);
    expect(s.current).toBeUndefined();
    expect(benchPercent(s)).toBe(40);
    expect(benchEtaMs(s)).toBe(0);
    s = reduceBench(s, { type: 'tick', time: T0 + 99_000 });
    expect(benchElapsedMs(s)).toBe(70_000);
    expect(outcomeExitCode(s.outcome!)).toBe(1);
  });

  test('a complete bench is at 100% and exits 0; failures or no run scored exit 1', () => {
    const s = reduceBench(fold(ACTIONS), { type: 'finished', time: T0 + 150_000, outcome: OUTCOME });
    expect(benchPercent(s)).toBe(100);
    expect(outcomeExitCode(OUTCOME)).toBe(0);
    expect(outcomeExitCode({ ...OUTCOME, failures: 1 })).toBe(1);
    expect(outcomeExitCode({ ...OUTCOME, runs: 0 })).toBe(1);
  });

  test('a bench that fails before its outcome keeps the message and is over', () => {
    const s = fold([{ type: 'planned', time: T0, jobs: JOBS }, { type: 'failed', time: T0 + 100, message: 'nmap not found' }]);
    expect(s.error).toBe('nmap not found');
    expect(benchActive(s)).toBe(false);
    expect(reduceBench(s, { type: 'stop-requested' }).stopping).toBe(false);
  });
});
