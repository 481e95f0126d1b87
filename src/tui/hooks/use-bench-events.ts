// Folds a bench's recorded actions into the bench view's state, as useRunEvents does for a run:
// the recorder (see ../bench.ts) appends every report from the bench's first one.

import { reduceBench, type BenchAction, type BenchViewState } from '../bench-state.ts';
import { useRecorded } from './use-recorded.ts';

export function useBenchEvents(actions: readonly BenchAction[], initial: () => BenchViewState, intervalMs = 100): [BenchViewState, (action: BenchAction) => void] {
  return useRecorded<BenchViewState, BenchAction>(actions, reduceBench, initial, intervalMs);
}
