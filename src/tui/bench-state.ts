// The bench view's state: a pure reducer from the bench's reports (the plan, each run starting,
// its engine events, each run finished with its scores, log lines, the outcome) plus clock ticks
// to what the bench view shows. No I/O, no React: tested by feeding actions and reading the state.

import type { TimedEvent } from '../engine/events.ts';
import type { BenchJob, BenchProgress } from '../bench/run-bench.ts';

/** One run the bench has finished: scored, or not with the reason. */
export interface FinishedRun {
  readonly label: string;
  readonly scenario: string;
  /** 1..N for a lab run; null for an existing capture. */
  readonly repeat: number | null;
  readonly packets?: number;
  readonly scanPackets?: number;
  /** Scan F1 per detector name. */
  readonly scanF1: Readonly<Record<string, number>>;
  readonly failure?: string;
  readonly durationMs: number;
}

/** The run going on now. */
export interface CurrentRun {
  readonly index: number;
  readonly label: string;
  readonly scenario: string;
  readonly repeat: number | null;
  readonly startedAt: number;
  /** The engine's phase of a lab run, or 'scoring'; undefined before the first event. */
  readonly phase?: string;
  /** A short note on the phase: the attack step and its percentage, hosts up, … */
  readonly detail?: string;
  /** Packets captured so far (lab runs). */
  readonly packets?: number;
}

/** What the bench wrote once it is over. */
export interface BenchOutcome {
  /** formatLeaderboard's text. */
  readonly leaderboard: string;
  readonly files: { readonly json: string; readonly csv: string; readonly html: string; readonly markdown: string };
  readonly runs: number;
  readonly failures: number;
  readonly interrupted: boolean;
}

export interface BenchViewState {
  readonly detectors: readonly string[];
  /** The runs to do, once the bench has planned them. */
  readonly jobs: readonly BenchJob[];
  readonly startedAt: number;
  readonly now: number;
  readonly done: number;
  readonly total: number;
  /** The bench's own percentage (weighted by each run's expected time) as of the last finished run. */
  readonly percent: number;
  /** The bench's estimate of the time left, made at `estimatedAt`. */
  readonly remainingMs?: number;
  readonly estimatedAt?: number;
  readonly current?: CurrentRun;
  readonly finished: readonly FinishedRun[];
  readonly log: readonly { time: number; text: string; tone?: 'warn' | 'bad' }[];
  /** The user asked to stop; the current run is being cut short. */
  readonly stopping: boolean;
  readonly outcome?: BenchOutcome;
  /** The bench failed before it had an outcome (e.g. a missing prerequisite). */
  readonly error?: string;
  readonly endedAt?: number;
}

export type BenchAction =
  | { type: 'planned'; time: number; jobs: readonly BenchJob[] }
  | { type: 'job-started'; time: number; index: number }
  | { type: 'job-scoring'; time: number; index: number }
  | { type: 'job-finished'; time: number; progress: BenchProgress }
  | { type: 'engine'; index: number; event: TimedEvent }
  | { type: 'log'; time: number; text: string }
  | { type: 'finished'; time: number; outcome: BenchOutcome }
  | { type: 'failed'; time: number; message: string }
  | { type: 'tick'; time: number }
  | { type: 'stop-requested' };

export function initialBenchState(detectors: readonly string[], total: number, now = Date.now()): BenchViewState {
  return { detectors, jobs: [], startedAt: now, now, done: 0, total, percent: 0, finished: [], log: [], stopping: false };
}

const LOG_LINES = 50;

