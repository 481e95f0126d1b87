// Subscribes to a run's event bus and folds events into the run view's state. Events are batched
// and applied every 100 ms (also the clock tick for spinners and elapsed time), so a burst of
// capture stats costs one render.

import { useEffect, useRef, useState } from 'react';
import type { EventBus, TimedEvent } from '../../engine/events.ts';
import { reduceRun, type RunAction, type RunViewState } from '../run-state.ts';

export function useRunEvents(bus: EventBus | undefined, initial: () => RunViewState, intervalMs = 100): [RunViewState, (action: RunAction) => void] {
  const [state, setState] = useState(initial);
  const pending = useRef<RunAction[]>([]);
  useEffect(() => {
    if (!bus) return;
    const unsubscribe = bus.subscribe((event: TimedEvent) => {
      pending.current.push(event);
    });
    const flush = () => {
      const batch = pending.current;
      pending.current = [];
      batch.push({ type: 'tick', time: Date.now() });
      setState((s) => batch.reduce(reduceRun, s));
    };
    const timer = setInterval(flush, intervalMs);
    return () => {
      unsubscribe();
      clearInterval(timer);
      flush();
    };
  }, [bus, intervalMs]);
  const dispatch = (action: RunAction) => setState((s) => reduceRun(s, action));
  return [state, dispatch];
}
