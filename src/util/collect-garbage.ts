// A full garbage collection on demand, between the phases of a large analysis: each phase leaves
// hundreds of MB of typed arrays unreachable, and V8 frees them only at its next collection, which
// may come after the next phase has allocated its own (both then count in the peak resident size).
// A k-means helper thread (src/cluster/lloyd-pool.ts) lets go of the shared arrays it read (a
// 364 MB matrix at 20M packets) only as it exits, some 20-150 ms after the clustering returned:
// the first collection after one waits, without using the CPU, until that memory is back.
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
  if (releasePending) {
    releasePending = false;
    waitWhileFreeing();
  }
}

let releasePending = false;

/** Called as a helper thread stops: its shared arrays come back a little later (see above). */
export function expectDelayedRelease(): void {
  releasePending = true;
}

/** Blocks (analysis is synchronous) until the array-buffer total has not fallen for QUIET_MS. */
function waitWhileFreeing(): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let low = process.memoryUsage().arrayBuffers;
  for (let waited = 0, quiet = 0; waited < WAIT_MAX_MS && quiet < QUIET_MS; waited += STEP_MS) {
    Atomics.wait(pause, 0, 0, STEP_MS);
    const now = process.memoryUsage().arrayBuffers;
    quiet = now < low ? 0 : quiet + STEP_MS;
    low = Math.min(low, now);
  }
}

const STEP_MS = 10;
const QUIET_MS = 100;
const WAIT_MAX_MS = 500;

/** Below this many packets a phase's garbage is a few tens of MB: not worth a collection. */
const COLLECT_FROM_PACKETS = 2_000_000;
