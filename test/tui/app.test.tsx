// The app: keys in, intents out. Actions are fakes; a run is a growing event list and a promise.
import { describe, expect, test, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { App, type AppActions, type RunHandle } from '../../src/tui/components/App.tsx';
import type { RunSummary, TimedEvent } from '../../src/engine/events.ts';
import { ENTRIES, RESULTS, waitFor, waitForFrame } from './helpers.ts';

const KEY = { down: '\u001B[B', up: '\u001B[A', right: '\u001B[C', enter: '\r', escape: '\u001B', ctrlC: '\u0003' };
const SIZE = { columns: 100, rows: 40 };
const tick = () => new Promise((r) => setTimeout(r, 20));

function fakeRun() {
  const events: TimedEvent[] = [];
  let finish!: (s: RunSummary) => void;
  const done = new Promise<RunSummary>((resolve) => (finish = resolve));
  const handle: RunHandle = { scenario: 'quick', steps: ['syn-scan'], plannedMs: 40_000, events, done, abort: vi.fn() };
  const summary: RunSummary = { runDir: RESULTS.runDir, scenario: 'quick', seed: 1, status: 'ok', packets: 10, scan: 4, benign: 6, dropped: 0, steps: [], durationMs: 1000 };
  return { handle, events, finish: (status: RunSummary['status'] = 'ok') => finish({ ...summary, status }) };
}

function fakeActions(run = fakeRun()) {
  const actions: AppActions = {
    startRun: vi.fn(() => run.handle),
    loadResults: vi.fn(() => RESULTS),
    listRuns: vi.fn(() => [RESULTS, { ...RESULTS, runDir: '/runs/old', scenario: 'tiny' }]),
    writeReport: vi.fn(async () => RESULTS.reportPath),
    exit: vi.fn(),
  };
  return { actions, run };
}

describe('App', () => {
  test('Enter on a scenario starts it; the run view follows its events; the result opens the results', async () => {
    // Given the scenario list
    const { actions, run } = fakeActions();
    const { lastFrame, stdin } = render(<App scenarios={ENTRIES} actions={actions} runsRoot="/runs" size={SIZE} />);
    await waitForFrame(lastFrame, '▸ quick');
    // When Enter is pressed
    stdin.write(KEY.enter);
    // Then that scenario's run starts and the run view shows its events
    await waitFor(() => (actions.startRun as ReturnType<typeof vi.fn>).mock.calls.length === 1, 'startRun');
    expect((actions.startRun as ReturnType<typeof vi.fn>).mock.calls[0][0]).toBe(ENTRIES[0]);
    run.events.push({ type: 'run-started', runDir: '/runs/x', scenario: 'quick', seed: 1, plannedMs: 40_000, time: Date.now() });
    run.events.push({ type: 'capture-stats', stats: { packets: 4321, bytes: 1, received: 1, dropped: 0, ifDropped: 0, elapsedMs: 1 }, time: Date.now() });
    await waitForFrame(lastFrame, 'total 4,321');
    expect(lastFrame()).toContain('stop the run');
    // When the run finishes, the results view opens on that run directory
    run.finish();
    await waitForFrame(lastFrame, 'Separation (k-means on every row');
    expect(actions.loadResults).toHaveBeenCalledWith(RESULTS.runDir);
  });

  test('the seed given on the command line is shown in the header', async () => {
    const { actions } = fakeActions();
    const { lastFrame } = render(<App scenarios={ENTRIES} actions={actions} runsRoot="/runs" size={SIZE} seed={7} />);
    await waitForFrame(lastFrame, '▸ quick');
    expect(lastFrame()).toContain('scenarios · seed 7');
  });

  test('the picker skips nothing: arrows move, a broken scenario cannot be started', async () => {
    const { actions } = fakeActions();
    const { lastFrame, stdin } = render(<App scenarios={ENTRIES} actions={actions} runsRoot="/runs" size={SIZE} />);
    await waitForFrame(lastFrame, '▸ quick');
    stdin.write(KEY.down);
    await waitForFrame(lastFrame, /▸ broken/);
    stdin.write(KEY.enter);
    await tick();
    expect(actions.startRun).not.toHaveBeenCalled();
  });

  test('q during a run asks first; n keeps it running, y aborts and quits once the engine is done', async () => {
    const { actions, run } = fakeActions();
    const { lastFrame, stdin } = render(<App scenarios={[]} actions={actions} runsRoot="/runs" initialRun={run.handle} size={SIZE} />);
    await waitForFrame(lastFrame, 'stop the run');
    stdin.write('q');
    await waitForFrame(lastFrame, 'Stop the run?');
    stdin.write('n');
    await waitForFrame(lastFrame, 'stop the run');
    expect(run.handle.abort).not.toHaveBeenCalled();
    stdin.write(KEY.ctrlC);
    await waitForFrame(lastFrame, 'Stop the run?');
    stdin.write('y');
    await waitFor(() => (run.handle.abort as ReturnType<typeof vi.fn>).mock.calls.length === 1, 'abort');
    expect(actions.exit).not.toHaveBeenCalled();
    await waitForFrame(lastFrame, 'tearing the lab down');
    run.finish('interrupted');
    await waitFor(() => (actions.exit as ReturnType<typeof vi.fn>).mock.calls.length === 1, 'exit');
    expect(actions.exit).toHaveBeenCalledWith(1);
  });

  test('a second Ctrl-C while asking confirms the stop', async () => {
    const { actions, run } = fakeActions();
    const { lastFrame, stdin } = render(<App scenarios={[]} actions={actions} runsRoot="/runs" initialRun={run.handle} size={SIZE} />);
    await waitForFrame(lastFrame, 'stop the run');
    stdin.write(KEY.ctrlC);
    await waitForFrame(lastFrame, 'Stop the run?');
    stdin.write(KEY.ctrlC);
    await waitFor(() => (run.handle.abort as ReturnType<typeof vi.fn>).mock.calls.length === 1, 'abort');
  });

  test('keys typed faster than renders act in order: ↓ then Enter starts the second scenario', async () => {
    const { actions } = fakeActions();
    const other = { ...ENTRIES[0], name: 'other', path: '/s/other.yaml' };
    const { lastFrame, stdin } = render(<App scenarios={[ENTRIES[0], other]} actions={actions} runsRoot="/runs" size={SIZE} />);
    await waitForFrame(lastFrame, '▸ quick');
    stdin.write(KEY.down);
    stdin.write(KEY.enter);
    await waitFor(() => (actions.startRun as ReturnType<typeof vi.fn>).mock.calls.length === 1, 'startRun');
    expect((actions.startRun as ReturnType<typeof vi.fn>).mock.calls[0][0]).toBe(other);
  });

  test('q with no run going quits at once', async () => {
    const { actions } = fakeActions();
    const { lastFrame, stdin } = render(<App scenarios={ENTRIES} actions={actions} runsRoot="/runs" size={SIZE} />);
    await waitForFrame(lastFrame, '▸ quick');
    stdin.write('q');
    await waitFor(() => (actions.exit as ReturnType<typeof vi.fn>).mock.calls.length === 1, 'exit');
    expect(actions.exit).toHaveBeenCalledWith(0);
  });

  test('h opens the history; Enter opens a past run\'s results; r writes its report; Esc goes back', async () => {
    const { actions } = fakeActions();
    const { lastFrame, stdin } = render(<App scenarios={ENTRIES} actions={actions} runsRoot="/runs" size={SIZE} />);
    await waitForFrame(lastFrame, '▸ quick');
    stdin.write('h');
    await waitForFrame(lastFrame, 'best detection F1');
    stdin.write(KEY.down);
    await waitForFrame(lastFrame, /▸ .*tiny/);
    stdin.write(KEY.enter);
    await waitForFrame(lastFrame, 'Separation (k-means on every row');
    expect(actions.loadResults).toHaveBeenCalledWith('/runs/old');
    stdin.write(KEY.right);
    await waitForFrame(lastFrame, 'Clusters × labels for kaggle-flow');
    stdin.write('r');
    await waitForFrame(lastFrame, 'written');
    expect(actions.writeReport).toHaveBeenCalledWith(RESULTS.runDir);
    stdin.write(KEY.escape);
    await waitForFrame(lastFrame, 'best detection F1');
  });

  test('a run that fails before its result shows the error', async () => {
    const events: TimedEvent[] = [];
    const handle: RunHandle = { scenario: 'quick', steps: [], plannedMs: 1, events, done: Promise.reject(new Error('nmap is not installed')), abort: vi.fn() };
    const { actions } = fakeActions();
    const { lastFrame } = render(<App scenarios={[]} actions={actions} runsRoot="/runs" initialRun={handle} size={SIZE} />);
    await waitForFrame(lastFrame, '✖ nmap is not installed');
  });

  test('a terminal too small says so instead of drawing', () => {
    const { actions } = fakeActions();
    const { lastFrame } = render(<App scenarios={ENTRIES} actions={actions} runsRoot="/runs" size={{ columns: 60, rows: 20 }} />);
    expect(lastFrame()).toContain('Terminal too small: 60×20');
  });

  test('too small during a run still asks before stopping it', async () => {
    const { actions, run } = fakeActions();
    const { lastFrame, stdin } = render(<App scenarios={[]} actions={actions} runsRoot="/runs" initialRun={run.handle} size={{ columns: 60, rows: 20 }} />);
    await waitForFrame(lastFrame, 'a run is going on');
    stdin.write('q');
    await waitForFrame(lastFrame, 'Stop the run?');
  });
});
