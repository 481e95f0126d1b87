// The baseline detectors bench scores beside the feature sets, by name. Each maps a decoded
// capture to a per-packet prediction (1 = scan); they share one pass of connection attempts.
import { connectionAttempts, type ConnectionAttempts, type DecodedPackets } from './connections.ts';
import { thresholdDetector } from './threshold.ts';
import { trwDetector } from './trw.ts';

export interface Baseline {
  readonly name: string;
  readonly description: string;
  detect(decoded: DecodedPackets, attempts: ConnectionAttempts): Uint8Array;
}

export const BASELINES: readonly Baseline[] = [
  {
    name: 'threshold',
    description: "Zeek scan policy: >= 15 ports of a host or >= 25 hosts on a port in failed attempts within 5 min",
    detect: (d, a) => thresholdDetector(d, {}, a),
  },
  {
    name: 'trw',
    description: 'threshold random walk (Jung et al. 2004), θ0 0.8, θ1 0.2, α 0.01, β 0.99; first contact per service',
    detect: (d, a) => trwDetector(d, {}, a),
  },
  {
    name: 'trw-host',
    description: "threshold random walk with Jung's unit: first contact per distinct host",
    detect: (d, a) => trwDetector(d, { unit: 'host' }, a),
  },
];

/** Baselines run when none are named. */
export const DEFAULT_BASELINES = ['threshold', 'trw'] as const;

export function baselineNamed(name: string): Baseline | undefined {
  return BASELINES.find((b) => b.name === name);
}

export { connectionAttempts };
