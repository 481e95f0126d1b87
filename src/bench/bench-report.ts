// The shape of bench.json: what ran, on what, and the leaderboard with every run's scores.
import type { BenchCell, BenchScenario, OverallCell, SeparationCell } from './aggregate.ts';
import type { DetectorKind } from './detectors.ts';
import type { RunEvaluation } from './evaluate-run.ts';

export interface BenchReport {
  readonly tool: 'scanlab bench';
  readonly version: 2;
  /** The command line that made it. */
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** scanlab's git commit (uncommitted changes not included), null outside a checkout. */
  readonly revision: string | null;
  readonly seed: number;
  /** Lab runs per scenario; null when only existing captures (--runs) were scored. */
  readonly repeat: number | null;
  readonly host: { readonly node: string; readonly platform: string; readonly cpus: number; readonly cpu: string };
  /** Detection, keyed by detector name: what it is, and its overall row. */
  readonly detectors: Record<string, { readonly kind: DetectorKind; readonly labelFree: true; readonly description: string; readonly overall: OverallCell | null; readonly command?: string; readonly format?: string }>;
  readonly scenarios: BenchScenario[];
  /** Detection per scenario x detector. */
  readonly cells: BenchCell[];
  /** Separation per scenario x feature set. */
  readonly separation: SeparationCell[];
  readonly runs: RunEvaluation[];
  /** Runs that could not be scored, with why. */
  readonly failures: { readonly source: string; readonly message: string }[];
  /** True when the bench was stopped before every run was done. */
  readonly interrupted: boolean;
}
