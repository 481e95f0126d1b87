// scanlab bench [scenario... | --set standard|full] [--repeat N] [--detectors NAME[,NAME]|FILE.yaml]...
//               [--detector NAME=COMMAND]...
//               [--features NAME[,NAME]] [--runs PATH...] [--seed N] [--json] [--no-tui] [--out DIR]
// Scenarios (files or names in scenarios/; a set, the standard one when none and no --runs) run N
// times in the lab; --runs adds existing labelled captures (no lab). Every run is judged by every
// detector (detection, trained on the run's warm-up; external programs too, src/detect/external/) and clustered by every feature set
// (separation); the leaderboard goes to stdout (bench.json's content with --json),
// progress to stderr, files to --out (bench/out/<stamp>/ by default). On a terminal, without --json
// or --no-tui, the bench view shows the progress, the runs and at the end the leaderboard instead.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { checkOutput } from '../util/checked-paths.ts';
import { onStopRequest } from '../util/stop-signals.ts';
import { parseCommandLine, parseWholeNumber } from './args.ts';
import { UserError } from '../errors.ts';
import { DEFAULT_SEED } from '../analysis/analyze-capture.ts';
import { chooseDetectors, allDetectorNames } from '../bench/detectors.ts';
import { chooseDetectorArgs } from '../detect/external/choose.ts';
import { resolveRunInput } from '../bench/run-input.ts';
import { benchSet, fullSet, resolveScenario, standardSet, BENCH_SETS, STANDARD_SCENARIOS, type BenchSet, type ScenarioRef } from '../bench/standard-set.ts';
import { runBench, type BenchPlan } from '../bench/run-bench.ts';
import { formatLeaderboard } from '../bench/format-leaderboard.ts';
import { FEATURE_SETS } from '../features/registry.ts';
import type { CommandIO } from './io.ts';

export const BENCH_USAGE = 'usage: scanlab bench [scenario... | --set standard|full] [--repeat N] [--detectors NAME[,NAME]|FILE.yaml]... [--detector NAME=COMMAND]... [--features NAME[,NAME]] [--runs DIR|PCAP]... [--seed N] [--json] [--no-tui] [--out DIR]';

export default async function benchCommand(args: string[], io: CommandIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(
      `${BENCH_USAGE}\n` +
        `  --set standard (the default): ${standardSet().map((s) => s.name).join(', ')}\n` +
        `  --set full: every scenario in scenarios/, the slow and long ones too: ${fullSet().map((s) => s.name).join(', ')}\n` +
        `  detectors: ${allDetectorNames().join(', ')}\n  feature sets (separation): ${FEATURE_SETS.map((f) => f.name).join(', ')}\n`,
    );
    return 0;
  }
  const { plan, json, tui } = parseBenchArgs(args);
  const onTerminal = tui && (io.stdout as NodeJS.WriteStream).isTTY === true;
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    // The bench view shows that it is stopping itself.
    if (!controller.signal.aborted && !onTerminal) io.stderr.write(`\n${signal}: stopping: the current run is cut short and its lab comes down; the runs done so far are written\n`);
    controller.abort();
  };
  const giveBackSignals = onStopRequest(onSignal);
  try {
    if (onTerminal) {
      const { renderBench } = await import('../tui/bench.ts');
      return await renderBench(plan, { signal: controller.signal, abort: () => controller.abort() });
    }
    const labRuns = plan.scenarios.length * plan.repeat;
    io.stderr.write(`scanlab bench: ${labRuns ? `${plan.scenarios.map((s) => s.name).join(', ')} x ${plan.repeat} in the lab` : ''}${labRuns && plan.inputs.length ? ', ' : ''}${plan.inputs.length ? `${plan.inputs.length} existing capture(s)` : ''}; detectors ${[...plan.detectors.detectors, ...plan.detectors.external.map((e) => e.name)].join(', ')}; separation ${plan.detectors.featureSets.join(', ')}\n`);
    const { report, board, files, badInputs } = await runBench(plan, (line) => io.stderr.write(`${line}\n`), controller.signal);
    if (json) io.stdout.write(`${JSON.stringify(report)}\n`);
    else io.stdout.write(`${formatLeaderboard(board)}\n`);
    io.stderr.write(`wrote ${files.json}, ${files.csv}, ${files.html}, ${files.markdown}\n`);
    // A capture the user named that cannot be scored is bad input, as in analyze: exit 2.
    for (const bad of badInputs) io.stderr.write(`scanlab: --runs ${bad.source}: ${bad.message}\n`);
    if (badInputs.length > 0) return 2;
    if (report.runs.length === 0) {
      io.stderr.write('no run could be scored\n');
      return 1;
    }
    // A detector that failed on a run (an external program) also makes the status say so.
    const detectorFailed = report.runs.some((r) => Object.values(r.detectors).some((d) => d.failed));
    return report.failures.length > 0 || report.interrupted || detectorFailed ? 1 : 0;
  } finally {
    giveBackSignals();
  }
}

