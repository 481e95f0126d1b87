// The whole TUI: scenario list → run → results, and history. It holds navigation state and turns
// keys into intents; the work (starting a run, aborting it, reading results, writing the report)
// is done by the injected actions, so the same component runs under tests with fakes.

import { useEffect, useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { RunSummary, TimedEvent } from '../../engine/events.ts';
import type { ScenarioEntry } from '../scenarios.ts';
import type { RunResults } from '../results.ts';
import { initialRunState } from '../run-state.ts';
import { intentFor, footerKeys, type Intent, type Screen } from '../keymap.ts';
import { useRunEvents } from '../hooks/use-run-events.ts';
import { useTerminalSize, type TerminalSize } from '../hooks/use-terminal-size.ts';
import { ScenarioList } from './ScenarioList.tsx';
import { RunView } from './RunView.tsx';
import { ResultsView } from './ResultsView.tsx';
import { HistoryView } from './HistoryView.tsx';
import { Footer } from './Footer.tsx';
import { ConfirmQuit } from './ConfirmQuit.tsx';
import { TooSmall, MIN_COLUMNS, MIN_ROWS } from './TooSmall.tsx';

export interface RunHandle {
  readonly scenario: string;
  readonly steps: readonly string[];
  readonly plannedMs: number;
  /** Every event of the run so far, from the first; grows while the run goes on. */
  readonly events: readonly TimedEvent[];
  readonly done: Promise<RunSummary>;
  abort(): void;
}

export interface AppActions {
  startRun(entry: ScenarioEntry): RunHandle;
  loadResults(runDir: string): RunResults;
  listRuns(): RunResults[];
  writeReport(runDir: string): Promise<string>;
  exit(code: number): void;
}

export interface AppProps {
  scenarios: readonly ScenarioEntry[];
  actions: AppActions;
  runsRoot: string;
  /** A run already started (scanlab run with the TUI): the app opens on it and quits after it. */
  initialRun?: RunHandle;
  /** Fixed size for tests; the terminal's otherwise. */
  size?: TerminalSize;
  /** The seed every run started here uses (scanlab --seed N), shown in the header. */
  seed?: number;
}

const TITLES: Record<Screen, string> = { scenarios: 'scenarios', run: 'run', results: 'results', history: 'history' };

export function App({ scenarios, actions, runsRoot, initialRun, size: sizeOverride, seed }: AppProps) {
  const standalone = initialRun !== undefined;
  const size = useTerminalSize(sizeOverride);
  const [screen, setScreen] = useState<Screen>(initialRun ? 'run' : 'scenarios');
  const [selected, setSelected] = useState(0);
  const [run, setRun] = useState<RunHandle | undefined>(initialRun);
  const [runActive, setRunActive] = useState(initialRun !== undefined);
  const [runError, setRunError] = useState<string>();
  const [results, setResults] = useState<RunResults>();
  const [resultsBack, setResultsBack] = useState<Screen>('scenarios');
  const [setIndex, setSetIndex] = useState(0);
  const [runs, setRuns] = useState<RunResults[]>([]);
  const [historySelected, setHistorySelected] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [reportNote, setReportNote] = useState<string>();
  // Selections also live in refs, so keys typed faster than renders (↓ then Enter) act in order.
  const selectedRef = useRef(0);
  const historyRef = useRef(0);
  const quitAfterRun = useRef(false);
  const exitCode = useRef(0);
  const [runState, dispatchRun] = useRunEvents(run?.events, () => initialRunState(run?.scenario ?? '', run?.steps ?? [], run?.plannedMs ?? 0));

  useEffect(() => {
    if (!run) return;
    let current = true;
    run.done.then(
      (summary) => {
        if (!current) return;
        setRunActive(false);
        exitCode.current = standalone ? (summary.status === 'ok' ? 0 : 1) : 0;
        if (quitAfterRun.current) return actions.exit(standalone ? 1 : 0);
        setResults(actions.loadResults(summary.runDir));
        setResultsBack('scenarios');
        setSetIndex(0);
        setReportNote(undefined);
        setScreen('results');
      },
      (error: unknown) => {
        if (!current) return;
        setRunActive(false);
        exitCode.current = 1;
        setRunError(error instanceof Error ? error.message : String(error));
        if (quitAfterRun.current) actions.exit(1);
      },
    );
    return () => {
      current = false;
    };
  }, [run]);

  const dispatch = (intent: Intent) => {
    switch (intent.type) {
      case 'quit':
        if (runActive) {
          if (!runState.stopping) setConfirming(true);
        } else actions.exit(exitCode.current);
        return;
      case 'confirm':
        setConfirming(false);
        if (intent.yes && run && runActive) {
          quitAfterRun.current = true;
          dispatchRun({ type: 'stop-requested' });
          run.abort();
        }
        return;
      case 'move':
        if (screen === 'scenarios') setSelected((selectedRef.current = clamp(selectedRef.current + intent.delta, scenarios.length)));
        if (screen === 'history') setHistorySelected((historyRef.current = clamp(historyRef.current + intent.delta, runs.length)));
        return;
      case 'open':
        if (screen === 'scenarios') {
          const entry = scenarios[selectedRef.current];
          if (!entry || entry.error) return;
          const handle = actions.startRun(entry);
          setRunError(undefined);
          setRun(handle);
          setRunActive(true);
          setScreen('run');
        } else if (screen === 'history') {
          const chosen = runs[historyRef.current];
          if (!chosen) return;
          setResults(actions.loadResults(chosen.runDir));
          setResultsBack('history');
          setSetIndex(0);
          setReportNote(undefined);
          setScreen('results');
        } else if (screen === 'run' && !runActive && results) setScreen('results');
        return;
      case 'back':
        if (screen === 'results' && !standalone) setScreen(resultsBack);
        else if (screen === 'history') setScreen('scenarios');
        else if (screen === 'run' && !runActive && !standalone) setScreen('scenarios');
        return;
      case 'history':
        if (standalone || runActive) return;
        setRuns(actions.listRuns());
        setHistorySelected((historyRef.current = 0));
        setScreen('history');
        return;
      case 'next-set':
        setSetIndex((i) => i + intent.delta);
        return;
      case 'write-report': {
        if (!results) return;
        const dir = results.runDir;
        setReportNote('writing…');
        actions.writeReport(dir).then(
          () => {
            setResults(actions.loadResults(dir));
            setReportNote('written');
          },
          (error: unknown) => setReportNote(`failed: ${error instanceof Error ? error.message : String(error)}`),
        );
        return;
      }
    }
  };

  // Keys may arrive between a render and its effects (when ink re-subscribes the handler): the
  // handler reads the latest render's state and dispatch through a ref, never a stale closure.
  const latest = useRef({ screen, confirming, dispatch });
  latest.current = { screen, confirming, dispatch };
  useInput((input, key) => {
    const now = latest.current;
    const intent = intentFor(now.screen, now.confirming, input, key);
    if (intent) now.dispatch(intent);
  });

  if (size.columns < MIN_COLUMNS || size.rows < MIN_ROWS) {
    return (
      <Box flexDirection="column">
        <TooSmall columns={size.columns} rows={size.rows} />
        {runActive ? <Text dimColor> a run is going on in the background{runState.stopping ? ' (stopping)' : ''}</Text> : null}
        {confirming ? <ConfirmQuit /> : null}
      </Box>
    );
  }

  const width = size.columns - 2;
  const bodyHeight = size.rows - 4 - (confirming ? 4 : 0);
  return (
    <Box flexDirection="column" width={size.columns}>
      <Box paddingX={1}>
        <Text>
          <Text bold color="magenta">
            scanlab
          </Text>
          <Text dimColor> · {TITLES[screen]}</Text>
          {seed === undefined ? null : <Text dimColor> · seed {seed}</Text>}
        </Text>
      </Box>
      <Box flexDirection="column" height={bodyHeight} overflow="hidden">
        {screen === 'scenarios' ? <ScenarioList entries={scenarios} selected={selected} width={width} height={bodyHeight} /> : null}
        {screen === 'run' ? <RunView state={runState} width={width} height={bodyHeight} error={runError} /> : null}
        {screen === 'results' && results ? <ResultsView results={results} setIndex={setIndex} width={width} height={bodyHeight} reportNote={reportNote} /> : null}
        {screen === 'history' ? <HistoryView runs={runs} selected={historySelected} root={runsRoot} width={width} height={bodyHeight} /> : null}
      </Box>
      {confirming ? <ConfirmQuit /> : <Footer keys={footerKeys(screen, { runActive, standalone })} note={runState.stopping && runActive ? 'stopping: tearing the lab down…' : undefined} />}
    </Box>
  );
}

function clamp(value: number, length: number): number {
  return Math.max(0, Math.min(length - 1, value));
}
