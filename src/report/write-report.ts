// writeReport(runDir): report.html in a run directory, from its files alone: capture.pcap,
// labels.csv (when there) and analysis.json (when there). Detection (report-detection.ts) first,
// separation (the clusterings below) second.
// Per-row data (the feature matrix for the PCA, each packet's cluster for the timeline) is not in
// analysis.json, so it is recomputed here with the analysis modules: each feature set is built
// again and clustered with the k and seed analysis.json records, which gives the same clusters
// the analysis scored (k-means here is deterministic for a seed). Scores and the confusion matrix
// come from analysis.json when it has the set, else from a fresh analysis of that set.
// A run writes its report right after its analysis, in the same process: it hands over the rows
// and clusters it computed (`fromAnalysis`), so the capture is not decoded and clustered twice.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { decodeCapture } from '../capture/decode/decode-capture.ts';
import { readLabelsCsv } from '../analysis/labels.ts';
import { analyzeFeatureSet, DEFAULT_SEED } from '../analysis/analyze-capture.ts';
import { clusterRows } from '../analysis/cluster-rows.ts';
import { FEATURE_SETS } from '../features/registry.ts';
import { buildFeatures } from '../features/feature-set.ts';
import type { AnalysisResult } from '../analysis/analysis-result.ts';
import type { AnalysisRows } from '../analysis/analyze-capture.ts';
import { UserError } from '../errors.ts';
import { buildReportData, type FeatureSetData } from './report-data.ts';
import { reportDetection } from './report-detection.ts';
import { LIVE_FILE, readLiveRecord } from '../detect/online/live-record.ts';
import { renderReportHtml } from './render-html.ts';

function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export async function writeReport(runDir: string, fromAnalysis?: AnalysisRows): Promise<string> {
  const root = resolve(runDir);
  const pcap = join(root, 'capture.pcap');
  if (!existsSync(pcap)) throw new UserError(`${root} has no capture.pcap`, 'give a run directory written by scanlab run');
  const decoded = fromAnalysis?.decoded ?? decodeCapture(pcap);
  const labelsPath = join(root, 'labels.csv');
  let read: ReturnType<typeof readLabelsCsv> | undefined;
  const truth = () => (existsSync(labelsPath) ? (read ??= readLabelsCsv(labelsPath, decoded.packets)) : undefined);
  const labels = fromAnalysis ? fromAnalysis.labels : truth()?.labels;
  const analysis = readJson<AnalysisResult>(join(root, 'analysis.json'));
  const capture = readJson<{ status?: string; libpcap?: { dropped?: number } }>(join(root, 'capture.json'));
  const scenario = scenarioName(root);
  const seed = analysis?.seed ?? DEFAULT_SEED;
  const notes: string[] = [];
  if (!labels) notes.push('no labels.csv: every packet is shown as benign and scores are left out');
  if (!analysis) notes.push('no analysis.json: detection, clusters and scores were computed for this report with the default detectors and each feature set\'s default k');
  const detection = reportDetection({ root, pcap, decoded, analysis, fromAnalysis, truth, seed });
  notes.push(...detection.notes);

  const names = analysis ? Object.keys(analysis.featureSets) : FEATURE_SETS.map((s) => s.name);
  const sets: FeatureSetData[] = [];
  for (const name of names) {
    const set = FEATURE_SETS.find((s) => s.name === name);
    if (!set) {
      notes.push(`feature set ${name} in analysis.json is unknown to this version; left out`);
      continue;
    }
    const recorded = analysis?.featureSets[name];
    const kept = fromAnalysis?.sets.get(name);
    const features = kept?.features ?? buildFeatures(set, decoded);
    const clustering =
      kept ?? clusterRows(features, recorded ? (recorded.kRequested === 'auto' ? recorded.k : recorded.kRequested) : set.defaultK, set.defaultK, seed);
    const scored = recorded ?? (features.rows > 0 ? analyzeFeatureSet(set, decoded, labels, {}, seed).result : undefined);
    sets.push({
      name,
      k: clustering.k,
      rows: features.rows,
      columns: features.columnNames,
      matrix: features.matrix,
      cols: features.cols,
      assignments: clustering.assignments,
      rowOfPacket: features.rowOfPacket,
      rowPackets: features.rowPackets,
      metrics: scored?.metricsByPackets ?? null,
      metricsByRows: scored?.metrics ?? null,
      rating: scored?.rating ?? null,
    });
  }
  const data = buildReportData({
    title: `scanlab report: ${scenario}`,
    runDir: root,
    status: capture?.status,
    dropped: capture?.libpcap?.dropped,
    decoded,
    labels,
    sets,
    detection,
    alerts: readLiveRecord(join(root, LIVE_FILE))?.alerts,
    notes: [...notes, ...(analysis?.warnings ?? [])],
  });
  const out = join(root, 'report.html');
  writeFileSync(out, renderReportHtml(data));
  return out;
}

function scenarioName(root: string): string {
  try {
    const doc = parse(readFileSync(join(root, 'scenario.yaml'), 'utf8')) as { name?: string };
    if (doc?.name) return doc.name;
  } catch {
    /* the directory name then */
  }
  return basename(root);
}
