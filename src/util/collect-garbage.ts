// A full garbage collection on demand, between the phases of a large analysis: each phase leaves
// hundreds of MB of typed arrays unreachable, and V8 frees them only at its next collection, which
// may come after the next phase has allocated its own (both then count in the peak resident size).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** Collects now when `packets` is large enough for the garbage to matter (a collection costs ~10-50 ms). */
export function collectGarbageAfterPhase(packets: number): void {
  if (packets < COLLECT_FROM_PACKETS) return;
  if (!gc) {
    // The flag only takes effect for contexts made after it is set: a new one hands out gc().
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** Below this many packets a phase's garbage is a few tens of MB: not worth a collection. */
const COLLECT_FROM_PACKETS = 2_000_000;
