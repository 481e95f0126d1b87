// The scenario list's data: scenario files found in directories or given as paths, each loaded
// once into what the picker shows. A file that does not load is listed with its error.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../scenario/load.ts';
import { plannedDurationMs } from '../engine/run.ts';
import type { Scenario } from '../scenario/normalize.ts';
import { trafficTargets } from '../scenario/schema.ts';

export interface ScenarioEntry {
  readonly path: string;
  readonly name: string;
  readonly description: string;
  readonly hosts: readonly { name: string; role: string; address: string; services: readonly string[] }[];
  readonly traffic: readonly { kind: string; from: string; to: string }[];
  readonly steps: readonly { name: string; from: string; targets: readonly string[]; nmap: string }[];
  readonly plannedMs: number;
  readonly scenario?: Scenario;
  /** Why the file did not load (then the other fields are placeholders). */
  readonly error?: string;
}

/** scanlab's own scenarios/ folder, beside src/. */
export const BUNDLED_SCENARIOS = resolve(fileURLToPath(new URL('../../scenarios', import.meta.url)));

/**
 * Where the picker looks: SCANLAB_SCENARIOS (paths of files or folders, separated by ':') when
 * set, else ./scenarios when it exists, else scanlab's own scenarios/.
 */
export function scenarioSources(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const fromEnv = env.SCANLAB_SCENARIOS?.split(':').filter(Boolean);
  if (fromEnv && fromEnv.length > 0) return fromEnv.map((p) => resolve(cwd, p));
  const local = resolve(cwd, 'scenarios');
  return [existsSync(local) ? local : BUNDLED_SCENARIOS];
}

export function findScenarioFiles(sources: readonly string[]): string[] {
  const files: string[] = [];
  for (const source of sources) {
    let isDir = false;
    try {
      isDir = statSync(source).isDirectory();
    } catch {
      continue;
    }
    if (!isDir) files.push(source);
    else for (const f of readdirSync(source).sort()) if (/\.ya?ml$/i.test(f)) files.push(join(source, f));
  }
  return [...new Set(files)];
}

export function loadScenarioEntry(path: string): ScenarioEntry {
  try {
    const s = loadScenario(path);
    return {
      path,
      name: s.name,
      description: (s.description ?? '').trim(),
      hosts: s.hosts.map((h) => ({ name: h.name, role: h.role, address: h.address, services: h.services })),
      traffic: s.traffic.map((t) => ({ kind: t.kind, from: t.from, to: trafficTargets(t).join(',') })),
      steps: s.attacks.map((a) => ({ name: a.name, from: a.from, targets: a.targets, nmap: a.nmap })),
      plannedMs: plannedDurationMs(s),
      scenario: s,
    };
  } catch (error) {
    return { path, name: basename(path).replace(/\.ya?ml$/i, ''), description: '', hosts: [], traffic: [], steps: [], plannedMs: 0, error: (error as Error).message };
  }
}

export function listScenarios(sources = scenarioSources()): ScenarioEntry[] {
  return findScenarioFiles(sources).map(loadScenarioEntry);
}
