// One external detector on one capture: a fresh scratch folder {dir}; the capture as classic pcap
// ({pcap}); the training part written as a pcap ({train}) when the command uses it; the program
// (and its training command first) run in {dir}; its alerts read from {out} or {outdir} in its
// format and matched to the capture's packets. Anything that goes wrong with the program or its
// output is a failure of this detector on this capture, with the reason and its stderr tail; it
// never throws for that. {dir} is removed afterwards, whatever happened.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DecodedCapture } from '../../capture/decode/decode-capture.ts';
import type { Detection, TrainingPart } from '../detector.ts';
import { UserError } from '../../errors.ts';
import type { ExternalAlert } from './alert.ts';
import { isClassicPcap, writeClassicPcap } from './classic-pcap.ts';
import { formatFor, type AlertFormat } from './formats/index.ts';
import { alertsToDetection } from './match-alerts.ts';
import { runProgram, type ProgramOutcome } from './run-program.ts';
import { usesTraining, type ExternalDetectorSpec, type Placeholder } from './spec.ts';

export interface ExternalFailure {
  /** What went wrong, for a user: exit code, timeout, unreadable output (file and line). */
  readonly reason: string;
  readonly stderrTail: string;
  readonly exitCode: number | null;
}

export interface ExternalOutcome {
  readonly spec: ExternalDetectorSpec;
  /** null when it failed on this capture. */
  readonly detection: Detection | null;
  readonly failure: ExternalFailure | null;
  /** Wall time of its program(s), ms. */
  readonly wallMs: number;
  /** CPU time (user + system) of its program(s) and what they waited for, ms; null if unknown. */
  readonly cpuMs: number | null;
  /** The format its alerts were read as, and how many alert lines. */
  readonly format: string | null;
  readonly alerts: number;
}

export interface ExternalInput {
  readonly decoded: DecodedCapture;
  readonly pcapPath: string;
  readonly training: TrainingPart;
  readonly signal?: AbortSignal;
}

