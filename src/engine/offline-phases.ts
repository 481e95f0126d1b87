// The phases that work on the run directory alone, after the lab is gone: anonymize, analyze,
// report. Each is a function of files on disk, so each can also run by itself later
// (scanlab anonymize / analyze on the same directory).

import { writeFileAtomic } from '../util/atomic-output.ts';
import type { Scenario } from '../scenario/normalize.ts';
import type { EventBus, Phase, RunScores, RunSummary } from './events.ts';
import type { AnalysisResult } from '../analysis/analysis-result.ts';
import type { RunPaths } from './run-dir.ts';
import { analyzeCaptureKeepingRows, type AnalysisRows } from '../analysis/analyze-capture.ts';
import { exportDataset } from '../dataset/export-dataset.ts';
import { writeReport } from '../report/write-report.ts';

export type PhaseRunner = <T>(name: Phase, work: () => Promise<T>, detail?: string) => Promise<T>;

export async function offlinePhases(paths: RunPaths, scenario: Scenario, bus: EventBus, phase: PhaseRunner, skip: Phase[]): Promise<Partial<RunSummary>> {
  const extras: { scores?: RunSummary['scores']; dataset?: string; report?: string } = {};
  if (!skip.includes('anonymize')) {
    // Writes dataset/ through a temporary folder and refuses to publish one that leaks.
    const exported = await phase('anonymize', () =>
      exportDataset({
        runDir: paths.root, mode: scenario.anonymize.mode, seed: scenario.seed, keepPayload: scenario.anonymize.keepPayload,
        fakeV4Range: scenario.anonymize.fakeV4, fakeV6Range: scenario.anonymize.fakeV6,
      }),
    );
    extras.dataset = exported.datasetDir;
  }
  let rows: AnalysisRows | undefined;
  if (!skip.includes('analyze')) {
    // The learning detectors train on the run's warm-up, which capture.json records.
    const analyzed = await phase('analyze', async () =>
      analyzeCaptureKeepingRows({ pcapPath: paths.capture, labelsPath: paths.labels, seed: scenario.seed, training: { runDir: paths.root } }),
    );
    const analysis = analyzed.result;
    rows = analyzed.rows;
    writeFileAtomic(paths.analysis, `${JSON.stringify(analysis, null, 2)}\n`);
    for (const warning of analysis.warnings) bus.emit({ type: 'warning', message: `analysis: ${warning}` });
    if (analysis.scanPackets !== null) extras.scores = runScores(analysis);
  }
  // The report reuses the analysis' rows and clusters instead of decoding and clustering again.
  if (!skip.includes('report')) extras.report = await phase('report', () => writeReport(paths.root, rows));
  return extras;
}

/** The summary's scores: detection per detector, separation per feature set, kept apart. */
export function runScores(analysis: AnalysisResult): RunScores {
  const detection: Record<string, RunScores['detection'][string]> = {};
  for (const [name, d] of Object.entries(analysis.detectors ?? {})) {
    if (d.packets) detection[name] = { f1: d.packets.f1, precision: d.packets.precision, recall: d.packets.recall, rocAuc: d.packets.rocAuc, baseRate: d.packets.baseRate };
  }
  const separation: Record<string, RunScores['separation'][string]> = {};
  for (const [name, set] of Object.entries(analysis.featureSets)) {
    if (set.metricsByPackets) separation[name] = { ari: set.metricsByPackets.ari, majorityF1: set.metricsByPackets.scanF1 };
  }
  return { detection, separation };
}