/** Validates the command line once; the bench trusts the plan. */
export function parseBenchArgs(args: string[], now = new Date()): { plan: BenchPlan; json: boolean; tui: boolean } {
  const { values, positionals } = parseCommandLine('bench', args, {
    repeat: { type: 'string' },
    features: { type: 'string' },
    detectors: { type: 'string', multiple: true },
    detector: { type: 'string', multiple: true },
    runs: { type: 'string', multiple: true },
    set: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
    'no-tui': { type: 'boolean' },
    out: { type: 'string' },
  }, BENCH_USAGE);
  const runsGiven = values.runs !== undefined;
  // `--runs A B C`: the paths after --runs that parseArgs saw as positionals belong to --runs when
  // they are not scenario files; scenarios are named by .yaml files or names in scenarios/.
  const runPaths = [...(values.runs ?? [])];
  const scenarioArgs: string[] = [];
  for (const p of positionals) {
    if (runsGiven && !/\.ya?ml$/i.test(p) && !isScenarioName(p)) runPaths.push(p);
    else scenarioArgs.push(p);
  }
  const repeat = values.repeat === undefined ? 1 : parseWholeNumber('--repeat', values.repeat, 1, BENCH_USAGE);
  if (values.set !== undefined && !(BENCH_SETS as readonly string[]).includes(values.set)) {
    throw new UserError(`--set expects ${BENCH_SETS.join(' or ')}, got "${values.set}"`, BENCH_USAGE);
  }
  if (values.set !== undefined && scenarioArgs.length > 0) {
    throw new UserError(`--set ${values.set} and named scenarios (${scenarioArgs.join(', ')}) are two ways to choose what runs`, 'give either --set or scenario names');
  }
  let scenarios: ScenarioRef[] = scenarioArgs.map((a) => resolveScenario(a));
  if (scenarios.length === 0 && (!runsGiven || values.set !== undefined)) {
    scenarios = benchSet((values.set ?? 'standard') as BenchSet);
    if (scenarios.length === 0) throw new UserError(`no standard scenario found in scenarios/ (${STANDARD_SCENARIOS.join(', ')})`, 'name a scenario file, or give --runs DIR');
  }
  if (runsGiven && values.repeat !== undefined && scenarios.length === 0) {
    throw new UserError('--repeat applies to scenarios run in the lab; --runs scores existing captures once each', BENCH_USAGE);
  }
  const features = values.features?.split(',').map((s) => s.trim()).filter(Boolean);
  if (values.features !== undefined && (!features || features.length === 0)) throw new UserError('--features needs at least one name', `choose from: ${FEATURE_SETS.map((f) => f.name).join(', ')}`);
  // Names, detectors files and --detector programs; the standard bench adds the built-in external ones.
  const chosen = chooseDetectorArgs(values.detectors, values.detector, true);
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return {
    plan: {
      scenarios,
      repeat,
      inputs: runPaths.map((p) => resolveRunInput(p)),
      detectors: chooseDetectors(chosen.names, features, chosen.external),
      seed: values.seed === undefined ? DEFAULT_SEED : parseWholeNumber('--seed', values.seed, 0, BENCH_USAGE),
      outDir: checkedOutDir(values.out ?? join('bench', 'out', stamp)),
      command: ['scanlab', 'bench', ...args].join(' '),
    },
    json: values.json ?? false,
    tui: !values['no-tui'] && !values.json,
  };
}

function checkedOutDir(path: string): string {
  // bench/out/<stamp> is made with its parents; a given --out must be a folder or a new name.
  if (existsSync(path) || existsSync(dirname(resolve(path)))) checkOutput(path, '--out', 'folder');
  return resolve(path);
}

function isScenarioName(arg: string): boolean {
  try {
    resolveScenario(arg);
    return !arg.includes('/');
  } catch {
    return false;
  }
}

