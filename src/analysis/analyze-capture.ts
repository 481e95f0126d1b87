// The analysis of one capture: decode; detection first (every detector decides without labels,
// then is scored on the packets after the training part); then separation (per feature set: rows
// clustered with k-means on every row, the clusters scored against the labels, which name the
// scan clusters, so this is never a detection score). Pure apart from reading the capture (and
// writing rows and scores when asked); no console output.
import { writeFolderAtomic } from '../util/atomic-output.ts';
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import { decodeForAnalysis } from './analysis-columns.ts';
import { UserError } from '../errors.ts';
import { FEATURE_SETS, featureSetNamed } from '../features/registry.ts';
import { buildFeatures, type FeatureMatrix, type FeatureSet } from '../features/feature-set.ts';
import { computeMetrics } from '../score/metrics.ts';
import { contingency } from '../score/contingency.ts';
import { scanClusterIds } from '../score/scan-clusters.ts';
import { hackingRating } from '../score/hacking-rating.ts';
import type { Detection, TrainingPart } from '../detect/detector.ts';
import { runExternalDetectors, type ExternalOutcome } from '../detect/external/run-external.ts';
import type { ExternalDetectorSpec } from '../detect/external/spec.ts';
import { readLabelsCsv, labelsFromScanners, type PacketLabels } from './labels.ts';
import { detectCapture, scoresCsv } from './detect-capture.ts';
import { describeTraining, resolveTraining, type TrainingChoice } from './training.ts';
import { clusterRows, type KChoice } from './cluster-rows.ts';
import type { AnalysisResult, FeatureSetResult } from './analysis-result.ts';
import { rowsCsv } from './rows-csv.ts';
import { collectGarbageAfterPhase } from '../util/collect-garbage.ts';
import { liveResultsOfRun } from '../detect/online/live-results.ts';
import { useColumns, withRowsOnly } from '../capture/decode/column-spill.ts';

export interface AnalyzeOptions {
  pcapPath: string;
  /** Path of a labels.csv (no,label,step) for the capture. */
  labelsPath?: string;
  /** Addresses whose packets are scan (instead of labelsPath). */
  scanners?: readonly string[];
  /** Feature set names; all when left out. */
  featureSets?: readonly string[];
  /** k for every set; each set's default when left out. */
  k?: KChoice;
  seed?: number;
  /** Write <name>.csv (row,packets,scanPackets,label,cluster) per feature set here. */
  emitRowsDir?: string;
  /** Window for host-window, in seconds. */
  windowSeconds?: number;
  /** Detector names; the defaults when left out. */
  detectors?: readonly string[];
  /** What the learning detectors train on. */
  training?: TrainingChoice;
  /** Write <detector>.csv (no,score,flagged) per detector here. */
  emitScoresDir?: string;
}

export const DEFAULT_SEED = 1;

export function analyzeCapture(options: AnalyzeOptions): AnalysisResult {
  return finishAnalysis(prepareAnalysis(options), options, { keepRows: false }).result;
}

/** What an analysis computed per row, for a report written in the same process (see write-report.ts). */
export interface AnalysisRows {
  decoded: DecodedCapture;
  labels: Uint8Array | undefined;
  /** Per feature set: its rows and the clusters the analysis scored. */
  sets: Map<string, { features: FeatureMatrix; assignments: Int32Array; k: number }>;
  /** Per detector: its scores and decisions; and which packets were judged. */
  detections: Map<string, Detection>;
  judged: Uint8Array;
}

/** analyzeCapture, also handing back the decoded capture, the rows and their clusters. */
export function analyzeCaptureKeepingRows(options: AnalyzeOptions): { result: AnalysisResult; rows: AnalysisRows } {
  return finishAnalysis(prepareAnalysis(options), options, { keepRows: true });
}

/**
 * analyzeCapture with external detectors (programs, src/detect/external/) run on the capture
 * first, then scored beside the built-in ones by the same code.
 */
export async function analyzeCaptureWithExternal(options: AnalyzeOptions, external: readonly ExternalDetectorSpec[], signal?: AbortSignal): Promise<AnalysisResult> {
  const prepared = prepareAnalysis(options);
  const t0 = performance.now();
  const outcomes = await runExternalDetectors(external, { decoded: prepared.decoded, pcapPath: options.pcapPath, training: prepared.training, signal });
  return finishAnalysis(prepared, options, { keepRows: false, external: outcomes, externalMs: performance.now() - t0 }).result;
}

interface PreparedAnalysis {
  started: number;
  sets: FeatureSet[];
  seed: number;
  decoded: DecodedCapture;
  decodeMs: number;
  warnings: string[];
  labelled: PacketLabels | undefined;
  scanPackets: number | null;
  training: TrainingPart;
}

