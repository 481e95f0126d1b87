// Each view: state in, frame out (ink-testing-library renders to a string).
import { describe, expect, test } from 'vitest';
import { render } from 'ink-testing-library';
import { ScenarioList } from '../../src/tui/components/ScenarioList.tsx';
import { RunView } from '../../src/tui/components/RunView.tsx';
import { ResultsView } from '../../src/tui/components/ResultsView.tsx';
import { HistoryView } from '../../src/tui/components/HistoryView.tsx';
import { initialRunState, reduceRun, type RunAction } from '../../src/tui/run-state.ts';
import { ENTRIES, RESULTS } from './helpers.ts';

const T0 = 1_000_000;

describe('ScenarioList', () => {
  test('shows the list with durations and the chosen scenario\'s description, hosts and steps', () => {
    const { lastFrame } = render(<ScenarioList entries={ENTRIES} selected={0} width={96} height={30} />);
    const frame = lastFrame()!;
    expect(frame).toMatch(/▸ quick\s+40s/);
    expect(frame).toContain('The demo: web, SSH and DNS');
    expect(frame).toMatch(/victim\s+victim\s+198\.18\.0\.10\s+http ssh/);
    expect(frame).toMatch(/1\. syn-scan\s+nmap -sS -p 1-1000 victim/);
    expect(frame).toContain('expected duration 40s');
  });

  test('a scenario that does not load shows its error instead of details', () => {
    const { lastFrame } = render(<ScenarioList entries={ENTRIES} selected={1} width={96} height={30} />);
    expect(lastFrame()).toContain('no host has role: victim');
  });

  test('no scenarios says where to put them', () => {
    const { lastFrame } = render(<ScenarioList entries={[]} selected={0} width={96} height={30} />);
    expect(lastFrame()).toContain('SCANLAB_SCENARIOS');
  });
});

describe('RunView', () => {
  const actions: RunAction[] = [
    { type: 'run-started', time: T0, runDir: '/runs/x-quick', scenario: 'quick', seed: 1, plannedMs: 40_000 },
    { type: 'phase-started', time: T0, phase: 'prepare' },
    { type: 'phase-finished', time: T0 + 500, phase: 'prepare', status: 'ok', durationMs: 500 },
    { type: 'phase-finished', time: T0 + 1000, phase: 'capture', status: 'ok', durationMs: 500 },
    { type: 'phase-finished', time: T0 + 2000, phase: 'traffic', status: 'ok', durationMs: 1000 },
    { type: 'phase-started', time: T0 + 2000, phase: 'attack' },
    { type: 'capture-stats', time: T0 + 2500, stats: { packets: 1234, bytes: 99_000, received: 1234, dropped: 0, ifDropped: 0, elapsedMs: 1 } },
    { type: 'attack-started', time: T0 + 3000, step: 'syn-scan', command: 'nmap -sS', index: 0, total: 1 },
    { type: 'attack-progress', time: T0 + 4000, step: 'syn-scan', phase: 'SYN Stealth Scan', percent: 40, remainingSeconds: 12 },
    { type: 'traffic-activity', time: T0 + 4000, host: 'client', counters: { web: { sessions: 7, bytes: 4096, failures: 2 } } },
    { type: 'tick', time: T0 + 12_000 },
  ];
  const running = actions.reduce(reduceRun, initialRunState('quick', ['syn-scan'], 40_000, T0));

  test('shows phases, live total without the split, the step\'s progress and ETA, activity and times', () => {
    const frame = render(<RunView state={running} width={96} />).lastFrame()!;
    expect(frame).toMatch(/✔ prepare\s+500ms/);
    expect(frame).toMatch(/· teardown/);
    expect(frame).toContain('total 1,234');
    expect(frame).toContain('scan/benign after labelling');
    expect(frame).toContain('dropped 0');
    expect(frame).toMatch(/syn-scan\s+█+░+\s+40% ETA 0:12\s+SYN Stealth/);
    expect(frame).toMatch(/client\s+web 7/);
    expect(frame).toContain('2 failed');
    expect(frame).toContain('elapsed 0:12');
    expect(frame).toContain('remaining ~0:30');
  });

  test('shows the scan/benign split and the status once the result is in', () => {
    const done = reduceRun(running, {
      type: 'result',
      time: T0 + 40_000,
      summary: { runDir: '/runs/x-quick', scenario: 'quick', seed: 1, status: 'interrupted', packets: 1300, scan: 300, benign: 1000, dropped: 5, steps: [], durationMs: 40_000 },
    });
    const frame = render(<RunView state={done} width={96} />).lastFrame()!;
    expect(frame).toMatch(/scan 300\s+benign 1,000/);
    expect(frame).toContain('dropped 5');
    expect(frame).toContain('run interrupted');
    expect(frame).toMatch(/– report\s+not run/);
  });

  test('below the panels, the log shows the latest notable events with their time', () => {
    const frame = render(<RunView state={running} width={96} height={36} />).lastFrame()!;
    expect(frame).toContain('Log');
    expect(frame).toMatch(/0:03 step 1\/1 syn-scan: nmap -sS/);
    expect(frame).toMatch(/0:01 prepare done in 0\.5s/);
  });

  test('an error from the engine is shown', () => {
    expect(render(<RunView state={running} width={96} error="nmap is missing" />).lastFrame()).toContain('✖ nmap is missing');
  });
});

