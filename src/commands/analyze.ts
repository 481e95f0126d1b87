// scanlab analyze <run-dir|file.pcap> [--scanner ADDR]... [--detectors NAME[,NAME]|FILE.yaml]...
//                 [--detector NAME=COMMAND]...
//                 [--train-until SECONDS | --train CAPTURE] [--features NAME[,NAME]] [--k N|auto]
//                 [--seed N] [--window SECONDS] [--json] [--emit-rows DIR] [--emit-scores DIR]
// A run directory means <dir>/capture.pcap scored with <dir>/labels.csv, its warm-up as the
// training part, and the result is also written to <dir>/analysis.json. A bare pcap is scored
// with --scanner, or only judged and clustered. External detectors (programs: a detectors file,
// --detector) run first, each in its own scratch folder, and are scored beside the built-in ones.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine, parseWholeNumber } from './args.ts';
import { UserError } from '../errors.ts';
import { checkInput, checkOutput } from '../util/checked-paths.ts';
import { writeFileAtomic } from '../util/atomic-output.ts';
import { analyzeCapture, analyzeCaptureWithExternal, DEFAULT_SEED, type AnalyzeOptions } from '../analysis/analyze-capture.ts';
import { chooseDetectorArgs } from '../detect/external/choose.ts';
import type { ExternalDetectorSpec } from '../detect/external/spec.ts';
import { onStopRequest } from '../util/stop-signals.ts';
import { formatAnalysisTable } from '../analysis/format-table.ts';
import { FEATURE_SETS } from '../features/registry.ts';
import type { KChoice } from '../analysis/cluster-rows.ts';

const USAGE = 'usage: scanlab analyze <run-dir|file.pcap> [--scanner ADDR]... [--detectors NAME[,NAME]|FILE.yaml]... [--detector NAME=COMMAND]... [--train-until SECONDS | --train CAPTURE] [--features NAME[,NAME]] [--k N|auto] [--seed N] [--window SECONDS] [--json] [--emit-rows DIR] [--emit-scores DIR]';

export default async function analyzeCommand(args: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const parsed = parse(args);
  let result;
  if (parsed.external.length === 0) result = analyzeCapture(parsed.options);
  else {
    // Ctrl-C stops the running program (its whole process group) and removes its scratch folder.
    const controller = new AbortController();
    const giveBackSignals = onStopRequest(() => controller.abort());
    try {
      result = await analyzeCaptureWithExternal(parsed.options, parsed.external, controller.signal);
    } finally {
      giveBackSignals();
    }
    if (controller.signal.aborted) {
      io.stderr.write('scanlab analyze: interrupted; nothing written\n');
      return 1;
    }
    for (const [name, d] of Object.entries(result.detectors)) if (d.failed) io.stderr.write(`scanlab analyze: detector ${name} failed: ${d.failed.reason}${d.failed.stderrTail ? `\n  its stderr ends: ${d.failed.stderrTail.split('\n').slice(-5).join('\n  ')}` : ''}\n`);
  }
  if (parsed.runDir) writeFileAtomic(join(parsed.runDir, 'analysis.json'), JSON.stringify(result, null, 2) + '\n');
  io.stdout.write(parsed.json ? JSON.stringify(result) + '\n' : formatAnalysisTable(result));
  // Everything is written; a detector that failed still makes the exit status say so.
  return Object.values(result.detectors).some((d) => d.failed) ? 1 : 0;
}

interface ParsedAnalyze {
  options: AnalyzeOptions;
  runDir?: string;
  json: boolean;
  external: ExternalDetectorSpec[];
}

/** Validates the command line once; every later step trusts it. */
export function parse(args: string[]): ParsedAnalyze {
  const { values, positionals } = parseCommandLine('analyze', args, {
    scanner: { type: 'string', multiple: true },
    features: { type: 'string' },
    k: { type: 'string' },
    seed: { type: 'string' },
    window: { type: 'string' },
    json: { type: 'boolean' },
    'emit-rows': { type: 'string' },
    'emit-scores': { type: 'string' },
    detectors: { type: 'string', multiple: true },
    detector: { type: 'string', multiple: true },
    'train-until': { type: 'string' },
    train: { type: 'string' },
  }, USAGE);
  if (positionals.length !== 1) {
    throw new UserError(`scanlab analyze takes one run directory or pcap file, got ${positionals.length}${positionals.length ? `: ${positionals.join(' ')}` : ''}`, USAGE);
  }
  const target = positionals[0];
  const isDir = checkInput(target, 'input', ['file', 'folder'], 'give a run directory (with capture.pcap and labels.csv) or a pcap/pcapng file') === 'folder';
  const scanners = (values.scanner ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  let pcapPath = target;
  let labelsPath: string | undefined;
  if (isDir) {
    pcapPath = join(target, 'capture.pcap');
    if (!existsSync(pcapPath)) throw new UserError(`${target} is a directory without capture.pcap`, 'give a run directory made by scanlab run, or the pcap file itself');
    checkInput(pcapPath, 'capture', ['file'], 'give a run directory made by scanlab run, or the pcap file itself');
    const labels = join(target, 'labels.csv');
    if (scanners.length === 0) {
      if (!existsSync(labels)) throw new UserError(`${target} has no labels.csv`, 'label the run (scanlab run does), or give --scanner ADDR');
      checkInput(labels, 'labels', ['file'], 'label the run (scanlab run does), or give --scanner ADDR');
      labelsPath = labels;
    }
    checkOutput(join(target, 'analysis.json'), 'analysis result', 'file');
  }
  if (values['emit-rows'] !== undefined) checkOutput(values['emit-rows'], '--emit-rows', 'folder');
  if (values['emit-scores'] !== undefined) checkOutput(values['emit-scores'], '--emit-scores', 'folder');
  const features = values.features?.split(',').map((s) => s.trim()).filter(Boolean);
  if (features) {
    for (const name of features) {
      if (!FEATURE_SETS.some((f) => f.name === name)) throw new UserError(`--features: unknown feature set "${name}"`, `choose from: ${FEATURE_SETS.map((f) => f.name).join(', ')}`);
    }
  }
  if (values.train !== undefined && values['train-until'] !== undefined) throw new UserError('give --train CAPTURE or --train-until SECONDS, not both', USAGE);
  if (values.train !== undefined) checkInput(values.train, '--train:', ['file'], 'give a pcap/pcapng of attack-free traffic to train the detectors on');
  const chosen = chooseDetectorArgs(values.detectors, values.detector, false);
  const detectors = chosen.names;
  return {
    options: {
      pcapPath,
      labelsPath,
      scanners,
      featureSets: features,
      k: values.k === undefined ? undefined : parseK(values.k),
      seed: values.seed === undefined ? DEFAULT_SEED : parseWholeNumber('--seed', values.seed, 0, USAGE),
      windowSeconds: values.window === undefined ? undefined : parsePositive('--window', values.window),
      emitRowsDir: values['emit-rows'],
      emitScoresDir: values['emit-scores'],
      detectors,
      training: {
        runDir: isDir ? target : undefined,
        trainCapture: values.train,
        trainUntil: values['train-until'] === undefined ? undefined : parsePositive('--train-until', values['train-until']),
      },
    },
    runDir: isDir ? target : undefined,
    json: values.json ?? false,
    external: chosen.external,
  };
}

function parseK(text: string): KChoice {
  if (text === 'auto') return 'auto';
  return parseWholeNumber('--k', text, 1, USAGE, '"auto"');
}

function parsePositive(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${option} expects a number of seconds > 0, got "${text}"`, USAGE);
  return n;
}
