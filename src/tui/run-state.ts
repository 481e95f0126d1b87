// The run view's state: a pure reducer from engine events (plus clock ticks) to what the run view
// shows. No I/O, no React: tested by feeding events and reading the state.

import { PHASES, type Phase, type RunSummary, type TimedEvent } from '../engine/events.ts';
import type { ActivityCounters } from '../traffic/generators.ts';
import type { AttackStatus } from '../attack/nmap.ts';

export type PhaseStatus = 'pending' | 'running' | 'ok' | 'failed' | 'skipped' | 'not-run';

export interface PhaseState {
  readonly name: Phase;
  readonly status: PhaseStatus;
  readonly detail?: string;
  readonly durationMs?: number;
  readonly progress?: { done: number; total: number; unit?: string };
}

export interface StepState {
  readonly name: string;
  readonly command?: string;
  readonly status: 'pending' | 'running' | AttackStatus;
  readonly percent: number;
  readonly nmapPhase?: string;
  readonly remainingSeconds?: number;
  readonly durationMs?: number;
  readonly openPorts?: number;
  readonly message?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** First live alert raised for packets of the step's span, minus the step's start (no labels: by time). */
  readonly detectedAfterMs?: number;
  readonly detectedBy?: string;
}

/** One live alert as the alert pane shows it. */
export interface AlertLine {
  readonly detector: string;
  readonly src: string;
  readonly dst: string | null;
  readonly score: number;
  readonly raisedAt: number;
  /** Raised minus the newest packet it covers. */
  readonly lagMs: number;
}

export interface RunViewState {
  readonly scenario: string;
  readonly runDir?: string;
  readonly plannedMs: number;
  readonly startedAt?: number;
  readonly now: number;
  readonly phases: readonly PhaseState[];
  readonly steps: readonly StepState[];
  readonly packets: number;
  readonly bytes: number;
  readonly dropped: number;
  /** Packets captured in each whole second since the capture started (the sparkline). */
  readonly perSecond: readonly number[];
  readonly captureStartedAt?: number;
  /** When the benign traffic was up: the planned part (warm-up, steps, cool-down) starts here. */
  readonly liveStartedAt?: number;
  readonly activity: Readonly<Record<string, ActivityCounters>>;
  readonly warnings: readonly string[];
  /** Notable moments, oldest first, each with its time: the run view's event log. */
  readonly log: readonly { time: number; text: string; tone?: 'ok' | 'warn' | 'bad' }[];
  /** The latest live alerts, oldest first, and how many there were in all. */
  readonly alerts: readonly AlertLine[];
  readonly alertCount: number;
  readonly summary?: RunSummary;
  /** The user asked to stop; the engine is tearing down. */
  readonly stopping: boolean;
}

export type RunAction = TimedEvent | { type: 'tick'; time: number } | { type: 'stop-requested' };

export function initialRunState(scenario: string, steps: readonly string[], plannedMs: number, now = Date.now()): RunViewState {
  return {
    scenario,
    plannedMs,
    now,
    phases: PHASES.map((name) => ({ name, status: 'pending' as const })),
    steps: steps.map((name) => ({ name, status: 'pending' as const, percent: 0 })),
    packets: 0,
    bytes: 0,
    dropped: 0,
    perSecond: [],
    activity: {},
    warnings: [],
    log: [],
    alerts: [],
    alertCount: 0,
    stopping: false,
  };
}

const LOG_LINES = 50;
const ALERT_LINES = 20;

/** The line an event adds to the log, if it is worth one. */
export function logLine(event: RunAction): RunViewState['log'][number] | undefined {
  switch (event.type) {
    case 'run-started':
      return { time: event.time, text: `run started: ${event.runDir}` };
    case 'phase-started':
      return { time: event.time, text: `${event.phase} started${event.detail ? ` (${event.detail})` : ''}` };
    case 'phase-finished':
      if (event.status === 'ok') return { time: event.time, text: `${event.phase} done in ${(event.durationMs / 1000).toFixed(1)}s`, tone: 'ok' };
      return { time: event.time, text: `${event.phase} ${event.status}${event.detail ? `: ${event.detail}` : ''}`, tone: event.status === 'failed' ? 'bad' : 'warn' };
    case 'attack-started':
      return { time: event.time, text: `step ${event.index + 1}/${event.total} ${event.step}: ${event.command}` };
    case 'attack-finished':
      return { time: event.time, text: `${event.step} ${event.status} after ${(event.durationMs / 1000).toFixed(1)}s, ${event.openPorts} open ports${event.message ? ` (${event.message})` : ''}`, tone: event.status === 'ok' ? 'ok' : 'bad' };
    case 'warning':
      return { time: event.time, text: `warning: ${event.message}`, tone: 'warn' };
    case 'result':
      return { time: event.time, text: `run ${event.summary.status}`, tone: event.summary.status === 'ok' ? 'ok' : 'bad' };
    default:
      return undefined;
  }
}

export function reduceRun(state: RunViewState, action: RunAction): RunViewState {
  const next = reduceEvent(state, action);
  const line = logLine(action);
  return line ? { ...next, log: [...next.log, line].slice(-LOG_LINES) } : next;
}

const SPARK_SECONDS = 120;

