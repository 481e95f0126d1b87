// The results view's data, read from a run directory's files (capture.json, analysis.json,
// scenario.yaml), and the history list of runs/*/. Reads files only; no analysis here.
// Detection (label-free detectors, scored per packet after the training part) comes first;
// separation (clusterings whose scan clusters the labels name) is kept apart and never ranked.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { AnalysisResult } from '../analysis/analysis-result.ts';
import type { Metrics } from '../score/metrics.ts';
import type { DetectionMetrics } from '../score/detection-metrics.ts';
import { trainingText } from '../analysis/format-table.ts';

/** One detector's scores on the run (null without labels). */
export interface DetectorScore {
  readonly name: string;
  readonly kind: string;
  readonly packets: DetectionMetrics | null;
  /** Attacking hosts named / all, and benign hosts it flagged; null without labels. */
  readonly hosts: { readonly detected: number; readonly attackers: number; readonly falselyFlagged: number } | null;
  readonly falseAlarmsPerHour: number | null;
  readonly notes: readonly string[];
}

export interface ClusterRow {
  readonly cluster: number;
  readonly packets: number;
  readonly scan: number;
  readonly benign: number;
}

/** Separation: how well a feature set's clustering splits the traffic (not detection). */
export interface FeatureSetScore {
  readonly name: string;
  readonly rows: number;
  readonly k: number;
  /** Per packet (what matters for the scan traffic); per row when per packet is missing. */
  readonly metrics: Metrics | null;
  readonly rating: number | null;
  /** Clusters with their packets by label, largest first. */
  readonly clusters: readonly ClusterRow[];
}

export interface RunResults {
  readonly runDir: string;
  readonly scenario: string;
  /** From the directory name (yyyymmdd-hhmmss), else the directory's mtime. */
  readonly date: Date;
  readonly status: string;
  readonly packets?: number;
  readonly scan?: number;
  readonly benign?: number;
  readonly dropped?: number;
  /** Detection, per detector, in analysis.json's order. */
  readonly detectors: readonly DetectorScore[];
  /** What the learning detectors trained on, in words; undefined without an analysis. */
  readonly training?: string;
  /** Separation, per feature set. */
  readonly featureSets: readonly FeatureSetScore[];
  readonly dataset?: string;
  readonly report?: string;
  readonly reportPath: string;
  readonly warnings: readonly string[];
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

interface CaptureJson {
  packets?: number;
  status?: string;
  libpcap?: { dropped?: number };
  labels?: { scan?: number; benign?: number };
}

export function runDate(runDir: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(basename(runDir));
  if (m) return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  try {
    return statSync(runDir).mtime;
  } catch {
    return new Date(0);
  }
}

function scenarioName(runDir: string): string {
  try {
    const doc = parse(readFileSync(join(runDir, 'scenario.yaml'), 'utf8')) as { name?: string };
    if (doc?.name) return doc.name;
  } catch {
    /* fall back to the directory name */
  }
  return basename(runDir).replace(/^\d{8}-\d{6}-/, '');
}

export function featureSetScores(analysis: AnalysisResult | undefined): FeatureSetScore[] {
  if (!analysis?.featureSets) return [];
  return Object.entries(analysis.featureSets).map(([name, set]) => {
    const clusters = set.clusterPackets.map((packets, cluster) => {
      const scan = set.clusterScanPackets?.[cluster] ?? 0;
      return { cluster, packets, scan, benign: packets - scan };
    });
    clusters.sort((a, b) => b.packets - a.packets || a.cluster - b.cluster);
    return { name, rows: set.rows, k: set.k, metrics: set.metricsByPackets ?? set.metrics, rating: set.rating, clusters };
  });
}

export function detectorScores(analysis: AnalysisResult | undefined): DetectorScore[] {
  if (!analysis?.detectors) return [];
  return Object.entries(analysis.detectors).map(([name, d]) => ({
    name,
    kind: d.kind,
    packets: d.packets,
    hosts: d.hosts ? { detected: d.hosts.detected.length, attackers: d.hosts.detected.length + d.hosts.missed.length, falselyFlagged: d.hosts.falselyFlagged.length } : null,
    falseAlarmsPerHour: d.falseAlarmsPerHour,
    notes: d.failed ? [`failed: ${d.failed.reason}`, ...d.notes] : d.notes,
  }));
}

export function loadRunResults(dir: string): RunResults {
  const runDir = resolve(dir);
  const capture = readJson<CaptureJson>(join(runDir, 'capture.json'));
  const analysis = readJson<AnalysisResult>(join(runDir, 'analysis.json'));
  const dataset = join(runDir, 'dataset');
  const report = join(runDir, 'report.html');
  const status = capture?.status ?? (existsSync(join(runDir, 'capture.pcap')) ? 'incomplete' : 'no capture');
  return {
    runDir,
    scenario: scenarioName(runDir),
    date: runDate(runDir),
    status,
    packets: capture?.packets ?? analysis?.packets,
    scan: capture?.labels?.scan ?? analysis?.scanPackets ?? undefined,
    benign: capture?.labels?.benign,
    dropped: capture?.libpcap?.dropped,
    detectors: detectorScores(analysis),
    training: analysis?.training ? trainingText(analysis.training) : undefined,
    featureSets: featureSetScores(analysis),
    dataset: existsSync(dataset) ? dataset : undefined,
    report: existsSync(report) ? report : undefined,
    reportPath: report,
    warnings: analysis?.warnings ?? [],
  };
}

/** The best per-packet detection F1 over the detectors, with its detector's name (separation
 *  scores never count: the labels picked their scan clusters). */
export function bestDetection(results: RunResults): { name: string; f1: number } | undefined {
  let best: { name: string; f1: number } | undefined;
  for (const d of results.detectors) {
    const f1 = d.packets?.f1;
    if (f1 !== undefined && (!best || f1 > best.f1)) best = { name: d.name, f1 };
  }
  return best;
}

/** SCANLAB_RUNS when set, else ./runs (where scanlab run writes by default). */
export function runsRoot(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolve(cwd, env.SCANLAB_RUNS ?? 'runs');
}

/** Past runs under `root`, newest first. */
export function listRuns(root = runsRoot()): RunResults[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const runs: RunResults[] = [];
  for (const name of names) {
    const dir = join(root, name);
    try {
      if (!statSync(dir).isDirectory()) continue;
    } catch {
      continue;
    }
    if (!existsSync(join(dir, 'scenario.yaml')) && !existsSync(join(dir, 'capture.pcap'))) continue;
    runs.push(loadRunResults(dir));
  }
  return runs.sort((a, b) => b.date.getTime() - a.date.getTime() || b.runDir.localeCompare(a.runDir));
}
