// Scores one labelled capture: decode once; detection (every chosen detector decides without
// labels, then is scored on the packets after the training part, as scanlab analyze does); and
// separation (each feature set's clustering of every row, scored against the labels). Pure apart
// from reading the files, and, with external detectors, running their programs first
// (evaluateRunWithExternal).
import { decodeCapture } from '../capture/decode/decode-capture.ts';
import { readLabelsCsv } from '../analysis/labels.ts';
import { analyzeFeatureSet } from '../analysis/analyze-capture.ts';
import { detectCapture, type DetectorResult } from '../analysis/detect-capture.ts';
import { liveResultsOfRun } from '../detect/online/live-results.ts';
import { describeTraining, resolveTraining } from '../analysis/training.ts';
import { featureSetNamed } from '../features/registry.ts';
import { BugError, UserError } from '../errors.ts';
import type { RunInput } from './run-input.ts';
import type { DetectorChoice } from './detectors.ts';
import { runExternalDetectors, type ExternalOutcome } from '../detect/external/run-external.ts';
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import type { TrainingPart } from '../detect/detector.ts';

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

/** A run scored by the built-in detectors only (see evaluateRunWithExternal for the others). */
export function evaluateRun(input: RunInput, choice: DetectorChoice, seed: number): RunEvaluation {
  if (choice.external.length > 0) throw new BugError('evaluateRun was handed external detectors: use evaluateRunWithExternal');
  return scoreRun(readRun(input), choice, seed, []);
}

/** A run scored by every detector: the external programs run on it first, one after the other. */
export async function evaluateRunWithExternal(input: RunInput, choice: DetectorChoice, seed: number, signal?: AbortSignal): Promise<RunEvaluation> {
  const run = readRun(input);
  const outcomes = await runExternalDetectors(choice.external, { decoded: run.decoded, pcapPath: input.pcap, training: run.training, signal });
  return scoreRun(run, choice, seed, outcomes);
}

interface ReadRun {
  input: RunInput;
  decoded: DecodedCapture;
  truth: ReturnType<typeof readLabelsCsv>;
  decodeMs: number;
  training: TrainingPart;
}

function readRun(input: RunInput): ReadRun {
  const t0 = performance.now();
  const decoded = decodeCapture(input.pcap);
  if (decoded.packets === 0) throw new UserError(`${input.pcap} holds no packets`, 'bench needs captures with traffic in them');
  const truth = readLabelsCsv(input.labels, decoded.packets);
  const decodeMs = performance.now() - t0;
  const training = resolveTraining({ runDir: input.dir }, decoded, input.pcap);
  return { input, decoded, truth, decodeMs, training };
}

function scoreRun({ input, decoded, truth, decodeMs, training }: ReadRun, choice: DetectorChoice, seed: number, external: readonly ExternalOutcome[]): RunEvaluation {
  let scanPackets = 0;
  for (let i = 0; i < truth.labels.length; i++) scanPackets += truth.labels[i];
  const detection = detectCapture(decoded, truth, { detectors: choice.detectors, training, seed, external });
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
    // A run's online detectors (live.json, recorded as it ran) are ranked beside the offline ones.
    detectors: { ...detection.results, ...liveResultsOfRun(input.dir, decoded, truth, detection.judged, training, seed) },
    separation,
    warnings: [...decoded.warnings, ...truth.warnings, ...external.flatMap((o) => (o.failure ? [`detector ${o.spec.name} failed: ${o.failure.reason}${o.failure.stderrTail ? ` (stderr ends: ${o.failure.stderrTail.split('\n').slice(-3).join(' | ')})` : ''}`] : []))],
  };
}
