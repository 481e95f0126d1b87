// Scores one labelled capture with every chosen detector: decode once, then each feature set
// (features, k-means, per-packet metrics, as scanlab analyze does) and each baseline (per-packet
// prediction scored as a two-cluster clustering). Pure apart from reading the files.
import { decodeCapture } from '../capture/decode/decode-capture.ts';
import { readLabelsCsv } from '../analysis/labels.ts';
import { analyzeFeatureSet } from '../analysis/analyze-capture.ts';
import type { FeatureSetResult } from '../analysis/analysis-result.ts';
import { featureSetNamed } from '../features/registry.ts';
import { baselineNamed, connectionAttempts } from '../detect/baselines.ts';
import { scoreDetection } from '../detect/score-detection.ts';
import type { Metrics } from '../score/metrics.ts';
import { BugError, UserError } from '../errors.ts';
import type { RunInput } from './run-input.ts';
import type { DetectorChoice, DetectorKind } from './detectors.ts';

export type { RunInput } from './run-input.ts';

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
