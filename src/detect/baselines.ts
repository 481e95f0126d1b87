// The baseline detectors, by name: thresholds a reviewer would ask for, that neither cluster nor
// learn. Each maps a decoded capture to a score and decision per packet; they share one pass of
// connection attempts (built once per capture and kept with it).
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import { ATTEMPT_COLUMNS, connectionAttempts, type ConnectionAttempts } from './connections.ts';
import type { BaselineDetection } from './baseline-detection.ts';
import type { Detection, Detector } from './detector.ts';
import { thresholdDetector } from './threshold.ts';
import { trwDetector } from './trw.ts';

interface Baseline {
  readonly name: string;
  readonly description: string;
  readonly rule: string;
  run(decoded: DecodedCapture, attempts: ConnectionAttempts): BaselineDetection;
}

const BASELINE_RULES: readonly Baseline[] = [
  {
    name: 'threshold',
    description: "Zeek scan policy: >= 15 ports of a host or >= 25 hosts on a port in failed attempts within 5 min",
    rule: "Zeek's scan policy thresholds (15 ports of a host, 25 hosts on a port, failed attempts, 5-minute epochs); score = the source's share of the nearer threshold",
    run: (d, a) => thresholdDetector(d, {}, a),
  },
  {
    name: 'trw',
    description: 'threshold random walk (Jung et al. 2004), θ0 0.8, θ1 0.2, α 0.01, β 0.99; first contact per service',
    rule: "threshold random walk with Jung et al.'s parameters (θ0 0.8, θ1 0.2, α 0.01, β 0.99), a first contact per service; score = peak log-likelihood ratio / log η1",
    run: (d, a) => trwDetector(d, {}, a),
  },
  {
    name: 'trw-host',
    description: "threshold random walk with Jung's unit: first contact per distinct host",
    rule: "threshold random walk with Jung et al.'s parameters and unit (a first contact per distinct host)",
    run: (d, a) => trwDetector(d, { unit: 'host' }, a),
  },
];

const attemptsOf = new WeakMap<DecodedCapture, ConnectionAttempts>();

function attemptsFor(decoded: DecodedCapture): ConnectionAttempts {
  let a = attemptsOf.get(decoded);
  if (!a) {
    a = connectionAttempts(decoded);
    attemptsOf.set(decoded, a);
  }
  return a;
}

/** Drops the capture's connection attempts once no baseline will run on it again (detectCapture's end). */
export function forgetAttempts(decoded: DecodedCapture): void {
  attemptsOf.delete(decoded);
}

export const BASELINES: readonly Detector[] = BASELINE_RULES.map((b) => ({
  name: b.name,
  kind: 'baseline' as const,
  description: b.description,
  learns: false,
  // The attempts' columns, and the ends and times of the packets each baseline scores.
  columnsRead: ATTEMPT_COLUMNS,
  detect: ({ decoded }): Detection => ({ ...b.run(decoded, attemptsFor(decoded)), rows: null, rule: b.rule, threshold: 1, notes: [] }),
}));

/** Baselines run when none are named. */
export const DEFAULT_BASELINES = ['threshold', 'trw'] as const;
