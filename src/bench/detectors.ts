// What a bench compares: detectors (label-free decisions, scored as detection) and feature sets
// (clusterings scored as separation). `--detectors` and `--features` pick them by name;
// external detectors (programs: built-in ones such as p0f, a detectors file, --detector) come as
// specs and run on every capture beside the built-in ones.
import { UserError } from '../errors.ts';
import { FEATURE_SETS } from '../features/registry.ts';
import { DETECTORS } from '../detect/registry.ts';
import { resolveDetectorNames } from '../analysis/detect-capture.ts';
import { BUILTIN_EXTERNAL, type ExternalDetectorSpec } from '../detect/external/spec.ts';

export type { DetectorKind } from '../detect/detector.ts';

export interface DetectorChoice {
  readonly detectors: readonly string[];
  readonly featureSets: readonly string[];
  /** External detectors, run on every capture. */
  readonly external: readonly ExternalDetectorSpec[];
}

export function allDetectorNames(): string[] {
  return [...DETECTORS.map((d) => d.name), ...BUILTIN_EXTERNAL.map((b) => b.name)];
}

/** Names as given (or the defaults: the default detectors and every feature set), checked once;
 *  with external detectors and an empty list of names, only the external ones. */
export function chooseDetectors(detectors: readonly string[] | undefined, featureSets?: readonly string[], external: readonly ExternalDetectorSpec[] = []): DetectorChoice {
  for (const name of featureSets ?? []) {
    if (!FEATURE_SETS.some((f) => f.name === name)) throw new UserError(`--features: unknown feature set "${name}"`, `choose from: ${FEATURE_SETS.map((f) => f.name).join(', ')} (detectors are chosen with --detectors)`);
  }
  return {
    detectors: external.length > 0 && detectors?.length === 0 ? [] : resolveDetectorNames(detectors),
    featureSets: featureSets && featureSets.length > 0 ? [...new Set(featureSets)] : FEATURE_SETS.map((f) => f.name),
    external,
  };
}
