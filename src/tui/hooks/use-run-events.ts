// Folds a run's recorded events into the run view's state. The recorder (see index.ts) appends
// every event from the run's very first one, so nothing emitted before the view mounted is lost;
// new events are applied every 100 ms, which is also the clock tick for spinners and elapsed time,
// so a burst of capture stats costs one render.

import { useEffect, useRef, useState } from 'react';
import type { TimedEvent } from '../../engine/events.ts';
import { reduceRun, type RunAction, type RunViewState } from '../run-state.ts';

export function useRunEvents(events: readonly TimedEvent[] | undefined, initial: () => RunViewState, intervalMs = 100): [RunViewState, (action: RunAction) => void] {
  const [state, setState] = useState(initial);
  const applied = useRef(0);
  useEffect(() => {
    if (!events) return;
    applied.current = 0;
    setState(initial());
    const flush = () => {
      const batch: RunAction[] = events.slice(applied.current);
      applied.current = events.length;
      batch.push({ type: 'tick', time: Date.now() });
      setState((s) => batch.reduce(reduceRun, s));
    };
    flush();
    const timer = setInterval(flush, intervalMs);
    return () => clearInterval(timer);
  }, [events, intervalMs]);
  const dispatch = (action: RunAction) => setState((s) => reduceRun(s, action));
  return [state, dispatch];
}

/** Subscribes a recorder to a bus: the returned array grows with every event. */
export function recordEvents(subscribe: (listener: (event: TimedEvent) => void) => () => void): TimedEvent[] {
  const events: TimedEvent[] = [];
  subscribe((event) => events.push(event));
  return events;
}
