// The bench view: state in, frame out; and the bench app: keys in, intents out (q then y aborts).
import { describe, expect, test, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { BenchView } from '../../src/tui/components/BenchView.tsx';
import { BenchApp, type BenchHandle } from '../../src/tui/components/BenchApp.tsx';
import { initialBenchState, reduceBench, type BenchAction, type FinishedRun } from '../../src/tui/bench-state.ts';
import { ACTIONS, DETECTORS, FIRST, JOBS, OUTCOME, T0 } from './bench-fixtures.ts';
import { waitFor, waitForFrame } from './helpers.ts';

const running = ACTIONS.reduce(reduceBench, initialBenchState(DETECTORS, 3, T0));

describe('BenchView', () => {
  test('shows the overall bar with done/total and percent, elapsed and ETA, and the run going on', () => {
    const frame = render(<BenchView state={running} width={100} height={30} />).lastFrame()!;
    expect(frame).toMatch(/bench .*3 runs · host-window, threshold, trw/);
    expect(frame).toContain('elapsed 1:02');
    expect(frame).toContain('ETA ~1:30');
    expect(frame).toMatch(/█+░+ 1\/3\s+46%/);
    expect(frame).toMatch(/now tiny #2 \(run 2 of 3\)\s+attack: syn-scan 42% SYN Stealth Scan\s+1,234 packets · 0:10/);
  });

  test('the finished runs table has scenario, repeat, packets and each detector\'s scan F1', () => {
    const frame = render(<BenchView state={running} width={100} height={30} />).lastFrame()!;
    expect(frame).toMatch(/#\s+scenario\s+rep\s+packets\s+scan\s+host-window\s+threshold\s+trw\s+time/);
    expect(frame).toMatch(/1\s+tiny\s+#1\s+11,080\s+2,081\s+0\.912\s+1\.000\s+0\.987\s+0:52/);
    expect(frame).toContain('[1/3  40%] tiny #1: 11080 packets');
  });

  test('a run not scored says why; an existing capture shows its directory and no repeat', () => {
    const s = [
      { type: 'job-started', time: T0 + 62_000, index: 2 },
      { type: 'job-finished', time: T0 + 63_000, progress: { label: '/runs/20260101-quiet', done: 2, total: 3, percent: 80, remainingMs: 0, failure: 'capture.pcap holds no packets' } },
    ].reduce((st, a) => reduceBench(st, a as BenchAction), running);
    const frame = render(<BenchView state={s} width={100} height={30} />).lastFrame()!;
    expect(frame).toMatch(/2\s+quiet 20260101-quiet\s+–\s+not scored: capture\.pcap holds no packets/);
  });

  test('before the first run: no rows yet, the ETA from the plan', () => {
    const s = reduceBench(initialBenchState(DETECTORS, 3, T0), { type: 'planned', time: T0, jobs: JOBS });
    const frame = render(<BenchView state={s} width={100} height={30} />).lastFrame()!;
    expect(frame).toContain('none yet');
    expect(frame).toContain('ETA ~2:30');
    expect(frame).toContain('starting…');
  });

  test('the table keeps the latest runs that fit and counts the others', () => {
    const runs: FinishedRun[] = Array.from({ length: 30 }, (_, i) => ({ label: `tiny #${i + 1}`, scenario: 'tiny', repeat: i + 1, packets: 100, scanPackets: 10, scanF1: { threshold: 1 }, durationMs: 1000 }));
    const s = { ...running, finished: runs, log: [] };
    const frame = render(<BenchView state={s} width={100} height={20} />).lastFrame()!;
    expect(frame).toContain('… 19 earlier');
    expect(frame).toMatch(/30\s+tiny\s+#30/);
    expect(frame).not.toMatch(/\s19\s+tiny\s+#19\s/);
    expect(frame.split('\n').length).toBeLessThanOrEqual(20);
  });

  test('on an 80-column terminal the five default detectors still fit: narrower columns, no time, no line wraps', () => {
    const five = ['sds-window', 'kaggle-flow', 'host-window', 'threshold', 'trw'];
    const run: FinishedRun = { label: 'tiny #1', scenario: 'tiny', repeat: 1, packets: 11_080, scanPackets: 2_081, scanF1: { 'sds-window': 0.639, 'kaggle-flow': 0.998, 'host-window': 0.912, threshold: 1, trw: 0.987 }, durationMs: 52_000 };
    const s = { ...initialBenchState(five, 3, T0), finished: [run] };
    const frame = render(<BenchView state={s} width={80} height={24} />).lastFrame()!;
    expect(frame).toMatch(/1\s+tiny\s+#1\s+11,080\s+2,081\s+0\.639\s+0\.998\s+0\.912\s+1\.000\s+0\.987/);
    expect(frame).toMatch(/sds-w…\s+kaggl…/);
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  test('once over: the runs, the leaderboard and the files written', () => {
    const s = reduceBench(running, { type: 'finished', time: T0 + 150_000, outcome: OUTCOME });
    const frame = render(<BenchView state={s} width={100} height={30} />).lastFrame()!;
    expect(frame).toContain('bench done: 2 runs scored in 2:30');
    expect(frame).toMatch(/1\s+tiny\s+#1\s+11,080/);
    expect(frame).toContain('Leaderboard');
    expect(frame).toContain('tiny: 2 runs, 11000 packets (18.8% scan)');
    expect(frame).toMatch(/1\s+threshold\s+1\.000 ± 0\.000/);
    for (const f of ['/b/out/bench.json', '/b/out/bench.csv', '/b/out/bench.html', '/b/out/bench.md']) expect(frame).toContain(f);
  });

  test('an interrupted bench says so', () => {
    const s = reduceBench(running, { type: 'finished', time: T0 + 70_000, outcome: { ...OUTCOME, runs: 1, interrupted: true } });
    expect(render(<BenchView state={s} width={100} height={30} />).lastFrame()).toContain('bench interrupted after 1 of 3 runs (1:10); the results so far are written');
  });
});

describe('BenchApp', () => {
  const SIZE = { columns: 100, rows: 30 };
  /** A handle whose recorded actions the test appends to, as the bench would. */
  function fakeBench() {
    const actions: BenchAction[] = [];
    const handle: BenchHandle = { actions, abort: vi.fn() };
    const now = Date.now();
    actions.push({ type: 'planned', time: now, jobs: JOBS }, { type: 'job-started', time: now, index: 0 });
    return { handle, actions, now };
  }

  test('q asks to confirm; y asks the bench to stop and the view says it is stopping', async () => {
    const { handle } = fakeBench();
    const exit = vi.fn();
    const { lastFrame, stdin } = render(<BenchApp handle={handle} detectors={DETECTORS} total={3} exit={exit} size={SIZE} />);
    await waitForFrame(lastFrame, 'now tiny #1');
    expect(lastFrame()).toContain('q stop the bench');
    stdin.write('q');
    await waitForFrame(lastFrame, 'Stop the bench?');
    expect(handle.abort).not.toHaveBeenCalled();
    stdin.write('y');
    await waitFor(() => (handle.abort as ReturnType<typeof vi.fn>).mock.calls.length === 1, 'abort');
    await waitForFrame(lastFrame, 'stopping');
    expect(lastFrame()).not.toContain('Stop the bench?');
    expect(exit).not.toHaveBeenCalled();
  });

  test('n (or esc) keeps the bench going; Ctrl-C asks too', async () => {
    const { handle } = fakeBench();
    const { lastFrame, stdin } = render(<BenchApp handle={handle} detectors={DETECTORS} total={3} exit={vi.fn()} size={SIZE} />);
    await waitForFrame(lastFrame, 'now tiny #1');
    stdin.write('\x03');
    await waitForFrame(lastFrame, 'Stop the bench?');
    stdin.write('n');
    await waitFor(() => !lastFrame()!.includes('Stop the bench?'), 'the question to go');
    expect(handle.abort).not.toHaveBeenCalled();
  });

  test('the bench\'s reports show up as they come; its outcome ends the view with the exit code', async () => {
    const { handle, actions, now } = fakeBench();
    const exit = vi.fn();
    const { lastFrame } = render(<BenchApp handle={handle} detectors={DETECTORS} total={3} exit={exit} size={SIZE} />);
    await waitForFrame(lastFrame, 'none yet');
    actions.push({ type: 'job-finished', time: now + 5, progress: FIRST });
    await waitForFrame(lastFrame, /1\s+tiny\s+#1\s+11,080/);
    actions.push({ type: 'finished', time: now + 10, outcome: OUTCOME });
    await waitFor(() => exit.mock.calls.length === 1, 'exit');
    expect(exit).toHaveBeenCalledWith(0);
    const frame = lastFrame()!;
    expect(frame).toContain('Leaderboard');
    expect(frame).toContain('/b/out/bench.html');
    expect(frame).not.toContain('stop the bench');
  });

  test('a bench that fails before its outcome shows the error and ends with 1', async () => {
    const { handle, actions, now } = fakeBench();
    const exit = vi.fn();
    const { lastFrame } = render(<BenchApp handle={handle} detectors={DETECTORS} total={3} exit={exit} size={SIZE} />);
    actions.push({ type: 'failed', time: now + 1, message: 'nmap not found' });
    await waitFor(() => exit.mock.calls.length === 1, 'exit');
    expect(exit).toHaveBeenCalledWith(1);
    expect(lastFrame()).toContain('✖ nmap not found');
  });
});
