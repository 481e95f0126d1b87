// Scores one labelled capture: decode once; detection (every chosen detector decides without
// labels, then is scored on the packets after the training part, as scanlab analyze does); and
// separation (each feature set's clustering of every row, scored against the labels). Pure apart
// from reading the files.
import { decodeCapture } from '../capture/decode/decode-capture.ts';
import { readLabelsCsv } from '../analysis/labels.ts';
import { analyzeFeatureSet } from '../analysis/analyze-capture.ts';
import { detectCapture, type DetectorResult } from '../analysis/detect-capture.ts';
import { describeTraining, resolveTraining } from '../analysis/training.ts';
import { featureSetNamed } from '../features/registry.ts';
import { BugError, UserError } from '../errors.ts';
import type { RunInput } from './run-input.ts';
import type { DetectorChoice } from './detectors.ts';

export type { RunInput } from './run-input.ts';

/** A feature set's clustering judged with the labels naming the scan clusters: separation. */
export interface SeparationScore {
  readonly ari: number;
  readonly nmi: number;
  readonly vMeasure: number;
  readonly purity: number;
  /** Scan F1 of the clusters most of whose packets are scan (the labels pick them). */
  readonly majorityF1: number;
  readonly ms: number;
}

export interface RunEvaluation {
  readonly source: string;
  readonly scenario: string;
  readonly packets: number;
  readonly scanPackets: number;
  /** Packets after the training part: what detection is scored on. */
  readonly judgedPackets: number;
  readonly judgedScanPackets: number;
  readonly training: ReturnType<typeof describeTraining>;
  readonly runMs: number | null;
  readonly status: string | null;
  readonly decodeMs: number;
  /** Detection, per detector. */
  readonly detectors: Record<string, DetectorResult>;
  /** Separation, per feature set. */
  readonly separation: Record<string, SeparationScore>;
  readonly warnings: string[];
}

export function evaluateRun(input: RunInput, choice: DetectorChoice, seed: number): RunEvaluation {
  const t0 = performance.now();
  const decoded = decodeCapture(input.pcap);
  if (decoded.packets === 0) throw new UserError(`${input.pcap} holds no packets`, 'bench needs captures with traffic in them');
  const truth = readLabelsCsv(input.labels, decoded.packets);
  const decodeMs = performance.now() - t0;
  let scanPackets = 0;
  for (let i = 0; i < truth.labels.length; i++) scanPackets += truth.labels[i];
  const training = resolveTraining({ runDir: input.dir }, decoded, input.pcap);
  const detection = detectCapture(decoded, truth, { detectors: choice.detectors, training, seed });
  let judgedPackets = 0;
  let judgedScanPackets = 0;
  for (let i = 0; i < decoded.packets; i++) {
    judgedPackets += detection.judged[i];
    judgedScanPackets += detection.judged[i] & truth.labels[i];
  }
  const separation: Record<string, SeparationScore> = {};
  for (const name of choice.featureSets) {
    const set = featureSetNamed(name);
    if (!set) throw new BugError(`feature set ${name} passed validation but is unknown`);
    const { result } = analyzeFeatureSet(set, decoded, truth.labels, {}, seed);
    const m = result.metricsByPackets;
    if (!m) throw new BugError(`feature set ${name} was scored without labels`);
    separation[name] = { ari: m.ari, nmi: m.nmi, vMeasure: m.vMeasure, purity: m.purity, majorityF1: m.scanF1, ms: result.timings.featuresMs + result.timings.kmeansMs + result.timings.scoreMs };
  }
  return {
    source: input.source,
    scenario: input.scenario,
    packets: decoded.packets,
    scanPackets,
    judgedPackets,
    judgedScanPackets,
    training: describeTraining(training),
    runMs: input.runMs,
    status: input.status,
    decodeMs,
    detectors: detection.results,
    separation,
    warnings: [...decoded.warnings, ...truth.warnings],
  };
}
