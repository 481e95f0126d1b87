// What a bench compares: detectors (label-free decisions, scored as detection) and feature sets
// (clusterings scored as separation). `--detectors` and `--features` pick them by name.
import { UserError } from '../errors.ts';
import { FEATURE_SETS } from '../features/registry.ts';
import { DETECTORS } from '../detect/registry.ts';
import { resolveDetectorNames } from '../analysis/detect-capture.ts';

export type { DetectorKind } from '../detect/detector.ts';

export interface DetectorChoice {
  readonly detectors: readonly string[];
  readonly featureSets: readonly string[];
}

export function allDetectorNames(): string[] {
  return DETECTORS.map((d) => d.name);
}

/** Names as given (or the defaults: the default detectors and every feature set), checked once. */
export function chooseDetectors(detectors: readonly string[] | undefined, featureSets?: readonly string[]): DetectorChoice {
  for (const name of featureSets ?? []) {
    if (!FEATURE_SETS.some((f) => f.name === name)) throw new UserError(`--features: unknown feature set "${name}"`, `choose from: ${FEATURE_SETS.map((f) => f.name).join(', ')} (detectors are chosen with --detectors)`);
  }
  return {
    detectors: resolveDetectorNames(detectors),
    featureSets: featureSets && featureSets.length > 0 ? [...new Set(featureSets)] : FEATURE_SETS.map((f) => f.name),
  };
}
