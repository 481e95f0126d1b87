// The TUI's facade: two calls, so the command line never touches ink or React.
//   renderRun(scenario, bus, options)  the run view for `scanlab run` on a terminal; resolves to the
//                                      exit code (0 ok, 1 failed or interrupted)
//   renderApp({ seed, outDir })        the whole app for `scanlab` (with --seed N / --out DIR)
// (The bench view's facade, renderBench, is in bench.ts: it must not load the engine.)
// Scenarios come from SCANLAB_SCENARIOS (files or folders, ':'-separated), else ./scenarios, else
// scanlab's own; history from SCANLAB_RUNS, else ./runs (where runs are written).

import { createElement } from 'react';
import { render } from 'ink';
import { EventBus, type RunSummary } from '../engine/events.ts';
import { plannedDurationMs, runScenario } from '../engine/run.ts';
import type { Scenario } from '../scenario/normalize.ts';
import { loadScenario } from '../scenario/load.ts';
import { writeReport } from '../report/write-report.ts';
import { App, type AppActions, type RunHandle } from './components/App.tsx';
import { listScenarios } from './scenarios.ts';
import { listRuns, loadRunResults, runsRoot } from './results.ts';
import { recordEvents } from './hooks/use-run-events.ts';

export interface RenderRunOptions {
  readonly outDir?: string;
  readonly signal: AbortSignal;
  readonly abort: () => void;
  /** Live detection (off with --no-live). */
  readonly live?: boolean;
}

export async function renderRun(scenario: Scenario, bus: EventBus, options: RenderRunOptions): Promise<number> {
  const events = recordEvents((listener) => bus.subscribe(listener));
  const done = runScenario(scenario, bus, { outDir: options.outDir, signal: options.signal, live: options.live });
  done.catch(() => undefined);
  const handle: RunHandle = {
    scenario: scenario.name,
    steps: scenario.attacks.map((a) => a.name),
    plannedMs: plannedDurationMs(scenario),
    events,
    done,
    abort: options.abort,
  };
  const code = await show({ initialRun: handle, runsRoot: options.outDir ? options.outDir : runsRoot() });
  // A run that failed before it had a result (e.g. a missing prerequisite) is reported by the
  // command line like any other error, after the TUI has left the screen.
  const summary = await done;
  return code === 0 && summary.status === 'ok' ? 0 : 1;
}

export async function renderApp(options: { seed?: number; outDir?: string } = {}): Promise<number> {
  return show({ runsRoot: options.outDir ?? runsRoot(), seed: options.seed });
}

async function show(options: { initialRun?: RunHandle; runsRoot: string; seed?: number }): Promise<number> {
  let exitCode = 0;
  const controllers = new Set<AbortController>();
  let instance: ReturnType<typeof render> | undefined;
  const actions: AppActions = {
    startRun(entry) {
      // The seed given on the command line replaces the scenario file's, as scanlab run --seed does.
      const scenario = options.seed === undefined ? entry.scenario! : loadScenario(entry.path, { seed: options.seed });
      const controller = new AbortController();
      controllers.add(controller);
      const bus = new EventBus();
      const events = recordEvents((listener) => bus.subscribe(listener));
      const done: Promise<RunSummary> = runScenario(scenario, bus, { outDir: options.runsRoot, signal: controller.signal });
      const settled = done.catch(() => undefined).finally(() => {
        controllers.delete(controller);
        running.delete(settled);
      });
      running.add(settled);
      return { scenario: scenario.name, steps: scenario.attacks.map((a) => a.name), plannedMs: entry.plannedMs, events, done, abort: () => controller.abort() };
    },
    loadResults: loadRunResults,
    listRuns: () => listRuns(options.runsRoot),
    writeReport,
    exit(code) {
      exitCode = code;
      instance?.unmount();
    },
  };
  // A signal from outside (kill, a closing terminal) stops a run the app started itself.
  const running = new Set<Promise<unknown>>();
  const onSignal = () => {
    for (const c of controllers) c.abort();
    void Promise.allSettled([...running]).then(() => actions.exit(1));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    const props = { scenarios: options.initialRun ? [] : listScenarios(), actions, runsRoot: options.runsRoot, initialRun: options.initialRun, seed: options.seed };
    instance = render(createElement(App, props), {
      exitOnCtrlC: false,
    });
    await instance.waitUntilExit();
    return exitCode;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}
