// Detection on one capture: every chosen detector decides without labels, then (when there are
// labels) its decisions are scored on the judged packets, those after the training part, the same
// packets for every detector so their base rates and scores compare.
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import { judgedPackets, type Detection, type DetectorKind, type TrainingPart } from '../detect/detector.ts';
import { DEFAULT_DETECTORS, DETECTORS, detectorNamed } from '../detect/registry.ts';
import type { DetectionMetrics } from '../score/detection-metrics.ts';
import { SCORING_COLUMNS, scoreDetectorRun, type GroundTruth, type HostOutcome } from '../score/detection-report.ts';
import { spills, useColumns } from '../capture/decode/column-spill.ts';
import { SpilledArrays } from '../util/spilled-arrays.ts';
import { UserError } from '../errors.ts';
import { describeTraining } from './training.ts';
import type { ExternalFailure, ExternalOutcome } from '../detect/external/run-external.ts';
import { packetScores } from '../detect/row-decisions.ts';
import { forgetAttempts } from '../detect/baselines.ts';
import { collectGarbageAfterPhase } from '../util/collect-garbage.ts';
import { usesTraining } from '../detect/external/spec.ts';

export interface DetectorResult {
  /** Always true: no detector here reads labels. */
  labelFree: true;
  kind: DetectorKind;
  description: string;
  /** What it learned from; null for a detector that does not learn. */
  training: ReturnType<typeof describeTraining> | null;
  /** How it decided, in a sentence (k, threshold, training rows). */
  rule: string;
  threshold: number | null;
  notes: string[];
  judgedPackets: number;
  flaggedPackets: number;
  /** Hosts it named, whatever the labels say. */
  flaggedHosts: string[];
  /** Scores against the labels; null without labels. */
  packets: DetectionMetrics | null;
  rows: DetectionMetrics | null;
  hosts: HostOutcome | null;
  timeToDetectMs: Record<string, number | null> | null;
  falseAlarmsPerHour: number | null;
  falseAlarms: number | null;
  /** Wall time, ms (an external detector's: its program's run). */
  ms: number;
  /** External detectors: CPU time of the program and what it waited for, ms (null if unknown). */
  cpuMs?: number | null;
  /** External detectors: why it failed on this capture (then nothing is scored), else null. */
  failed?: ExternalFailure | null;
}

export interface CaptureDetection {
  readonly results: Record<string, DetectorResult>;
  readonly detections: Map<string, Detection>;
  /** 1 per judged packet (after the training part). */
  readonly judged: Uint8Array;
}

export interface DetectOptions {
  readonly detectors?: readonly string[];
  readonly training: TrainingPart;
  readonly seed: number;
  readonly windowSeconds?: number;
  /** External detectors already run on this capture (src/detect/external/run-external.ts). */
  readonly external?: readonly ExternalOutcome[];
  /** Keep every detection in `detections` (default). When false each is scored and dropped, so
   *  memory holds one detector's per-packet scores at a time; `detections` is then empty. */
  readonly keepDetections?: boolean;
  /** Leave the columns the last phase did not read out of memory (column-spill.ts) instead of
   *  bringing every one back at the end: for a caller whose next phase names its own. */
  readonly leaveColumnsOut?: boolean;
}

export function resolveDetectorNames(names: readonly string[] | undefined, option = '--detectors'): string[] {
  if (!names || names.length === 0) return [...DEFAULT_DETECTORS];
  for (const name of names) {
    if (!detectorNamed(name)) throw new UserError(`${option}: unknown detector "${name}"`, `choose from: ${DETECTORS.map((d) => d.name).join(', ')}`);
  }
  return [...new Set(names)];
}

