// Folds a run's recorded events into the run view's state (see use-recorded.ts); the recorder
// (see index.ts) appends every event from the run's very first one.

import type { TimedEvent } from '../../engine/events.ts';
import { reduceRun, type RunAction, type RunViewState } from '../run-state.ts';
import { useRecorded } from './use-recorded.ts';

export function useRunEvents(events: readonly TimedEvent[] | undefined, initial: () => RunViewState, intervalMs = 100): [RunViewState, (action: RunAction) => void] {
  return useRecorded<RunViewState, RunAction>(events, reduceRun, initial, intervalMs);
}

/** Subscribes a recorder to a bus: the returned array grows with every event. */
export function recordEvents(subscribe: (listener: (event: TimedEvent) => void) => () => void): TimedEvent[] {
  const events: TimedEvent[] = [];
  subscribe((event) => events.push(event));
  return events;
}
