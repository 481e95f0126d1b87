// Folds a growing record of actions (a run's events, a bench's reports) into view state. The
// recorder appends from the very first action, so nothing emitted before the view mounted is
// lost; new ones are applied every `intervalMs` together with a clock tick, so a burst of
// actions costs one render and spinners, elapsed time and ETAs move on their own.

import { useEffect, useRef, useState } from 'react';

export function useRecorded<S, A>(
  actions: readonly A[] | undefined,
  reduce: (state: S, action: A | { type: 'tick'; time: number }) => S,
  initial: () => S,
  intervalMs: number,
): [S, (action: A) => void] {
  const [state, setState] = useState(initial);
  const applied = useRef(0);
  useEffect(() => {
    if (!actions) return;
    applied.current = 0;
    setState(initial());
    const flush = () => {
      const batch: (A | { type: 'tick'; time: number })[] = actions.slice(applied.current);
      applied.current = actions.length;
      batch.push({ type: 'tick', time: Date.now() });
      setState((s) => batch.reduce(reduce, s));
    };
    flush();
    const timer = setInterval(flush, intervalMs);
    return () => clearInterval(timer);
  }, [actions, intervalMs]);
  const dispatch = (action: A) => setState((s) => reduce(s, action));
  return [state, dispatch];
}
