// The bench on a terminal: the bench view, its footer, and quitting. It folds the bench's recorded
// reports into the view's state and turns keys into intents; stopping the bench is the injected
// handle's abort, so the same component runs under tests with fakes. Once the bench is over (its
// outcome or its error is in), it draws the last frame and calls exit with the command's code.

import { useEffect, useRef, useState } from 'react';
import { Box, useInput, useStdin } from 'ink';
import { benchActive, initialBenchState, outcomeExitCode, type BenchAction } from '../bench-state.ts';
import { benchFooterKeys, benchIntentFor, type BenchIntent } from '../keymap.ts';
import { useBenchEvents } from '../hooks/use-bench-events.ts';
import { useTerminalSize, type TerminalSize } from '../hooks/use-terminal-size.ts';
import { BenchView } from './BenchView.tsx';
import { ConfirmQuit } from './ConfirmQuit.tsx';
import { Footer } from './Footer.tsx';

export interface BenchHandle {
  /** Every report of the bench so far, from the first; grows while the bench goes on. */
  readonly actions: readonly BenchAction[];
  /** Stops the bench: the current run is cut short and the runs done so far are written. */
  abort(): void;
}

export interface BenchAppProps {
  handle: BenchHandle;
  detectors: readonly string[];
  /** Runs planned, known before the bench reports its plan. */
  total: number;
  /** The bench is over and its last frame drawn: 0 all runs scored, 1 otherwise. */
  exit(code: number): void;
  /** Fixed size for tests; the terminal's otherwise. */
  size?: TerminalSize;
}

export function BenchApp({ handle, detectors, total, exit, size: sizeOverride }: BenchAppProps) {
  const size = useTerminalSize(sizeOverride);
  const { isRawModeSupported } = useStdin();
  const [state, dispatch] = useBenchEvents(handle.actions, () => initialBenchState(detectors, total));
  const [confirming, setConfirming] = useState(false);
  const active = benchActive(state);

  useEffect(() => {
    if (active) return;
    const code = state.outcome ? outcomeExitCode(state.outcome) : 1;
    // One more turn so the last frame (the outcome, printed once) is out before the view ends.
    const timer = setTimeout(() => exit(code), 50);
    return () => clearTimeout(timer);
  }, [active]);

  const act = (intent: BenchIntent) => {
    if (intent.type === 'quit') {
      if (!active) return;
      if (!state.stopping) setConfirming(true);
      return;
    }
    setConfirming(false);
    if (intent.yes && active && !state.stopping) {
      dispatch({ type: 'stop-requested' });
      handle.abort();
    }
  };
  // Keys may arrive between a render and its effects: the handler reads the latest render's state
  // through a ref, never a stale closure.
  const latest = useRef({ confirming, act });
  latest.current = { confirming, act };
  useInput(
    (input, key) => {
      const intent = benchIntentFor(latest.current.confirming, input, key);
      if (intent) latest.current.act(intent);
    },
    { isActive: isRawModeSupported === true },
  );

  const chrome = active ? (confirming ? 7 : 1) : 0;
  return (
    <Box flexDirection="column" width={size.columns}>
      <BenchView state={state} width={size.columns} height={Math.max(4, size.rows - chrome - 1)} />
      {active && confirming ? (
        <ConfirmQuit title="Stop the bench?" consequence="The current run is cut short and its lab comes down; the runs done so far are written." keep="keep going" />
      ) : null}
      {active && !confirming ? <Footer keys={benchFooterKeys(true)} note={state.stopping ? 'stopping: cutting the current run short…' : undefined} /> : null}
    </Box>
  );
}
