// Scores one labelled capture with every chosen detector: decode once, then each feature set
// (features, k-means, per-packet metrics, as scanlab analyze does) and each baseline (per-packet
// prediction scored as a two-cluster clustering). Pure apart from reading the files.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { decodeCapture } from '../capture/decode/decode-capture.ts';
import { readLabelsCsv } from '../analysis/labels.ts';
import { analyzeFeatureSet } from '../analysis/analyze-capture.ts';
import type { FeatureSetResult } from '../analysis/analysis-result.ts';
import { featureSetNamed } from '../features/registry.ts';
import { baselineNamed, connectionAttempts } from '../detect/baselines.ts';
import { scoreDetection } from '../detect/score-detection.ts';
import type { Metrics } from '../score/metrics.ts';
import { BugError, UserError } from '../errors.ts';
import type { DetectorChoice, DetectorKind } from './detectors.ts';

/** A labelled capture: a run directory, a dataset directory, or a pcap with its labels.csv. */
export interface RunInput {
  readonly pcap: string;
  readonly labels: string;
  /** The scenario it came from (scenario.yaml's name, else the directory or file name). */
  readonly scenario: string;
  /** Where it came from, as shown to the user. */
  readonly source: string;
  /** Wall time of the run that made it, when known. */
  readonly runMs: number | null;
  readonly status: string | null;
}

export interface DetectorScore {
  readonly detector: string;
  readonly kind: DetectorKind;
  /** Per packet (packet-weighted). */
  readonly metrics: Metrics;
  /** Packets predicted scan (feature sets: packets in scan clusters). */
  readonly predictedScan: number;
  /** Benign packets predicted scan. */
  readonly falsePositives: number;
  /** Time to build features, cluster and score (feature sets) or to detect and score (baselines). */
  readonly ms: number;
}

export interface RunEvaluation {
  readonly source: string;
  readonly scenario: string;
  readonly packets: number;
  readonly scanPackets: number;
  readonly runMs: number | null;
  readonly status: string | null;
  readonly decodeMs: number;
  readonly scores: DetectorScore[];
  readonly warnings: string[];
}

export function evaluateRun(input: RunInput, detectors: DetectorChoice, seed: number): RunEvaluation {
  const t0 = performance.now();
  const decoded = decodeCapture(input.pcap);
  if (decoded.packets === 0) throw new UserError(`${input.pcap} holds no packets`, 'bench needs captures with traffic in them');
  const { labels, warnings } = readLabelsCsv(input.labels, decoded.packets);
  const decodeMs = performance.now() - t0;
  let scanPackets = 0;
  for (let i = 0; i < labels.length; i++) scanPackets += labels[i];
  const scores: DetectorScore[] = [];
  for (const name of detectors.featureSets) {
    const set = featureSetNamed(name);
    if (!set) throw new BugError(`feature set ${name} passed validation but is unknown`);
    const { result } = analyzeFeatureSet(set, decoded, labels, {}, seed);
    scores.push(featureSetScore(name, result));
  }
  if (detectors.baselines.length > 0) {
    const t1 = performance.now();
    const attempts = connectionAttempts(decoded);
    const shared = (performance.now() - t1) / detectors.baselines.length;
    for (const name of detectors.baselines) {
      const baseline = baselineNamed(name);
      if (!baseline) throw new BugError(`baseline ${name} passed validation but is unknown`);
      const t2 = performance.now();
      const score = scoreDetection(baseline.detect(decoded, attempts), labels);
      scores.push({ detector: name, kind: 'baseline', metrics: score.metrics, predictedScan: score.predictedScan, falsePositives: score.falsePositives, ms: shared + performance.now() - t2 });
    }
  }
  return { source: input.source, scenario: input.scenario, packets: decoded.packets, scanPackets, runMs: input.runMs, status: input.status, decodeMs, scores, warnings: [...decoded.warnings, ...warnings] };
}

function featureSetScore(name: string, r: FeatureSetResult): DetectorScore {
  if (!r.metricsByPackets || !r.clusterScanPackets) throw new BugError(`feature set ${name} was scored without labels`);
  let predictedScan = 0;
  let falsePositives = 0;
  for (const j of r.flaggedClusters) {
    predictedScan += r.clusterPackets[j];
    falsePositives += r.clusterPackets[j] - r.clusterScanPackets[j];
  }
  const ms = r.timings.featuresMs + r.timings.kmeansMs + r.timings.scoreMs;
  return { detector: name, kind: 'feature-set', metrics: r.metricsByPackets, predictedScan, falsePositives, ms };
}

/**
 * What `--runs PATH` means: a directory with capture.pcap and labels.csv (a run or a dataset
 * directory), or a pcap/pcapng file with `<name>.labels.csv` or `labels.csv` beside it.
 */
export function resolveRunInput(path: string): RunInput {
  if (!existsSync(path)) throw new UserError(`--runs: ${path} does not exist`, 'give run directories made by scanlab run (capture.pcap + labels.csv) or labelled pcap files');
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
  return { pcap, labels, scenario: scenarioName(dir, pcap), source: path, runMs: runDuration(dir), status: runStatus(dir) };
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
