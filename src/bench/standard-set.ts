// The standard set: scenarios/ files that each finish in minutes, benchmarked when no scenario is
// named. Names not (yet) in scenarios/ are left out, so the set grows as scenarios are written.
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.ts';

export const STANDARD_SCENARIOS = ['quick', 'benign-only', 'syn', 'connect', 'udp', 'ping-sweep'] as const;

export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export interface ScenarioRef {
  readonly name: string;
  readonly path: string;
}

export function standardSet(dir = SCENARIOS_DIR): ScenarioRef[] {
  return STANDARD_SCENARIOS.map((name) => ({ name, path: join(dir, `${name}.yaml`) })).filter((s) => existsSync(s.path));
}

/** A scenario argument: a path to a YAML file, or the name of one in scenarios/. */
export function resolveScenario(arg: string, dir = SCENARIOS_DIR): ScenarioRef {
  const candidates = [arg, join(dir, arg), join(dir, `${arg}.yaml`)];
  const found = candidates.find((c) => existsSync(c) && /\.ya?ml$/i.test(c));
  if (!found) {
    throw new UserError(`scenario "${arg}" not found (looked for ${candidates.filter((c) => /\.ya?ml$/i.test(c)).join(', ')})`, `give a scenario file, or a name in ${dir}: ${standardSet(dir).map((s) => s.name).join(', ') || '(none yet)'}`);
  }
  return { name: basename(found).replace(/\.ya?ml$/i, ''), path: resolve(found) };
}