function prepareAnalysis(options: AnalyzeOptions): PreparedAnalysis {
  const started = performance.now();
  const sets = resolveFeatureSets(options.featureSets);
  const seed = options.seed ?? DEFAULT_SEED;
  const decoded = decodeForAnalysis(options.pcapPath);
  const decodeMs = performance.now() - started;
  const warnings = [...decoded.warnings];
  if (decoded.packets === 0) {
    throw new UserError(`${options.pcapPath} holds no packets${decoded.summary.truncated ? ' (it is cut short before the first whole packet)' : ''}`, 'capture some traffic first; there is nothing to cluster');
  }
  const labelled = loadLabels(decoded, options);
  if (labelled) warnings.push(...labelled.warnings);
  let scanPackets: number | null = null;
  if (labelled) {
    scanPackets = 0;
    for (let i = 0; i < decoded.packets; i++) scanPackets += labelled.labels[i];
    if (scanPackets === 0) warnings.push('no packet is labelled scan: scan precision, recall and F1 are 0 and the rating flags nothing');
    if (scanPackets === decoded.packets) warnings.push('every packet is labelled scan: there is no benign traffic to separate it from');
  }
  const training = resolveTraining(options.training ?? {}, decoded, options.pcapPath);
  return { started, sets, seed, decoded, decodeMs, warnings, labelled, scanPackets, training };
}

/**
 * keepRows: hand back every detector's per-packet decisions and every set's rows (the report needs
 * them). Without it each is dropped once scored, so memory holds one detector's or set's at a time.
 */
interface FinishOptions {
  readonly keepRows: boolean;
  readonly external?: readonly ExternalOutcome[];
  readonly externalMs?: number;
}

function finishAnalysis(prepared: PreparedAnalysis, options: AnalyzeOptions, finish: FinishOptions): { result: AnalysisResult; rows: AnalysisRows } {
  const { started, sets, seed, decoded, decodeMs, warnings, scanPackets, training } = prepared;
  const { keepRows } = finish;
  const detection = detectAndScore(prepared, options, finish);
  // Taken after detection, which moves the labels out of memory while each detector runs.
  const labels = prepared.labelled?.labels;
  // Separation reads the labels alone: the steps and the judged mask (58 MB at 20M packets) go
  // unless the caller keeps the rows.
  if (!keepRows) prepared.labelled = undefined;

  const results: Record<string, FeatureSetResult> = {};
  const kept: AnalysisRows['sets'] = new Map();
  const rowFiles: Record<string, string> = {};
  // Each set in a call of its own: a local of the loop would keep the last set's rows alive while
  // the next set builds its own (the collection before it included).
  const analyzeSet = (set: FeatureSet): void => {
    const run = analyzeFeatureSet(set, decoded, labels, options, seed, { keepFeatures: keepRows, leaveColumnsOut: true });
    results[set.name] = run.result;
    if (run.features) kept.set(set.name, { features: run.features, assignments: run.assignments, k: run.result.k });
    if (options.emitRowsDir) rowFiles[`${set.name}.csv`] = rowsCsv(run.rowPackets, run.rowScan, run.assignments, labels !== undefined);
  };
  for (const set of sets) {
    collectGarbageAfterPhase(decoded.packets);
    analyzeSet(set);
  }
  // Every set's rows or none: a cut-short analysis leaves no file that looks like a result.
  if (options.emitRowsDir) writeFolderAtomic(options.emitRowsDir, rowFiles);
  // The phases left columns out of memory as they went (column-spill.ts); whoever keeps the rows gets them all back.
  if (keepRows) useColumns(decoded, 'all');
  const result: AnalysisResult = {
    capture: options.pcapPath,
    packets: decoded.packets,
    scanPackets,
    labelSource: options.labelsPath ? 'labels.csv' : options.scanners?.length ? 'scanner' : 'none',
    seed,
    training: describeTraining(training),
    detectors: detection.results,
    featureSets: results,
    timings: { decodeMs, detectMs: detection.ms, totalMs: performance.now() - started },
    warnings,
  };
  return { result, rows: { decoded, labels, sets: kept, detections: detection.detections, judged: detection.judged } };
}

/** Every detector run and scored (the run's online ones from live.json too); per-packet arrays only when kept. */
function detectAndScore(prepared: PreparedAnalysis, options: AnalyzeOptions, { keepRows, external, externalMs = 0 }: FinishOptions) {
  const { seed, decoded, warnings, labelled, training } = prepared;
  const t0 = performance.now();
  const keepDetections = keepRows || options.emitScoresDir !== undefined;
  const detection = detectCapture(decoded, labelled, { detectors: options.detectors, training, seed, windowSeconds: options.windowSeconds, external, keepDetections, leaveColumnsOut: true });
  const ms = performance.now() - t0 + externalMs;
  if (options.emitScoresDir) {
    // Every detector's scores or none (src/util/atomic-output.ts).
    writeFolderAtomic(options.emitScoresDir, Object.fromEntries([...detection.detections].map(([name, d]) => [`${name}.csv`, scoresCsv(d, detection.judged)])));
  }
  for (const o of external ?? []) if (o.failure) warnings.push(`detector ${o.spec.name} failed: ${o.failure.reason}`);
  // A run's online detectors, from the decisions they made live (live.json), scored the same way.
  const results = { ...detection.results, ...liveResultsOfRun(options.training?.runDir, decoded, labelled, detection.judged, training, seed) };
  return { results, ms, detections: keepRows ? detection.detections : new Map<string, Detection>(), judged: keepRows ? detection.judged : new Uint8Array(0) };
}

