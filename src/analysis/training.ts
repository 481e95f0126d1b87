// Which part of the traffic the learning detectors may train on, from what the user said or what
// the run recorded: --train CAPTURE (a separate benign capture), --train-until SECONDS (the first
// seconds of the judged capture are attack-free), else a run's warm-up (capture.json's
// attackFreeUntil, or a dataset's manifest attackFreeUntilSeconds), else none.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCapture, type DecodedCapture } from '../capture/decode/decode-capture.ts';
import { NO_TRAINING, type TrainingPart } from '../detect/detector.ts';
import { UserError } from '../errors.ts';

export interface TrainingChoice {
  /** --train-until: seconds since the capture's first packet. */
  readonly trainUntil?: number;
  /** --train: a benign capture. */
  readonly trainCapture?: string;
  /** The run or dataset directory the capture came from, for its recorded warm-up. */
  readonly runDir?: string;
}

export function resolveTraining(choice: TrainingChoice, decoded: DecodedCapture, capturePath: string): TrainingPart {
  if (choice.trainCapture) {
    const capture = decodeCapture(choice.trainCapture);
    if (capture.packets === 0) throw new UserError(`--train: ${choice.trainCapture} holds no packets`, 'give a capture of attack-free traffic to train on');
    return { source: 'train-capture', untilSeconds: null, capture, capturePath: choice.trainCapture };
  }
  const last = decoded.packets > 0 ? decoded.columns.time[decoded.packets - 1] : 0;
  if (choice.trainUntil !== undefined) {
    if (choice.trainUntil >= last) {
      throw new UserError(`--train-until ${choice.trainUntil} is not before the last packet of ${capturePath} (at ${last.toFixed(3)} s): nothing would be left to judge`, 'give the length of the attack-free start of the capture, in seconds since its first packet');
    }
    return { source: 'train-until', untilSeconds: choice.trainUntil, capture: null, capturePath: null };
  }
  const recorded = choice.runDir ? recordedWarmup(choice.runDir, decoded) : null;
  if (recorded !== null && recorded > 0 && recorded < last) return { source: 'warm-up', untilSeconds: recorded, capture: null, capturePath: null };
  return NO_TRAINING;
}

/** Seconds since the first packet at which the run's warm-up ended, as it recorded it. */
function recordedWarmup(dir: string, decoded: DecodedCapture): number | null {
  const captureJson = readJson(join(dir, 'capture.json'));
  const start = decoded.start.sec + decoded.start.nsec / 1e9;
  const absolute = (iso: unknown) => (typeof iso === 'string' && !Number.isNaN(Date.parse(iso)) ? Date.parse(iso) / 1000 - start : null);
  if (captureJson) {
    const until = absolute(captureJson.attackFreeUntil);
    if (until !== null) return until;
    // Runs made before attackFreeUntil was recorded: the first attack step's start.
    const steps = captureJson.steps;
    if (Array.isArray(steps) && steps.length > 0) return absolute((steps[0] as { startedAt?: unknown }).startedAt);
  }
  const manifest = readJson(join(dir, 'manifest.json'));
  if (manifest && typeof manifest.attackFreeUntilSeconds === 'number') return manifest.attackFreeUntilSeconds;
  return null;
}

function readJson(path: string): Record<string, unknown> | null {
  if (!existsSync(path)) return null;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** How the training part reads in a table and in JSON. */
export function describeTraining(t: TrainingPart): { source: TrainingPart['source']; untilSeconds: number | null; capture: string | null } {
  return { source: t.source, untilSeconds: t.untilSeconds === null ? null : Math.round(t.untilSeconds * 1e6) / 1e6, capture: t.capturePath };
}
