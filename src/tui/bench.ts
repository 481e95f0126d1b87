// The bench's TUI facade, apart from index.ts so that `scanlab bench --runs …` on a terminal loads
// neither the engine nor the lab (runBench loads them only for lab runs):
//   renderBench(plan, options)  the bench view for `scanlab bench` on a terminal; resolves to the
//                               exit code (0 every run scored, 1 otherwise); a bench that fails
//                               before it has an outcome rejects, after the view has ended.
// The bench's reports are recorded from its first one and folded into the view's state by the view.

import { createElement } from 'react';
import { render } from 'ink';
import type { TimedEvent } from '../engine/events.ts';
import { runBench, type BenchPlan, type BenchWatch } from '../bench/run-bench.ts';
import { formatOverall } from '../bench/format-leaderboard.ts';
import type { BenchAction } from './bench-state.ts';
import { BenchApp } from './components/BenchApp.tsx';

export interface RenderBenchOptions {
  readonly signal: AbortSignal;
  readonly abort: () => void;
}

/** The engine events the bench view reads; the rest (e.g. per-host traffic counters) are not kept. */
const VIEWED: ReadonlySet<TimedEvent['type']> = new Set(['phase-started', 'progress', 'attack-started', 'attack-progress', 'capture-stats']);

/** How long the bench waits before scoring a run, so the view can show that it is scoring. */
const SCORING_PAUSE_MS = 150;

export async function renderBench(plan: BenchPlan, options: RenderBenchOptions): Promise<number> {
  const actions: BenchAction[] = [];
  const push = (action: BenchAction) => void actions.push(action);
  const onAbort = () => push({ type: 'stop-requested' });
  options.signal.addEventListener('abort', onAbort, { once: true });
  const watch: BenchWatch = {
    planned: (jobs) => push({ type: 'planned', time: Date.now(), jobs }),
    started: (index) => push({ type: 'job-started', time: Date.now(), index }),
    scoring: (index) => {
      push({ type: 'job-scoring', time: Date.now(), index });
      return new Promise((resolve) => setTimeout(resolve, SCORING_PAUSE_MS));
    },
    engineEvent: (index, event) => {
      if (VIEWED.has(event.type)) push({ type: 'engine', index, event });
    },
  };
  const done = runBench(plan, (text) => push({ type: 'log', time: Date.now(), text }), options.signal, (progress) => push({ type: 'job-finished', time: Date.now(), progress }), watch);
  let over = false;
  const settled = done.then(
    ({ report, board, files }) =>
      push({
        type: 'finished',
        time: Date.now(),
        outcome: { leaderboard: `${formatOverall(board)}\nper scenario, and separation: ${files.markdown}`, files, runs: report.runs.length, failures: report.failures.length, interrupted: report.interrupted },
      }),
    (error: unknown) => push({ type: 'failed', time: Date.now(), message: error instanceof Error ? error.message : String(error) }),
  ).finally(() => {
    over = true;
  });
  let code = 1;
  try {
    const instance = render(
      createElement(BenchApp, {
        handle: { actions, abort: options.abort },
        detectors: [...plan.detectors.detectors, ...plan.detectors.external.map((e) => e.name)],
        total: plan.scenarios.length * plan.repeat + plan.inputs.length,
        exit: (c: number) => {
          code = c;
          instance.unmount();
        },
      }),
      { exitOnCtrlC: false },
    );
    await instance.waitUntilExit();
  } finally {
    // Should the view end early (it only ends once the bench is over), the bench is stopped and
    // still writes what it has.
    if (!over) options.abort();
    await settled;
    options.signal.removeEventListener('abort', onAbort);
  }
  // A bench that failed before its outcome is reported by the command line like any other error.
  await done;
  return code;
}
