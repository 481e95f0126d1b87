// The bench's scenario sets, benchmarked when no scenario is named. `standard` (the default) is
// the scenarios/ files that each finish in a minute or two, chosen so that detectors differ:
// loud scans, stealth flags, fragments and decoys, minority scans (<= 5 % of the victim's
// packets) under busy benign traffic, hard negatives alone, a distributed scan and the two IPv6
// scans (a SYN scan and host discovery over 2001:2::/48). `full` is every
// file in scenarios/, the slow ones and the capture stress test included. Names not (yet) in
// scenarios/ are left out, so a set grows as scenarios are written.
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.ts';

export const STANDARD_SCENARIOS = [
  'quick', 'benign-only', 'benign-hard', 'syn', 'connect', 'udp', 'ping-sweep',
  'stealth-flags', 'ack-window', 'fragmented', 'decoys',
  'minority-syn', 'minority-udp', 'minority-stealth', 'minority-hard', 'distributed',
  'ipv6-syn', 'ipv6-discovery',
] as const;

export const BENCH_SETS = ['standard', 'full'] as const;
export type BenchSet = (typeof BENCH_SETS)[number];

export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export interface ScenarioRef {
  readonly name: string;
  readonly path: string;
}

export function standardSet(dir = SCENARIOS_DIR): ScenarioRef[] {
  return STANDARD_SCENARIOS.map((name) => ({ name, path: join(dir, `${name}.yaml`) })).filter((s) => existsSync(s.path));
}

/** Every scenario in the folder: the standard set first, in its order, then the rest by name. */
export function fullSet(dir = SCENARIOS_DIR): ScenarioRef[] {
  const standard = standardSet(dir);
  const rest = (existsSync(dir) ? readdirSync(dir) : [])
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.ya?ml$/i, ''), path: join(dir, f) }))
    .filter((s) => !standard.some((t) => t.name === s.name));
  return [...standard, ...rest];
}

export function benchSet(set: BenchSet, dir = SCENARIOS_DIR): ScenarioRef[] {
  return set === 'full' ? fullSet(dir) : standardSet(dir);
}

/** A scenario argument: a path to a YAML file, or the name of one in scenarios/. */
export function resolveScenario(arg: string, dir = SCENARIOS_DIR): ScenarioRef {
  const candidates = [arg, join(dir, arg), join(dir, `${arg}.yaml`)];
  const found = candidates.find((c) => existsSync(c) && /\.ya?ml$/i.test(c));
  if (!found) {
    throw new UserError(`scenario "${arg}" not found (looked for ${candidates.filter((c) => /\.ya?ml$/i.test(c)).join(', ')})`, `give a scenario file, or a name in ${dir}: ${fullSet(dir).map((s) => s.name).join(', ') || '(none yet)'}`);
  }
  return { name: basename(found).replace(/\.ya?ml$/i, ''), path: resolve(found) };
}
