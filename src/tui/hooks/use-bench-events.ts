// Folds a bench's recorded actions into the bench view's state, as useRunEvents does for a run:
// the recorder (see ../bench.ts) appends every report from the bench's first one, and new ones are
// applied every 100 ms, which is also the clock tick for the spinner, elapsed time and ETA.

import { useEffect, useRef, useState } from 'react';
import { reduceBench, type BenchAction, type BenchViewState } from '../bench-state.ts';

export function useBenchEvents(actions: readonly BenchAction[], initial: () => BenchViewState, intervalMs = 100): [BenchViewState, (action: BenchAction) => void] {
  const [state, setState] = useState(initial);
  const applied = useRef(0);
  useEffect(() => {
    applied.current = 0;
    setState(initial());
    const flush = () => {
      const batch: BenchAction[] = actions.slice(applied.current);
      applied.current = actions.length;
      batch.push({ type: 'tick', time: Date.now() });
      setState((s) => batch.reduce(reduceBench, s));
    };
    flush();
    const timer = setInterval(flush, intervalMs);
    return () => clearInterval(timer);
  }, [actions, intervalMs]);
  const dispatch = (action: BenchAction) => setState((s) => reduceBench(s, action));
  return [state, dispatch];
}