function resolveFeatureSets(names: readonly string[] | undefined): FeatureSet[] {
  if (!names || names.length === 0) return [...FEATURE_SETS];
  return names.map((name) => {
    const set = featureSetNamed(name);
    if (!set) throw new UserError(`unknown feature set "${name}"`, `choose from: ${FEATURE_SETS.map((f) => f.name).join(', ')}`);
    return set;
  });
}

function loadLabels(decoded: DecodedCapture, options: AnalyzeOptions): PacketLabels | undefined {
  if (options.labelsPath) return readLabelsCsv(options.labelsPath, decoded.packets);
  if (options.scanners && options.scanners.length > 0) return labelsFromScanners(decoded, options.scanners, options.pcapPath);
  return undefined;
}

export function analyzeFeatureSet(
  set: FeatureSet,
  decoded: DecodedCapture,
  labels: Uint8Array | undefined,
  options: Pick<AnalyzeOptions, 'k' | 'windowSeconds'>,
  seed: number,
  { keepFeatures = false, leaveColumnsOut = false }: { keepFeatures?: boolean; leaveColumnsOut?: boolean } = {},
): FeatureSetRun {
  const t0 = performance.now();
  // The rows with only the columns the set reads in memory; k-means and the tallies with none;
  // then the capture whole again, unless the caller's next phase names its own columns.
  const run = withRowsOnly(decoded, set.columnsRead, () => buildFeatures(set, decoded, { windowSeconds: options.windowSeconds }), (features) => clusterAndScore(set, features, labels, options, seed, t0, keepFeatures));
  if (!leaveColumnsOut) useColumns(decoded, 'all');
  return run;
}

function clusterAndScore(set: FeatureSet, features: FeatureMatrix, labels: Uint8Array | undefined, options: Pick<AnalyzeOptions, 'k'>, seed: number, t0: number, keepFeatures: boolean): FeatureSetRun {
  const t1 = performance.now();
  const clustering = clusterRows(features, options.k ?? set.defaultK, set.defaultK, seed);
  const t2 = performance.now();
  const { assignments, k } = clustering;
  const rowScan = scanPacketsPerRow(features, labels);
  const clusterSizes = new Array<number>(k).fill(0);
  const clusterPackets = new Array<number>(k).fill(0);
  const clusterScanPackets = labels ? new Array<number>(k).fill(0) : null;
  for (let r = 0; r < features.rows; r++) {
    const j = assignments[r];
    clusterSizes[j]++;
    clusterPackets[j] += features.rowPackets[r];
    if (clusterScanPackets) clusterScanPackets[j] += rowScan[r];
  }
  let metrics = null;
  let metricsByPackets = null;
  let majorityScanClusters: number[] | null = null;
  if (labels) {
    const rowLabels = new Uint8Array(features.rows);
    for (let r = 0; r < features.rows; r++) rowLabels[r] = 2 * rowScan[r] > features.rowPackets[r] ? 1 : 0;
    metrics = computeMetrics({ clusters: assignments, labels: rowLabels });
    const byPackets = { clusters: assignments, weights: features.rowPackets, scanWeights: rowScan };
    metricsByPackets = computeMetrics(byPackets);
    majorityScanClusters = scanClusterIds(contingency(byPackets));
  }
  // The seed's rating picks clusters by their centres, never by labels.
  const ratedClusters = set.flagUnlabeled ? set.flagUnlabeled(clustering.centers, k, features.columnNames, clusterSizes) : null;
  const t3 = performance.now();
  const result: FeatureSetResult = {
    rows: features.rows,
    k,
    kRequested: options.k ?? set.defaultK,
    ...(clustering.kScores ? { kScores: clustering.kScores } : {}),
    columns: [...features.columnNames],
    metrics,
    metricsByPackets,
    clusterSizes,
    clusterPackets,
    clusterScanPackets,
    rating: ratedClusters ? hackingRating(clusterSizes, ratedClusters) : null,
    ratedClusters,
    majorityScanClusters,
    inertia: clustering.inertia,
    iterations: clustering.iterations,
    timings: { featuresMs: t1 - t0, kmeansMs: t2 - t1, scoreMs: t3 - t2 },
  };
  // Without keepFeatures the rows are garbage before the columns come back.
  return { result, ...(keepFeatures ? { features } : {}), rowPackets: features.rowPackets, rowScan, assignments };
}

/** One feature set's result plus the per-row tallies --emit-rows writes (and its rows, when kept). */
export interface FeatureSetRun {
  result: FeatureSetResult;
  features?: FeatureMatrix;
  rowPackets: Uint32Array;
  rowScan: Float64Array;
  assignments: Int32Array;
}

/** Scan packets per row (0s without labels). Packets in no row are left out. */
export function scanPacketsPerRow(features: FeatureMatrix, labels: Uint8Array | undefined): Float64Array {
  const out = new Float64Array(features.rows);
  if (!labels) return out;
  const rowOf = features.rowOfPacket;
  for (let i = 0; i < rowOf.length; i++) if (rowOf[i] >= 0 && labels[i]) out[rowOf[i]]++;
  return out;
}
