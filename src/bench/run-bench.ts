// The bench's imperative shell: runs each scenario `repeat` times in a real lab (or takes existing
// labelled captures), scores every run with every detector as soon as it is done, reports progress
// with an overall ETA, aggregates, and writes bench.json, bench.csv, bench.html and bench.md (the
// leaderboard as Markdown tables).
import { mkdirSync } from 'node:fs';
import { writeFolderAtomic } from '../util/atomic-output.ts';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { loadScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/normalize.ts';
import { UserError } from '../errors.ts';
import { detectorNamed } from '../detect/registry.ts';
import { aggregate, type Leaderboard } from './aggregate.ts';
import { benchCsv } from './bench-csv.ts';
import { benchHtml } from './bench-html.ts';
import { formatLeaderboard } from './format-leaderboard.ts';
import { gitRevision } from './revision.ts';
import type { BenchReport } from './bench-report.ts';
import type { DetectorChoice } from './detectors.ts';
import { Eta, formatEta } from './eta.ts';
import { evaluateRunWithExternal, type RunEvaluation, type RunInput } from './evaluate-run.ts';
import type { ScenarioRef } from './standard-set.ts';
import type { TimedEvent } from '../engine/events.ts';

export interface BenchPlan {
  /** Scenarios to run in the lab (each `repeat` times). */
  readonly scenarios: readonly ScenarioRef[];
  readonly repeat: number;
  /** Existing labelled captures to score (no lab). */
  readonly inputs: readonly RunInput[];
  readonly detectors: DetectorChoice;
  readonly seed: number;
  readonly outDir: string;
  readonly command: string;
}

export interface BenchOutput {
  readonly report: BenchReport;
  readonly board: Leaderboard;
  readonly files: { json: string; csv: string; html: string; markdown: string };
  /** Existing captures (--runs) refused as bad input (a bad labels.csv, not a capture...): exit 2. */
  readonly badInputs: readonly { source: string; message: string }[];
}

/** Analysis cost guess per existing capture, ms, until the first one is timed. */
const ANALYSIS_GUESS_MS = 3000;
/** Lab set-up and teardown beyond the scenario's planned traffic time, ms. */
const LAB_OVERHEAD_MS = 12_000;

/** One finished run, for a view that draws progress itself (the text lines go to `log` regardless). */
export interface BenchProgress {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  readonly percent: number;
  readonly remainingMs: number;
  readonly evaluation?: RunEvaluation;
  /** Why the run was not scored, when it was not. */
  readonly failure?: string;
}

/** One unit of a bench: a lab run of a scenario (repeat 1..N) or an existing capture (repeat null). */
export interface BenchJob {
  readonly label: string;
  readonly scenario: string;
  readonly repeat: number | null;
  readonly expectedMs: number;
}

/**
 * A live view's window on the bench beyond onProgress; every part is optional and the bench does
 * the same work with or without it.
 */
export interface BenchWatch {
  /** Once, before the first run: the runs to do, in order. */
  readonly planned?: (jobs: readonly BenchJob[]) => void;
  /** Run `index` of the planned ones starts (its lab run, or reading its capture). */
  readonly started?: (index: number) => void;
  /** Run `index` is captured and about to be scored (scoring holds the event loop: a view may
   *  return a promise to get a moment to draw first). */
  readonly scoring?: (index: number) => void | Promise<void>;
  /** Each engine event of lab run `index`, as the engine emits it. */
  readonly engineEvent?: (index: number, event: TimedEvent) => void;
}

export async function runBench(plan: BenchPlan, log: (line: string) => void, signal: AbortSignal, onProgress?: (progress: BenchProgress) => void, watch?: BenchWatch): Promise<BenchOutput> {
  const startedAt = new Date();
  mkdirSync(plan.outDir, { recursive: true });
  const jobs: (BenchJob & { make: () => Promise<RunInput | undefined> })[] = [];
  // The engine (lab, capture, nmap) loads only when there is a lab run to do.
  const engine = plan.scenarios.length > 0 ? await loadEngine() : undefined;
  for (const ref of plan.scenarios) {
    const scenario = loadScenario(ref.path, {});
    for (let r = 1; r <= plan.repeat; r++) {
      const index = jobs.length;
      const onEvent = watch?.engineEvent && ((event: TimedEvent) => watch.engineEvent?.(index, event));
      jobs.push({ label: `${scenario.name} #${r}`, scenario: scenario.name, repeat: r, expectedMs: engine!.plannedDurationMs(scenario) + LAB_OVERHEAD_MS, make: () => labRun(engine!, scenario, plan, signal, log, onEvent) });
    }
  }
  for (const input of plan.inputs) jobs.push({ label: input.source, scenario: input.scenario, repeat: null, expectedMs: ANALYSIS_GUESS_MS, make: async () => input });
  watch?.planned?.(jobs.map(({ label, scenario, repeat, expectedMs }) => ({ label, scenario, repeat, expectedMs })));

  const eta = new Eta(jobs.map((j) => j.expectedMs));
  const runs: RunEvaluation[] = [];
  const failures: { source: string; message: string }[] = [];
  const badInputs: { source: string; message: string }[] = [];
  for (const [index, job] of jobs.entries()) {
    if (signal.aborted) break;
    const t0 = Date.now();
    let line: string;
    let scored: RunEvaluation | undefined;
    let failure: string | undefined;
    watch?.started?.(index);
    try {
      const input = await job.make();
      if (!input) {
        log(`${job.label}: interrupted; not scored`);
        break;
      }
      if (watch?.scoring) await watch.scoring(index);
      const evaluation = await evaluateRunWithExternal(input, plan.detectors, plan.seed, signal);
      runs.push(evaluation);
      scored = evaluation;
      for (const warning of evaluation.warnings) log(`  warning: ${job.label}: ${warning}`);
      const best = Object.entries(evaluation.detectors).sort(([, a], [, b]) => (b.packets?.f1 ?? 0) - (a.packets?.f1 ?? 0))[0];
      line = `${evaluation.packets} packets (${evaluation.scanPackets} scan)${best && evaluation.scanPackets > 0 ? `, best detection F1 ${best[1].packets!.f1.toFixed(3)} (${best[0]})` : ''}`;
    } catch (error) {
      if (error instanceof UserError && plan.scenarios.length > 0 && index === 0) throw error;
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ source: job.label, message });
      if (error instanceof UserError && job.repeat === null) badInputs.push({ source: job.label, message: error.hint ? `${message}\n  hint: ${error.hint}` : message });
      failure = message;
      line = `not scored: ${message}`;
    }
    const p = eta.finish(index, Date.now() - t0);
    onProgress?.({ label: job.label, ...p, evaluation: scored, failure });
    log(`[${p.done}/${p.total} ${p.percent.toFixed(0).padStart(3)}%] ${job.label}: ${line} · ${formatEta(Date.now() - t0)}${p.done < p.total ? ` · ETA ${formatEta(p.remainingMs)}` : ''}`);
  }

  const board = aggregate(runs);
  const { scenarios, cells } = board;
  const report: BenchReport = {
    tool: 'scanlab bench',
    version: 2,
    command: plan.command,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    revision: gitRevision(),
    seed: plan.seed,
    repeat: plan.scenarios.length > 0 ? plan.repeat : null,
    host: { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' },
    detectors: Object.fromEntries([
      ...plan.detectors.detectors.map((name) => {
        const d = detectorNamed(name)!;
        return [name, { kind: d.kind, labelFree: true as const, description: d.description, overall: board.overall.find((o) => o.detector === name) ?? null }];
      }),
      ...plan.detectors.external.map((e) => [e.name, { kind: 'external' as const, labelFree: true as const, description: e.description, command: e.command.join(' '), format: e.format, overall: board.overall.find((o) => o.detector === e.name) ?? null }]),
    ]),
    scenarios,
    cells,
    separation: board.separation,
    runs,
    failures,
    interrupted: signal.aborted,
  };
  const files = { json: join(plan.outDir, 'bench.json'), csv: join(plan.outDir, 'bench.csv'), html: join(plan.outDir, 'bench.html'), markdown: join(plan.outDir, 'bench.md') };
  // The four files together or none: an interrupted write leaves no half leaderboard.
  writeFolderAtomic(plan.outDir, {
    'bench.json': `${JSON.stringify(report, null, 2)}\n`,
    'bench.csv': benchCsv(cells),
    'bench.html': benchHtml(report),
    'bench.md': formatLeaderboard(board, 'markdown'),
  });
  return { report, board, files, badInputs };
}

