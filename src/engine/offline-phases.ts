// The phases that work on the run directory alone, after the lab is gone: anonymize, analyze,
// report. Each is a pure function of files on disk, so it can also run by itself later.

import type { Scenario } from '../scenario/normalize.ts';
import type { EventBus, Phase, RunSummary } from './events.ts';
import type { RunPaths } from './run-dir.ts';

type PhaseRunner = <T>(name: Phase, work: () => Promise<T>, detail?: string) => Promise<T>;

export async function offlinePhases(_paths: RunPaths, _scenario: Scenario, _bus: EventBus, _phase: PhaseRunner, _skip: Phase[]): Promise<Partial<RunSummary>> {
  return {};
}
