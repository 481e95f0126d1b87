// The detectors a bench compares: every feature set (k-means clustering) and the baselines that do
// not cluster. `--features` picks any of them by name.
import { UserError } from '../errors.ts';
import { FEATURE_SETS } from '../features/registry.ts';
import { BASELINES, DEFAULT_BASELINES } from '../detect/baselines.ts';

export type DetectorKind = 'feature-set' | 'baseline';

export interface DetectorChoice {
  readonly featureSets: readonly string[];
  readonly baselines: readonly string[];
}

export function allDetectorNames(): string[] {
  return [...FEATURE_SETS.map((f) => f.name), ...BASELINES.map((b) => b.name)];
}

/** Names as given (or the defaults: every feature set and the two baselines), checked once. */
export function chooseDetectors(names: readonly string[] | undefined): DetectorChoice {
  if (!names || names.length === 0) return { featureSets: FEATURE_SETS.map((f) => f.name), baselines: [...DEFAULT_BASELINES] };
  const featureSets: string[] = [];
  const baselines: string[] = [];
  for (const name of names) {
    if (FEATURE_SETS.some((f) => f.name === name)) featureSets.push(name);
    else if (BASELINES.some((b) => b.name === name)) baselines.push(name);
    else throw new UserError(`--features: unknown feature set or detector "${name}"`, `choose from: ${allDetectorNames().join(', ')}`);
  }
  return { featureSets: [...new Set(featureSets)], baselines: [...new Set(baselines)] };
}
