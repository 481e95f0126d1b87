// The feature sets scanlab knows, by name, in the order analysis runs them.
import type { FeatureSet } from './feature-set.ts';
import { sdsWindow } from './sds-window.ts';
import { kaggleFlow } from './kaggle-flow.ts';
import { hostWindow } from './host-window.ts';

export const FEATURE_SETS: readonly FeatureSet[] = [sdsWindow, kaggleFlow, hostWindow];

export function featureSetNamed(name: string): FeatureSet | undefined {
  return FEATURE_SETS.find((f) => f.name === name);
}
