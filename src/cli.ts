// scanlab's command-line entry: picks the command, turns errors into messages and exit codes
// (0 ok, 1 the run or check failed, 2 bad input).

import { formatError, UserError } from './errors.ts';
import type { Command, CommandIO } from './commands/io.ts';
import { parseCommandLine, parseWholeNumber } from './commands/args.ts';
import { endOnClosedOutput, setStopMessages } from './util/stop-signals.ts';

const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
  run: () => import('./commands/run.ts'),
  lab: () => import('./commands/lab.ts'),
  analyze: () => import('./commands/analyze.ts'),
  anonymize: () => import('./commands/anonymize.ts'),
  'verify-anon': () => import('./commands/verify-anon.ts'),
  dataset: () => import('./commands/dataset.ts'),
  bench: () => import('./commands/bench.ts'),
  doctor: () => import('./commands/doctor.ts'),
};

export const HELP = `scanlab: a capture-and-attack lab in one command

  scanlab [--seed N] [--out DIR]           the TUI (on a terminal); --seed for every run it starts
  scanlab run <scenario.yaml> [--out DIR] [--seed N] [--no-tui] [--no-live] [--json]
  scanlab analyze <run-dir|file.pcap> [--scanner IP|MAC]... [--detectors NAME,...|FILE.yaml]... [--detector NAME=COMMAND]...
      [--train-until SECONDS | --train CAPTURE] [--features NAME,...] [--k N|auto] [--emit-scores DIR] [--emit-rows DIR]
      [--seed N] [--window SECONDS] [--json]
  scanlab anonymize <run-dir|file.pcap> --out DIR [--mode faker|prefix] [--seed N] [--key FILE]
      [--mapping FILE] [--keep-payload] [--dns rewrite|cut] [--fake-v4 CIDR] [--fake-v6 CIDR] [--force] [--json]
  scanlab verify-anon <dataset-dir> --original <file.pcap> [--json]
  scanlab dataset <run-dir> <run-dir>... --out DIR [--test RUN]... [--mode faker|prefix] [--seed N] [--force] [--json]
      runs merged, split by run
  scanlab bench [scenario... | --set standard|full] [--repeat N] [--detectors NAME,...|FILE.yaml]... [--detector NAME=COMMAND]...
      [--features NAME,...] [--runs DIR]... [--no-tui] [--json] [--out DIR]      (scanlab bench --help lists sets and detectors)
  scanlab lab up [scenario.yaml] | down <id>... | down --all | status   the lab by itself; down --all removes what scanlab left
  scanlab doctor [--json]                  checks what scanlab needs on this machine, says how to install it

Exit codes: 0 ok, 1 the run or check failed, 2 bad input.`;

export async function main(argv: string[], io: CommandIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [name, ...args] = argv;
  setStopMessages(io.stderr);
  // The process's own stdout: a reader that went away ends scanlab quietly, not with a trace.
  if (io.stdout === process.stdout) endOnClosedOutput(io.stdout);
  try {
    if (name === 'help' || name === '--help' || name === '-h') {
      io.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (name === undefined || name.startsWith('-')) {
      const options = parseAppArgs(argv);
      if ((io.stdout as NodeJS.WriteStream).isTTY && process.stdin.isTTY) {
        const { renderApp } = await import('./tui/index.ts');
        return await renderApp(options);
      }
      if (argv.length > 0) throw new UserError('the TUI needs a terminal', 'for a run without one: scanlab run <scenario.yaml> [--seed N] [--out DIR]');
      io.stdout.write(`${HELP}\n`);
      return 0;
    }
    const load = COMMANDS[name];
    if (!load) throw new UserError(`unknown command "${name}"`, 'run scanlab --help for the commands');
    // bench has a longer help of its own (its sets and detectors); the others print their lines of HELP.
    if (name !== 'bench' && (args.includes('--help') || args.includes('-h'))) {
      io.stdout.write(`${commandHelp(name)}\nREADME.md, "Commands", says what each option does.\n`);
      return 0;
    }
    const command = await loadCommand(name, load);
    return await command(args, io);
  } catch (error) {
    const { text, exitCode } = formatError(error);
    io.stderr.write(`scanlab: ${text}\n`);
    return exitCode;
  }
}

/** A command's lines of HELP: its usage line and the indented lines that continue it. */
export function commandHelp(name: string): string {
  const lines = HELP.split('\n');
  const first = lines.findIndex((l) => l.startsWith(`  scanlab ${name} `));
  if (first < 0) return HELP;
  let last = first + 1;
  while (last < lines.length && lines[last].startsWith('      ')) last++;
  return lines.slice(first, last).map((l, i) => (i === 0 ? l.trim() : `    ${l.trim()}`)).join('\n');
}

const APP_USAGE = 'usage: scanlab [--seed N] [--out DIR]';

/** The TUI's own options: the seed every run it starts uses, and where runs are written. */
function parseAppArgs(args: string[]): { seed?: number; outDir?: string } {
  const { values, positionals } = parseCommandLine('scanlab', args, { seed: { type: 'string' }, out: { type: 'string' } }, APP_USAGE);
  if (positionals.length > 0) throw new UserError(`unexpected "${positionals[0]}"`, APP_USAGE);
  return {
    ...(values.seed === undefined ? {} : { seed: parseWholeNumber('--seed', values.seed, 0, APP_USAGE) }),
    ...(values.out === undefined ? {} : { outDir: values.out }),
  };
}

async function loadCommand(name: string, load: () => Promise<{ default: Command }>): Promise<Command> {
  try {
    return (await load()).default;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((cause as Error).message).includes(`commands/${name}`)) {
      throw new UserError(`scanlab ${name} is not available in this version`, 'run scanlab --help for the commands');
    }
    throw cause;
  }
}
