// How scanlab ends on SIGINT (Ctrl-C) and SIGTERM: one place for every command.
//
// - While no command has asked to stop cleanly, scanlab installs no signal listener, so the
//   default applies: the process ends at once, also in the middle of a long synchronous step
//   (decoding, anonymizing), which a JavaScript listener could only see after that step.
// - A command with something to tear down (a lab, captures) registers `onStopRequest`. The
//   first signal calls it; a watchdog then forces the exit after a grace period, in case the
//   teardown waits for something that never comes; a second signal forces it at once.
// - A forced exit runs the synchronous `atForcedExit` steps first (stop capture agents and trim
//   their files to the last whole packet, delete the lab's namespaces), so even then the pcap
//   stays valid and the machine clean; whatever could not be done is named with the command
//   that does it.

import { readFileSync } from 'node:fs';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** Default grace between the first signal and a forced exit, ms (SCANLAB_STOP_GRACE_MS overrides). */
export const DEFAULT_STOP_GRACE_MS = 10_000;

type StopRequest = (signal: NodeJS.Signals) => void;
type ForcedExitStep = () => string | void;

const requests = new Set<StopRequest>();
const forcedExitSteps = new Set<ForcedExitStep>();
let stderr: NodeJS.WritableStream = process.stderr;
let signalled = false;
let watchdog: NodeJS.Timeout | undefined;

/** Where the watchdog says what it did (the CLI passes its stderr). */
export function setStopMessages(stream: NodeJS.WritableStream): void {
  stderr = stream;
}

/**
 * Asks to be told of SIGINT/SIGTERM instead of the process ending at once. Returns the function
 * that gives the signals back (call it in a finally).
 */
export function onStopRequest(request: StopRequest): () => void {
  if (requests.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  requests.add(request);
  return () => {
    requests.delete(request);
    if (requests.size === 0) {
      for (const s of SIGNALS) process.off(s, onSignal);
      signalled = false;
      if (watchdog) clearTimeout(watchdog);
      watchdog = undefined;
    }
  };
}

/**
 * A synchronous last step for a forced exit (bounded: it must not wait for long). It may return
 * a line saying what is left for the user to do. Returns the function that removes the step.
 */
export function atForcedExit(step: ForcedExitStep): () => void {
  forcedExitSteps.add(step);
  return () => forcedExitSteps.delete(step);
}

function onSignal(signal: NodeJS.Signals): void {
  if (signalled) return forceExit(`${signal} again`);
  signalled = true;
  const grace = graceMs();
  watchdog = setTimeout(() => forceExit(`still stopping ${Math.round(grace / 1000)} s after ${signal}`), grace);
  watchdog.unref();
  for (const request of [...requests]) request(signal);
}

function graceMs(): number {
  const fromEnv = Number(process.env.SCANLAB_STOP_GRACE_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_STOP_GRACE_MS;
}

/** Runs the last steps, says what they left, and ends the process with exit 1 (interrupted). */
export function forceExit(reason: string): never {
  const left: string[] = [];
  // Last registered first, as a teardown goes: captures before the lab they run in.
  for (const step of [...forcedExitSteps].reverse()) {
    try {
      const note = step();
      if (note) left.push(note);
    } catch (error) {
      left.push(`a last cleanup step failed: ${(error as Error).message}`);
    }
  }
  forcedExitSteps.clear();
  try {
    stderr.write(`\nscanlab: ${reason}: forced exit${left.length ? `\n${left.map((l) => `  ${l}`).join('\n')}` : ''}\n`);
  } catch {
    // stderr itself may be gone.
  }
  process.exit(1);
}

/**
 * A reader that went away (`scanlab ... | head -1`) ends scanlab quietly: no message, exit 1 at
 * once, or the same clean stop as Ctrl-C when a command registered one (its output is moot, its
 * lab still comes down). Any other error of the output stream (a full disk) is said on stderr.
 */
export function endOnClosedOutput(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      try {
        stderr.write(`scanlab: cannot write the output: ${error.message}\n  hint: check where stdout goes (a full disk? a closed pipe?)\n`);
      } catch {
        // Nowhere left to say it.
      }
      process.exit(2);
    }
    if (requests.size > 0) {
      if (!signalled) onSignal('SIGPIPE');
      return;
    }
    process.exit(1);
  });
}

/** Sleeps without an event loop (for the bounded waits of forced-exit steps). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Stops one process scanlab started, by its id, without an event loop: SIGTERM, up to `graceMs`
 * for it to end, then SIGKILL. A child that ended but was not yet reaped (a zombie: nobody can
 * reap it while this runs) counts as ended.
 */
export function stopProcessSync(pid: number, graceMs: number): void {
  const running = () => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  const send = (signal: NodeJS.Signals) => {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  };
  if (!running()) return;
  send('SIGCONT'); // a stopped process handles nothing until it runs again
  send('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (running() && Date.now() < deadline) sleepSync(50);
  if (running()) send('SIGKILL');
}