export function reduceBench(state: BenchViewState, action: BenchAction): BenchViewState {
  if (action.type === 'stop-requested') return state.outcome || state.error ? state : { ...state, stopping: true };
  const time = action.type === 'engine' ? action.event.time : action.time;
  const now = Math.max(state.now, time);
  switch (action.type) {
    case 'tick':
      return { ...state, now };
    case 'planned':
      return { ...state, now, jobs: action.jobs, total: action.jobs.length };
    case 'job-started': {
      const job = state.jobs[action.index];
      return {
        ...state,
        now,
        current: { index: action.index, label: job?.label ?? `run ${action.index + 1}`, scenario: job?.scenario ?? '', repeat: job?.repeat ?? null, startedAt: time },
      };
    }
    case 'job-scoring':
      return state.current?.index === action.index ? { ...state, now, current: { ...state.current, phase: 'scoring', detail: undefined } } : { ...state, now };
    case 'engine':
      return state.current?.index === action.index ? { ...state, now, current: reduceEngine(state.current, action.event) } : { ...state, now };
    case 'job-finished': {
      const p = action.progress;
      const current = state.current;
      const evaluation = p.evaluation;
      const run: FinishedRun = {
        label: p.label,
        scenario: evaluation?.scenario ?? current?.scenario ?? p.label,
        repeat: current?.label === p.label ? current.repeat : null,
        packets: evaluation?.packets,
        scanPackets: evaluation?.scanPackets,
        scanF1: Object.fromEntries(Object.entries(evaluation?.detectors ?? {}).flatMap(([name, d]) => (d.packets ? [[name, d.packets.f1]] : []))),
        failure: evaluation ? undefined : (p.failure ?? 'not scored'),
        durationMs: current ? Math.max(0, time - current.startedAt) : 0,
      };
      return { ...state, now, done: p.done, total: p.total, percent: p.percent, remainingMs: p.remainingMs, estimatedAt: time, current: undefined, finished: [...state.finished, run] };
    }
    case 'log': {
      const tone = /not scored|failed/.test(action.text) ? ('bad' as const) : /warning:|interrupted/.test(action.text) ? ('warn' as const) : undefined;
      return { ...state, now, log: [...state.log, { time, text: action.text, ...(tone ? { tone } : {}) }].slice(-LOG_LINES) };
    }
    case 'finished':
      return { ...state, now, outcome: action.outcome, endedAt: time, current: undefined, percent: action.outcome.interrupted ? state.percent : 100 };
    case 'failed':
      return { ...state, now, error: action.message, endedAt: time };
  }
}

function reduceEngine(current: CurrentRun, event: TimedEvent): CurrentRun {
  switch (event.type) {
    case 'phase-started':
      return { ...current, phase: event.phase, detail: undefined };
    case 'progress':
      return current.phase === event.phase ? { ...current, detail: `${event.done}/${event.total}${event.unit ? ` ${event.unit}` : ''}` } : current;
    case 'attack-started':
      return { ...current, phase: 'attack', detail: `${event.step} (step ${event.index + 1}/${event.total})` };
    case 'attack-progress':
      return { ...current, phase: 'attack', detail: `${event.step} ${Math.round(event.percent)}%${event.phase ? ` ${event.phase}` : ''}` };
    case 'capture-stats':
      return { ...current, packets: Math.max(current.packets ?? 0, event.stats.packets) };
    default:
      return current;
  }
}

/** Milliseconds since the bench started; frozen once it is over. */
export function benchElapsedMs(state: BenchViewState): number {
  return Math.max(0, (state.endedAt ?? state.now) - state.startedAt);
}

/**
 * Time left: the bench's latest estimate counted down since it was made; before the first run is
 * over, the planned runs' expected times less the time spent. 0 once over; undefined when unknown.
 */
export function benchEtaMs(state: BenchViewState): number | undefined {
  if (state.outcome || state.error) return 0;
  if (state.remainingMs !== undefined && state.estimatedAt !== undefined) return Math.max(0, state.remainingMs - (state.now - state.estimatedAt));
  if (state.jobs.length === 0) return undefined;
  const expected = state.jobs.reduce((sum, j) => sum + j.expectedMs, 0);
  return Math.max(0, expected - benchElapsedMs(state));
}

/**
 * The bar's percentage: the bench's own as of the last finished run, plus the running run's share
 * by how much of its expected time has passed (at most 95% of it, until it is over).
 */
export function benchPercent(state: BenchViewState): number {
  if (state.outcome) return state.outcome.interrupted ? state.percent : 100;
  const current = state.current;
  const all = state.jobs.reduce((sum, j) => sum + j.expectedMs, 0);
  const job = current ? state.jobs[current.index] : undefined;
  if (!current || !job || all <= 0 || job.expectedMs <= 0) return state.percent;
  const share = (100 * job.expectedMs) / all;
  const part = Math.min(0.95, Math.max(0, (state.now - current.startedAt) / job.expectedMs));
  return Math.min(100, state.percent + share * part);
}

export function benchActive(state: BenchViewState): boolean {
  return state.outcome === undefined && state.error === undefined;
}

/** The command's exit code for an outcome, as the headless bench decides it. */
export function outcomeExitCode(outcome: BenchOutcome): number {
  return outcome.runs === 0 || outcome.failures > 0 || outcome.interrupted ? 1 : 0;
}
