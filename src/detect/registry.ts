// Every detector scanlab has, by name, in the order tables list them: each feature set as a
// novelty detector, seed 000's own rule, then the baselines.
import { FEATURE_SETS } from '../features/registry.ts';
import { BASELINES, DEFAULT_BASELINES } from './baselines.ts';
import type { Detector } from './detector.ts';
import { kaggleRating } from './kaggle-rating.ts';
import { noveltyDetector } from './novelty.ts';

export const DETECTORS: readonly Detector[] = [...FEATURE_SETS.map(noveltyDetector), kaggleRating, ...BASELINES];

/** Detectors run when none are named: all but the variants kept for comparison (trw-host). */
export const DEFAULT_DETECTORS: readonly string[] = [...FEATURE_SETS.map((f) => f.name), kaggleRating.name, ...DEFAULT_BASELINES];

export function detectorNamed(name: string): Detector | undefined {
  return DETECTORS.find((d) => d.name === name);
}
