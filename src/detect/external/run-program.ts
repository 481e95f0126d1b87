// Runs one external detector's program the way scanlab trusts none of them: argv without a shell,
// its own process group (so a timeout, an abort or its exit takes every process it started with
// it), stdin closed, only the last few KB of stderr kept. Never throws for the program's own
// failure: the outcome says what happened. Wall time from the clock; CPU time as the user+system
// time of the children this process reaped meanwhile (/proc/self/stat cutime+cstime, Linux, in
// 10 ms ticks): the program and the processes it waited for; scanlab runs one at a time.
import { readFileSync } from 'node:fs';
import { execa } from 'execa';

export interface ProgramOutcome {
  /** null when it did not exit by itself (killed, or never started). */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** Why it could not be started (ENOENT, EACCES), else null. */
  readonly startError: string | null;
  readonly stderrTail: string;
  readonly wallMs: number;
  /** null where /proc/self/stat is not readable. */
  readonly cpuMs: number | null;
}

const STDERR_TAIL_BYTES = 4000;
/** Between SIGTERM and SIGKILL of a timed-out program's group. */
const KILL_GRACE_MS = 2000;
const TICKS_PER_SECOND = 100;

export async function runProgram(argv: readonly string[], options: { cwd: string; timeoutMs: number; signal?: AbortSignal }): Promise<ProgramOutcome> {
  const cpu0 = childCpuMs();
  const t0 = performance.now();
  const child = execa(argv[0], argv.slice(1), { cwd: options.cwd, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', buffer: false, reject: false, detached: true, cleanup: true });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  });
  let timedOut = false;
  let aborted = false;
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* the group is gone already */
    }
  };
  let hardKill: NodeJS.Timeout | undefined;
  const stop = () => {
    killGroup('SIGTERM');
    hardKill ??= setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  // What it left running when it exited goes too, or it would hold its pipes (and {dir}) open.
  child.on('exit', () => killGroup('SIGKILL'));
  try {
    const result = await child;
    const startError = result.failed && result.exitCode === undefined && !result.isTerminated && !timedOut && !aborted ? (result.shortMessage ?? result.message ?? `could not start ${argv[0]}`) : null;
    return {
      exitCode: result.exitCode ?? null,
      timedOut,
      aborted,
      startError,
      stderrTail: stderr.trim(),
      wallMs: performance.now() - t0,
      cpuMs: cpu0 === null ? null : Math.max(0, (childCpuMs() ?? cpu0) - cpu0),
    };
  } finally {
    clearTimeout(timer);
    clearTimeout(hardKill);
    killGroup('SIGKILL');
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** cutime + cstime of this process, ms: CPU time of the children it has reaped. */
function childCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses: state is field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cutime = Number(fields[13]);
    const cstime = Number(fields[14]);
    return Number.isFinite(cutime) && Number.isFinite(cstime) ? ((cutime + cstime) * 1000) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}