function reduceEvent(state: RunViewState, action: RunAction): RunViewState {
  const now = Math.max(state.now, action.type === 'stop-requested' ? state.now : action.time);
  switch (action.type) {
    case 'tick':
      return { ...state, now };
    case 'stop-requested':
      return { ...state, stopping: true };
    case 'run-started':
      return { ...state, now, runDir: action.runDir, scenario: action.scenario, plannedMs: action.plannedMs, startedAt: action.time };
    case 'phase-started':
      return { ...state, now, phases: updatePhase(state.phases, action.phase, { status: 'running', detail: action.detail }) };
    case 'phase-finished':
      return {
        ...state,
        now,
        phases: updatePhase(state.phases, action.phase, { status: action.status, durationMs: action.durationMs, detail: action.detail ?? phaseOf(state, action.phase)?.detail }),
        captureStartedAt: action.phase === 'capture' && action.status === 'ok' ? action.time : state.captureStartedAt,
        liveStartedAt: action.phase === 'traffic' && action.status === 'ok' ? action.time : state.liveStartedAt,
      };
    case 'progress':
      return { ...state, now, phases: updatePhase(state.phases, action.phase, { progress: { done: action.done, total: action.total, unit: action.unit } }) };
    case 'capture-stats': {
      const start = state.captureStartedAt ?? action.time;
      const second = Math.max(0, Math.floor((action.time - start) / 1000));
      const perSecond = [...state.perSecond];
      while (perSecond.length <= second) perSecond.push(0);
      perSecond[second] += Math.max(0, action.stats.packets - state.packets);
      return {
        ...state,
        now,
        captureStartedAt: start,
        packets: Math.max(state.packets, action.stats.packets),
        bytes: Math.max(state.bytes, action.stats.bytes),
        dropped: Math.max(state.dropped, action.stats.dropped),
        perSecond: perSecond.length > SPARK_SECONDS * 2 ? perSecond.slice(-SPARK_SECONDS) : perSecond,
      };
    }
    case 'traffic-activity':
      return { ...state, now, activity: { ...state.activity, [action.host]: action.counters } };
    case 'attack-started':
      return { ...state, now, steps: updateStep(state.steps, action.step, { status: 'running', command: action.command, startedAt: action.time }) };
    case 'alert': {
      const line: AlertLine = { detector: action.detector, src: action.src, dst: action.dst, score: action.score, raisedAt: action.raisedAt, lagMs: action.raisedAt - action.lastPacketTime };
      // A step counts as detected by the first alert whose packets fall in its span (started, not yet ended before them).
      const steps = state.steps.map((step) =>
        step.detectedAfterMs === undefined && step.startedAt !== undefined && step.startedAt <= action.lastPacketTime && (step.endedAt === undefined || step.endedAt >= action.firstPacketTime)
          ? { ...step, detectedAfterMs: Math.max(0, action.raisedAt - step.startedAt), detectedBy: action.detector }
          : step,
      );
      return { ...state, now, steps, alerts: [...state.alerts, line].slice(-ALERT_LINES), alertCount: state.alertCount + 1 };
    }
    case 'attack-progress':
      return { ...state, now, steps: updateStep(state.steps, action.step, { status: 'running', percent: action.percent, nmapPhase: action.phase, remainingSeconds: action.remainingSeconds }) };
    case 'attack-finished':
      return {
        ...state,
        now,
        steps: updateStep(state.steps, action.step, {
          status: action.status,
          percent: action.status === 'ok' ? 100 : (stepOf(state, action.step)?.percent ?? 0),
          remainingSeconds: undefined,
          durationMs: action.durationMs,
          openPorts: action.openPorts,
          message: action.message,
          endedAt: action.time,
        }),
      };
    case 'warning':
      return { ...state, now, warnings: [...state.warnings, action.message].slice(-20) };
    case 'result':
      return {
        ...state,
        now,
        summary: action.summary,
        dropped: action.summary.dropped,
        packets: action.summary.packets,
        phases: state.phases.map((p) => (p.status === 'pending' || p.status === 'running' ? { ...p, status: 'not-run' as const } : p)),
        steps: state.steps.map((s) => (s.status === 'pending' || s.status === 'running' ? { ...s, status: 'interrupted' as const } : s)),
      };
    default:
      return state;
  }
}

function phaseOf(state: RunViewState, name: Phase): PhaseState | undefined {
  return state.phases.find((p) => p.name === name);
}

function stepOf(state: RunViewState, name: string): StepState | undefined {
  return state.steps.find((s) => s.name === name);
}

function updatePhase(phases: readonly PhaseState[], name: Phase, change: Partial<PhaseState>): PhaseState[] {
  return phases.map((p) => (p.name === name ? { ...p, ...change } : p));
}

function updateStep(steps: readonly StepState[], name: string, change: Partial<StepState>): StepState[] {
  const known = steps.some((s) => s.name === name);
  const list = known ? steps : [...steps, { name, status: 'pending' as const, percent: 0 }];
  return list.map((s) => (s.name === name ? { ...s, ...change } : s));
}

/** Milliseconds since the run started (0 before it did); frozen once the result is in. */
export function elapsedMs(state: RunViewState): number {
  if (state.startedAt === undefined) return 0;
  if (state.summary) return state.summary.durationMs;
  return Math.max(0, state.now - state.startedAt);
}

/** Planned time left of the live part (warm-up, steps, cool-down); 0 once past the plan. */
export function remainingMs(state: RunViewState): number {
  if (state.summary) return 0;
  const liveStart = state.liveStartedAt ?? state.now;
  return Math.max(0, state.plannedMs - Math.max(0, state.now - liveStart));
}

/** Packets per second over the last whole second. */
export function currentRate(state: RunViewState): number {
  const n = state.perSecond.length;
  return n >= 2 ? state.perSecond[n - 2] : (state.perSecond[0] ?? 0);
}

export function isActive(state: RunViewState): boolean {
  return state.startedAt !== undefined && state.summary === undefined;
}