describe('ResultsView', () => {
  test('shows detection first, then separation with the chosen set\'s clusters by label, and the paths', () => {
    const frame = render(<ResultsView results={RESULTS} setIndex={1} width={96} height={34} />).lastFrame()!;
    expect(frame).toContain('2026-11-28 06:04');
    expect(frame).toMatch(/11,080 packets \(2,081 scan, 8,999 benign\)/);
    // detection: base rate, precision, recall, F1, ROC-AUC, attackers named, benign hosts flagged, false alarms/h
    expect(frame).toContain('Detection (no detector reads labels; scored per packet after the training part)');
    expect(frame).toContain("training part: the run's warm-up, the first 20.0 s");
    expect(frame).toMatch(/host-window\s+0\.188\s+0\.970\s+0\.951\s+0\.951\s+0\.991\s+1\/1\s+0\s+0/);
    expect(frame).toMatch(/kaggle-rating\s+0\.188\s+0\.970\s+0\.412\s+0\.412\s+-\s+1\/1\s+2\s+120/);
    // separation comes after detection, labelled as not detection, with the majority-rule F1 and rating
    const detection = frame.indexOf('Detection');
    const separation = frame.indexOf('Separation');
    expect(detection).toBeGreaterThanOrEqual(0);
    expect(separation).toBeGreaterThan(frame.indexOf('threshold'));
    expect(frame).toContain('the labels name the scan clusters: not a detection score');
    expect(frame).toMatch(/sds-window\s+1,671\s+23\s+0\.500\s+0\.600\s+0\.600\s+0\.990\s+0\.639\s+1\.0/);
    expect(frame).toMatch(/▸ kaggle-flow\s+2,353\s+5\s+0\.500\s+0\.600\s+0\.600\s+0\.990\s+0\.998\s+2\.0/);
    expect(frame).toMatch(/Clusters × labels for kaggle-flow/);
    expect(frame).toMatch(/#4\s+2,073\s+0\s+scan/);
    expect(frame).toMatch(/#1\s+0\s+6,841\s+benign/);
    expect(frame).toContain('/runs/20261128-060439-quick/dataset');
    expect(frame).toContain('not written yet (r writes it)');
  });

  test('a run without analysis says why there are no scores', () => {
    const frame = render(<ResultsView results={{ ...RESULTS, detectors: [], featureSets: [], status: 'interrupted' }} setIndex={0} width={96} height={34} />).lastFrame()!;
    expect(frame).toContain('no analysis.json');
    expect(frame).toContain('run interrupted');
  });
});

describe('HistoryView', () => {
  test('lists runs with date, scenario, status, packets and the best detection F1, never a separation score', () => {
    const other = { ...RESULTS, runDir: '/runs/b', scenario: 'tiny', status: 'failed', detectors: [], featureSets: [] };
    const frame = render(<HistoryView runs={[RESULTS, other]} selected={1} root="/runs" width={96} height={20} />).lastFrame()!;
    expect(frame).toContain('best detection F1');
    // host-window detects best (0.951); kaggle-flow's separation 0.998 is not a detection score
    expect(frame).toMatch(/2026-11-28 06:04\s+quick\s+ok\s+11,080\s+0\.951 \(host-window\)/);
    expect(frame).not.toContain('0.998');
    expect(frame).toMatch(/▸ .*tiny\s+failed/);
  });

  test('no runs says where they are looked for', () => {
    expect(render(<HistoryView runs={[]} selected={0} root="/runs" width={96} height={20} />).lastFrame()).toContain('No runs in /runs');
  });
});