export function detectCapture(decoded: DecodedCapture, truth: GroundTruth | undefined, options: DetectOptions): CaptureDetection {
  let judged = judgedPackets(decoded, options.training);
  const results: Record<string, DetectorResult> = {};
  const detections = new Map<string, Detection>();
  let judgedCount = 0;
  for (let i = 0; i < judged.length; i++) judgedCount += judged[i];
  const builtIn = options.external && options.detectors?.length === 0 ? [] : resolveDetectorNames(options.detectors);
  const keep = options.keepDetections ?? true;
  // Each built-in detector runs when its turn comes (not all first), so without keepDetections
  // its per-packet arrays are garbage once scored.
  const runs = [
    ...builtIn.map((name) => () => {
      const detector = detectorNamed(name)!;
      collectGarbageAfterPhase(decoded.packets);
      const t0 = performance.now();
      useColumns(decoded, detector.columnsRead ?? 'all');
      const detection = detector.detect({ decoded, training: options.training, seed: options.seed, windowSeconds: options.windowSeconds });
      return { name, kind: detector.kind, description: detector.description, learns: detector.learns, detection, ms: performance.now() - t0, external: undefined };
    }),
    ...(options.external ?? []).map((o) => () => ({ name: o.spec.name, kind: 'external' as const, description: o.spec.description, learns: usesTraining(o.spec), detection: o.detection, ms: o.wallMs, external: o })),
  ];
  // No detector reads the labels, the steps or the judged mask: on a large capture they wait in a
  // scratch file while one runs (77 MB at 20M packets), and come back for its scoring.
  const hideTruth = (): (() => void) => {
    if (!spills(decoded.packets)) return () => {};
    const t = truth as { labels: Uint8Array; stepOf: Uint16Array } | undefined;
    const arrays: Record<string, Uint8Array | Uint16Array> = { judged };
    if (t) Object.assign(arrays, { labels: t.labels, stepOf: t.stepOf });
    const away = new SpilledArrays(arrays);
    judged = new Uint8Array(0);
    if (t) [t.labels, t.stepOf] = [new Uint8Array(0), new Uint16Array(0)];
    return () => {
      const back = away.restore() as Record<string, Uint8Array> & { stepOf?: Uint16Array };
      away.close();
      judged = back.judged;
      if (t) [t.labels, t.stepOf] = [back.labels!, back.stepOf!];
    };
  };
  // Each detector run and scored in a call of its own: a local of the loop would keep the last
  // detection's arrays alive while the next detector allocates (the collection before it included).
  const runAndScore = (run: (typeof runs)[number]): void => {
    const bringBack = hideTruth();
    let ran: ReturnType<typeof run>;
    try {
      ran = run();
      // Only what scoring reads beside the detection's per-packet arrays.
      useColumns(decoded, SCORING_COLUMNS);
    } finally {
      bringBack();
    }
    const { name, kind, description, learns, detection, ms, external } = ran;
    const extra = external ? { cpuMs: external.cpuMs, failed: external.failure } : {};
    if (!detection) {
      results[name] = { labelFree: true, kind, description, training: learns ? describeTraining(options.training) : null, rule: 'failed on this capture: nothing scored', threshold: null, notes: [], judgedPackets: judgedCount, flaggedPackets: 0, flaggedHosts: [], packets: null, rows: null, hosts: null, timeToDetectMs: null, falseAlarmsPerHour: null, falseAlarms: null, ms, ...extra };
      return;
    }
    if (keep) detections.set(name, detection);
    results[name] = { ...scoreDetection(decoded, detection, truth, judged, judgedCount), kind, description, training: learns ? describeTraining(options.training) : null, ms, ...extra };
  };
  for (const run of runs) runAndScore(run);
  // The baselines' shared connection attempts (tens of MB at millions of packets) are not needed after this.
  forgetAttempts(decoded);
  if (!options.leaveColumnsOut) useColumns(decoded, 'all');
  return { results, detections, judged };
}

/** What every detector's entry says of its decisions, scored against the labels when there are some. */
export function scoreDetection(decoded: DecodedCapture, detection: Detection, truth: GroundTruth | undefined, judged: Uint8Array, judgedCount: number) {
  const scored = truth ? scoreDetectorRun(decoded, detection, truth, judged) : null;
  let flaggedPackets = 0;
  for (let i = 0; i < decoded.packets; i++) if (judged[i] && detection.flagged[i]) flaggedPackets++;
  return {
    labelFree: true as const,
    rule: detection.rule,
    threshold: detection.threshold,
    notes: detection.notes,
    judgedPackets: judgedCount,
    flaggedPackets,
    flaggedHosts: [...detection.hosts].map((id) => decoded.addresses.text(id)).sort(),
    packets: scored?.packets ?? null,
    rows: scored?.rows ?? null,
    hosts: scored?.hosts ?? null,
    timeToDetectMs: scored?.timeToDetectMs ?? null,
    falseAlarmsPerHour: scored?.falseAlarmsPerHour ?? null,
    falseAlarms: scored?.falseAlarms ?? null,
  };
}

/** `<detector>.csv` for --emit-scores: no,score,flagged for every judged packet (no is 1-based). */
export function scoresCsv(detection: Detection, judged: Uint8Array): string {
  const lines = ['no,score,flagged'];
  const scores = packetScores(detection);
  for (let i = 0; i < judged.length; i++) {
    if (!judged[i]) continue;
    lines.push(`${i + 1},${formatScore(scores[i])},${detection.flagged[i]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Scores round-trip exactly (shortest representation), infinities spelled as pandas reads them. */
function formatScore(v: number): string {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return Number.isNaN(v) ? 'nan' : String(v);
}
