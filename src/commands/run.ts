// scanlab run <scenario.yaml> [--out DIR] [--seed N] [--no-tui] [--no-live] [--json]

import { parseCommandLine, parseWholeNumber } from './args.ts';
import { UserError } from '../errors.ts';
import { loadScenario } from '../scenario/load.ts';
import { checkOutput } from '../util/checked-paths.ts';
import { onStopRequest } from '../util/stop-signals.ts';
import { EventBus } from '../engine/events.ts';
import { runScenario } from '../engine/run.ts';
import { headlessPrinter } from '../views/headless.ts';
import type { CommandIO } from './io.ts';

export const RUN_USAGE = 'usage: scanlab run <scenario.yaml> [--out DIR] [--seed N] [--no-tui] [--no-live] [--json]';

export function parseRunArgs(args: string[]) {
  const { values, positionals } = parseCommandLine('run', args, {
    out: { type: 'string' },
    seed: { type: 'string' },
    'no-tui': { type: 'boolean', default: false },
    'no-live': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  }, RUN_USAGE);
  if (positionals.length !== 1) throw new UserError(positionals.length === 0 ? 'no scenario file given' : `one scenario at a time, got ${positionals.length}`, RUN_USAGE);
  const seed = values.seed === undefined ? undefined : parseWholeNumber('--seed', values.seed, 0, RUN_USAGE);
  return { scenarioPath: positionals[0], out: values.out, seed, json: values.json, tui: !values['no-tui'] && !values.json, live: !values['no-live'] };
}

export default async function runCommand(args: string[], io: CommandIO): Promise<number> {
  const options = parseRunArgs(args);
  const scenario = loadScenario(options.scenarioPath, { seed: options.seed });
  if (options.out !== undefined) checkOutput(options.out, '--out', 'folder');
  const bus = new EventBus();
  const controller = new AbortController();
  const write = (line: string) => (options.json ? io.stderr : io.stdout).write(`${line}\n`);
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) write(`\n${signal}: stopping the run, tearing the lab down (the capture so far is kept)…`);
    controller.abort();
  };
  const giveBackSignals = onStopRequest(onSignal);
  try {
    if (options.tui && (io.stdout as NodeJS.WriteStream).isTTY) {
      const { renderRun } = await import('../tui/index.ts');
      return await renderRun(scenario, bus, { outDir: options.out, signal: controller.signal, abort: () => controller.abort(), live: options.live });
    }
    bus.subscribe(headlessPrinter(write));
    const summary = await runScenario(scenario, bus, { outDir: options.out, signal: controller.signal, live: options.live });
    if (options.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
    return summary.status === 'ok' ? 0 : 1;
  } finally {
    giveBackSignals();
  }
}
