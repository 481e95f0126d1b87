// The report's detection part: every detector's scores (from analysis.json, or from a fresh
// detection when the run has none), and the per-packet decisions of the one detector the timeline
// shows. Per-packet decisions are not in analysis.json, so from files alone that one detector is
// run again on the training part analysis.json records, with its seed (detectors are
// deterministic for a seed, so these are the decisions the analysis scored).
// The timeline shows the detector with the best packet F1: a choice for display only, said so on
// the page; every detector is label-free, and the table ranks none.

import { existsSync } from 'node:fs';
import { decodeCapture, type DecodedCapture } from '../capture/decode/decode-capture.ts';
import type { AnalysisResult } from '../analysis/analysis-result.ts';
import type { AnalysisRows } from '../analysis/analyze-capture.ts';
import { detectCapture, type DetectorResult } from '../analysis/detect-capture.ts';
import { trainingText } from '../analysis/format-table.ts';
import { describeTraining, resolveTraining } from '../analysis/training.ts';
import type { PacketLabels } from '../analysis/labels.ts';
import { judgedPackets, NO_TRAINING, type TrainingPart } from '../detect/detector.ts';
import { detectorNamed } from '../detect/registry.ts';

export interface ReportDetection {
  /** What the learning detectors trained on, in words. */
  readonly training: string;
  readonly detectors: Record<string, DetectorResult>;
  /** The detector whose decisions the timeline shows, why it was chosen, and its decisions. */
  readonly shown: { name: string; why: string; flagged: Uint8Array; judged: Uint8Array } | null;
  readonly notes: string[];
}

export interface DetectionSources {
  readonly root: string;
  readonly pcap: string;
  readonly decoded: DecodedCapture;
  readonly analysis?: AnalysisResult;
  readonly fromAnalysis?: AnalysisRows;
  /** labels.csv read in full (steps too), for a fresh detection; undefined without labels. */
  readonly truth?: () => PacketLabels | undefined;
  readonly seed: number;
}

export function reportDetection(src: DetectionSources): ReportDetection {
  const notes: string[] = [];
  if (src.analysis?.detectors) {
    const { detectors, training } = src.analysis;
    const name = shownDetector(detectors);
    if (!name) return { training: trainingText(training), detectors, shown: null, notes };
    const kept = src.fromAnalysis?.detections.get(name);
    if (kept) return { training: trainingText(training), detectors, shown: { name, why: why(detectors, name), flagged: kept.flagged, judged: src.fromAnalysis!.judged }, notes };
    const part = recordedTraining(training, notes);
    const detector = detectorNamed(name);
    if (!part || !detector) {
      if (!detector) notes.push(`detector ${name} in analysis.json is unknown to this version: its decisions are not on the timeline`);
      return { training: trainingText(training), detectors, shown: null, notes };
    }
    const detection = detector.detect({ decoded: src.decoded, training: part, seed: src.seed });
    return { training: trainingText(training), detectors, shown: { name, why: why(detectors, name), flagged: detection.flagged, judged: judgedPackets(src.decoded, part) }, notes };
  }
  // No analysis.json: detect here, on the warm-up the run recorded.
  const part = resolveTraining({ runDir: src.root }, src.decoded, src.pcap);
  const fresh = detectCapture(src.decoded, src.truth?.(), { training: part, seed: src.seed });
  const name = shownDetector(fresh.results);
  const shown = name ? { name, why: why(fresh.results, name), flagged: fresh.detections.get(name)!.flagged, judged: fresh.judged } : null;
  return { training: trainingText(describeTraining(part)), detectors: fresh.results, shown, notes };
}

/** The detector with the best packet F1 (the first one listed without labels). Online detectors'
 *  alerts are drawn on the timeline apart, so their per-packet decisions are not picked here. */
export function shownDetector(detectors: Record<string, DetectorResult>): string | undefined {
  let best: string | undefined;
  for (const [name, d] of Object.entries(detectors)) {
    if ((d as { online?: boolean }).online) continue;
    if (best === undefined) best = name;
    else if (d.packets && detectors[best].packets && d.packets.f1 > detectors[best].packets!.f1) best = name;
  }
  return best;
}

function why(detectors: Record<string, DetectorResult>, name: string): string {
  const f1 = detectors[name].packets?.f1;
  return f1 === undefined
    ? `decisions of ${name}, the first detector listed (there are no labels to score them by)`
    : `decisions of ${name}, the detector with the best packet F1 (${f1.toFixed(3)}); chosen for this plot only, the table ranks no detector`;
}

/** The training part analysis.json records, to run a detector again on it. */
function recordedTraining(t: AnalysisResult['training'], notes: string[]): TrainingPart | null {
  if (t.source === 'none') return NO_TRAINING;
  if (t.source === 'train-capture') {
    if (!t.capture || !existsSync(t.capture)) {
      notes.push(`the training capture ${t.capture ?? '(unnamed)'} is gone: the detector's decisions are not on the timeline`);
      return null;
    }
    return { source: 'train-capture', untilSeconds: null, capture: decodeCapture(t.capture), capturePath: t.capture };
  }
  return { source: t.source, untilSeconds: t.untilSeconds, capture: null, capturePath: null };
}