export async function runExternalDetector(spec: ExternalDetectorSpec, input: ExternalInput): Promise<ExternalOutcome> {
  const dir = mkdtempSync(join(tmpdir(), `scanlab-detector-${spec.name.replace(/[^A-Za-z0-9._-]/g, '_')}-`));
  let wallMs = 0;
  let cpuMs: number | null = 0;
  const fail = (reason: string, program?: ProgramOutcome): ExternalOutcome => ({
    spec,
    detection: null,
    failure: { reason, stderrTail: program?.stderrTail ?? '', exitCode: program?.exitCode ?? null },
    wallMs,
    cpuMs,
    format: null,
    alerts: 0,
  });
  try {
    const paths = preparePaths(spec, input, dir);
    if ('error' in paths) return fail(paths.error);
    const steps = spec.trainCommand ? [{ what: 'its training command', argv: spec.trainCommand }, { what: 'it', argv: spec.command }] : [{ what: 'it', argv: spec.command }];
    for (const step of steps) {
      const argv = step.argv.map((arg) => fillPlaceholders(arg, paths.values));
      const program = await runProgram(argv, { cwd: dir, timeoutMs: spec.timeoutSeconds * 1000, signal: input.signal });
      wallMs += program.wallMs;
      cpuMs = cpuMs === null || program.cpuMs === null ? null : cpuMs + program.cpuMs;
      const why = programFailure(program, spec, step.what);
      if (why) return fail(why, program);
    }
    const read = readAlerts(spec, paths.values);
    if ('error' in read) return fail(read.error);
    const detection = alertsToDetection(input.decoded, read.alerts, {
      toleranceSeconds: spec.toleranceSeconds ?? read.format.toleranceSeconds ?? 0.001,
      describe: `external program ${spec.command[0]}, ${read.formatName} alerts`,
    });
    return { spec, detection, failure: null, wallMs, cpuMs, format: read.formatName, alerts: read.alerts.length };
  } catch (error) {
    // Output that matches nothing in the capture (a packet number beyond it) and I/O errors.
    return fail(error instanceof Error ? error.message : String(error));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function programFailure(p: ProgramOutcome, spec: ExternalDetectorSpec, what: string): string | null {
  if (p.startError) return `${what} could not be started: ${p.startError}`;
  if (p.aborted) return `${what} was stopped: the run was interrupted`;
  if (p.timedOut) return `${what} timed out after ${spec.timeoutSeconds} s and was killed (with every process it started)`;
  if (p.exitCode !== 0) return `${what} exited with ${p.exitCode === null ? 'a signal' : `code ${p.exitCode}`}`;
  return null;
}

function preparePaths(spec: ExternalDetectorSpec, input: ExternalInput, dir: string): { values: Record<Placeholder, string> } | { error: string } {
  const pcap = isClassicPcap(input.pcapPath) ? resolve(input.pcapPath) : join(dir, 'capture.pcap');
  if (pcap !== resolve(input.pcapPath)) writeClassicPcap(input.pcapPath, pcap);
  let train = '';
  if (usesTraining(spec)) {
    const t = input.training;
    if (t.source === 'none') return { error: 'it trains on {train}, but this capture has no attack-free training part: give --train-until SECONDS or --train CAPTURE (a scanlab run uses its warm-up)' };
    if (t.capturePath) train = isClassicPcap(t.capturePath) ? resolve(t.capturePath) : join(dir, 'train.pcap');
    else train = join(dir, 'train.pcap');
    if (t.capturePath && train !== resolve(t.capturePath)) writeClassicPcap(t.capturePath, train);
    else if (!t.capturePath) writeClassicPcap(input.pcapPath, train, (_i, seconds) => seconds < t.untilSeconds!);
  }
  const outdir = join(dir, 'alerts.d');
  mkdirSync(outdir);
  return { values: { pcap, train, out: join(dir, 'alerts'), outdir, dir } };
}

export function fillPlaceholders(arg: string, values: Record<Placeholder, string>): string {
  return arg.replace(/\{(pcap|train|out|outdir|dir)\}/g, (_, name: Placeholder) => values[name]);
}

/** Reads what it wrote: {out} (a file, or the files of a folder it made), then {outdir}'s files. */
function readAlerts(spec: ExternalDetectorSpec, paths: Record<Placeholder, string>): { alerts: ExternalAlert[]; formatName: string; format: AlertFormat } | { error: string } {
  const files: string[] = [];
  for (const root of [paths.out, paths.outdir]) {
    if (!existsSync(root)) continue;
    if (statSync(root).isFile()) files.push(root);
    else for (const f of readdirSync(root).sort()) if (statSync(join(root, f)).isFile()) files.push(join(root, f));
  }
  if (files.length === 0) return { error: 'it wrote no alerts: neither {out} nor {outdir} holds a file (an empty file means "no alerts")' };
  const named = spec.format === 'auto' ? undefined : formatFor(spec.format, '');
  // A log folder holds other logs too: a format that knows its file reads only that one.
  const chosen = named?.format.fileName && files.length > 1 ? files.filter((f) => f.endsWith(`/${named.format.fileName}`)) : files;
  if (chosen.length === 0) return { error: `it wrote ${files.length} files but no ${named!.format.fileName}` };
  const alerts: ExternalAlert[] = [];
  let formatName = named?.name ?? '';
  let format = named?.format;
  for (const file of chosen) {
    const text = readFileSync(file, 'utf8');
    if (text.trim() === '') continue;
    const where = file.startsWith(paths.dir) ? `{dir}${file.slice(paths.dir.length)}` : file;
    const picked = named ?? formatFor('auto', text.slice(0, 8192));
    if (!picked) return { error: `${where}: its format is none scanlab knows (give format: in the detectors file); it begins "${text.slice(0, 60).replace(/\n/g, '\\n')}"` };
    if (formatName && picked.name !== formatName) return { error: `${where} is ${picked.name} but an earlier file was ${formatName}` };
    formatName = picked.name;
    format = picked.format;
    try {
      alerts.push(...picked.format.read(text, where));
    } catch (error) {
      if (error instanceof UserError) return { error: error.message };
      throw error;
    }
  }
  return { alerts, formatName: formatName || spec.format, format: format ?? { read: () => [] } };
}

/** Every external detector on one capture, one after the other (each times its own program). */
export async function runExternalDetectors(specs: readonly ExternalDetectorSpec[], input: ExternalInput): Promise<ExternalOutcome[]> {
  const out: ExternalOutcome[] = [];
  for (const spec of specs) out.push(await runExternalDetector(spec, input));
  return out;
}
