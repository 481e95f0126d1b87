// The run view's live-alert pane: per attack step "detected after N s" or "not yet detected", and
// the latest alerts, from alert events alone (the view reads no labels: a step is detected by the
// first alert whose packets fall in its span).
import { describe, expect, test } from 'vitest';
import { render } from 'ink-testing-library';
import { RunView } from '../../src/tui/components/RunView.tsx';
import { initialRunState, reduceRun, type RunAction } from '../../src/tui/run-state.ts';

const T0 = 1_000_000;
const alert = (time: number, firstPacketTime: number, lastPacketTime: number, detector = 'online:host-window'): RunAction => ({
  type: 'alert', time, detector, firstPacketTime, lastPacketTime, raisedAt: time, src: '198.18.0.11', dst: '198.18.0.10', score: 7.25,
});

describe('the live-alert pane', () => {
  const base: RunAction[] = [
    { type: 'run-started', time: T0, runDir: '/runs/x-quick', scenario: 'quick', seed: 1, plannedMs: 40_000 },
    { type: 'attack-started', time: T0 + 3000, step: 'syn-scan', command: 'nmap -sS', index: 0, total: 2 },
    { type: 'attack-finished', time: T0 + 6000, step: 'syn-scan', status: 'ok', durationMs: 3000, openPorts: 4 },
    { type: 'attack-started', time: T0 + 8000, step: 'version-detect', command: 'nmap -sV', index: 1, total: 2 },
  ];

  test('an alert on packets of a step marks that step detected after the time since it started; the other stays not yet detected', () => {
    // Given an alert raised 1.5 s after syn-scan started, for packets inside its span
    const state = [...base, alert(T0 + 4500, T0 + 3100, T0 + 3600)].reduce(reduceRun, initialRunState('quick', ['syn-scan', 'version-detect'], 40_000, T0));
    expect(state.steps[0].detectedAfterMs).toBe(1500);
    expect(state.steps[1].detectedAfterMs).toBeUndefined();
    const frame = render(<RunView state={state} width={110} />).lastFrame()!;
    expect(frame).toMatch(/Live alerts\s+1 so far/);
    expect(frame).toMatch(/syn-scan\s+detected after 1\.5 s \(online:host-window\)/);
    expect(frame).toMatch(/version-detect\s+not yet detected/);
    expect(frame).toContain('online:host-window 198.18.0.11 → 198.18.0.10 score 7.3, 0.9 s after');
  });

  test('a later alert does not move a detection earlier or later, and one before any step detects nothing', () => {
    const state = [alert(T0 + 500, T0 + 100, T0 + 200), ...base, alert(T0 + 4000, T0 + 3100, T0 + 3200), alert(T0 + 5000, T0 + 3300, T0 + 3400, 'online:threshold')]
      .reduce(reduceRun, initialRunState('quick', ['syn-scan', 'version-detect'], 40_000, T0));
    expect(state.steps[0].detectedAfterMs).toBe(1000);
    expect(state.steps[0].detectedBy).toBe('online:host-window');
    expect(state.alertCount).toBe(3);
  });

  test('no alert yet says so', () => {
    const state = base.reduce(reduceRun, initialRunState('quick', ['syn-scan', 'version-detect'], 40_000, T0));
    expect(render(<RunView state={state} width={110} />).lastFrame()).toMatch(/Live alerts\s+none yet/);
  });
});