type Engine = Awaited<ReturnType<typeof loadEngine>>;

async function loadEngine() {
  const [{ EventBus }, { plannedDurationMs, runScenario }, { runPaths }] = await Promise.all([
    import('../engine/events.ts'),
    import('../engine/run.ts'),
    import('../engine/run-dir.ts'),
  ]);
  return { EventBus, plannedDurationMs, runScenario, runPaths };
}

/** One lab run into <out>/runs/, the offline phases the bench does itself skipped. */
async function labRun(engine: Engine, scenario: Scenario, plan: { outDir: string; seed: number }, signal: AbortSignal, log: (line: string) => void, onEvent?: (event: TimedEvent) => void): Promise<RunInput | undefined> {
  const bus = new engine.EventBus();
  bus.subscribe((event) => {
    if (event.type === 'warning') log(`  warning: ${scenario.name}: ${event.message}`);
  });
  if (onEvent) bus.subscribe(onEvent);
  // Live detection with the bench's seed: its online models are then the offline ones' twins.
  const summary = await engine.runScenario(scenario, bus, { outDir: resolve(plan.outDir, 'runs'), signal, skip: ['anonymize', 'analyze', 'report'], detectorSeed: plan.seed });
  if (summary.status === 'interrupted') return undefined;
  const paths = engine.runPaths(summary.runDir);
  return { pcap: paths.capture, labels: paths.labels, dir: summary.runDir, scenario: scenario.name, source: summary.runDir, runMs: summary.durationMs, status: summary.status };
}
