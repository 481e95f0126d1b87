// What bench scores: a labelled capture, found from a `--runs PATH` (a run or dataset directory,
// or a pcap with its labels), with the scenario name and run time its directory records.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.ts';
import { checkInput } from '../util/checked-paths.ts';

/** A labelled capture: a run directory, a dataset directory, or a pcap with its labels.csv. */
export interface RunInput {
  readonly pcap: string;
  readonly labels: string;
  /** The run or dataset directory it is in, whose capture.json or manifest.json records the warm-up. */
  readonly dir: string;
  /** The scenario it came from (scenario.yaml's name, else the directory or file name). */
  readonly scenario: string;
  /** Where it came from, as shown to the user. */
  readonly source: string;
  /** Wall time of the run that made it, when known. */
  readonly runMs: number | null;
  readonly status: string | null;
}

/**
 * What `--runs PATH` means: a directory with capture.pcap and labels.csv (a run or a dataset
 * directory), or a pcap/pcapng file with `<name>.labels.csv` or `labels.csv` beside it.
 */
export function resolveRunInput(path: string): RunInput {
  checkInput(path, '--runs:', ['file', 'folder'], 'give run directories made by scanlab run (capture.pcap + labels.csv) or labelled pcap files');
  let pcap: string;
  let labels: string;
  let dir: string;
  if (isDirectory(path)) {
    dir = path;
    pcap = join(path, 'capture.pcap');
    labels = join(path, 'labels.csv');
    if (!existsSync(pcap)) throw new UserError(`--runs: ${path} has no capture.pcap`, 'a run directory holds capture.pcap and labels.csv');
    if (!existsSync(labels)) throw new UserError(`--runs: ${path} has no labels.csv`, 'bench scores against ground truth; label the capture first (scanlab run writes labels.csv)');
  } else {
    dir = dirname(path);
    pcap = path;
    const stem = basename(path).replace(/\.(pcapng|pcap|cap)$/i, '');
    const candidates = [join(dir, `${stem}.labels.csv`), join(dir, 'labels.csv')];
    const found = candidates.find((c) => existsSync(c));
    if (!found) throw new UserError(`--runs: no labels for ${path}`, `put its labels (no,label,step) in ${candidates.join(' or ')}`);
    labels = found;
  }
  checkInput(pcap, '--runs: capture', ['file'], 'a run directory holds capture.pcap and labels.csv');
  checkInput(labels, '--runs: labels', ['file'], 'a run directory holds capture.pcap and labels.csv');
  return { pcap, labels, dir, scenario: scenarioName(dir, pcap), source: path, runMs: runDuration(dir), status: runStatus(dir) };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function scenarioName(dir: string, pcap: string): string {
  for (const file of [join(dir, 'scenario.yaml'), join(dir, '..', 'scenario.yaml')]) {
    if (!existsSync(file)) continue;
    try {
      const name = (parseYaml(readFileSync(file, 'utf8')) as { name?: unknown })?.name;
      if (typeof name === 'string' && name) return name;
    } catch {
      /* fall through to the directory name */
    }
  }
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) {
    try {
      const m = JSON.parse(readFileSync(manifest, 'utf8')) as { scenario?: { name?: unknown } | string };
      const name = typeof m.scenario === 'string' ? m.scenario : m.scenario?.name;
      if (typeof name === 'string' && name) return name;
    } catch {
      /* fall through */
    }
  }
  return basename(pcap === join(dir, 'capture.pcap') ? dir : pcap).replace(/^\d{8}-\d{6}-/, '').replace(/-\d+$/, '');
}

/** The run's duration from its events.jsonl result event, when there is one. */
function runDuration(dir: string): number | null {
  const summary = resultSummary(dir);
  return typeof summary?.durationMs === 'number' ? summary.durationMs : null;
}

function runStatus(dir: string): string | null {
  const summary = resultSummary(dir);
  return typeof summary?.status === 'string' ? summary.status : null;
}

function resultSummary(dir: string): { durationMs?: unknown; status?: unknown } | undefined {
  const file = join(dir, 'events.jsonl');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i].includes('"result"')) continue;
    try {
      const event = JSON.parse(lines[i]) as { type?: string; summary?: { durationMs?: unknown; status?: unknown } };
      if (event.type === 'result') return event.summary;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
