// Scenario name and checksum for the manifest (the scenario text itself is not published: it
// holds the lab's real addresses).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ScenarioInfo {
  readonly name: string | null;
  readonly sha256: string | null;
  readonly seed: number | null;
}

export function readScenarioInfo(path: string): ScenarioInfo {
  if (!existsSync(path)) return { name: null, sha256: null, seed: null };
  const text = readFileSync(path);
  let doc: unknown;
  try { doc = parse(text.toString('utf8')); } catch { doc = undefined; }
  const rec = (doc && typeof doc === 'object' ? doc : {}) as Record<string, unknown>;
  return {
    name: typeof rec.name === 'string' ? rec.name : null,
    sha256: createHash('sha256').update(text).digest('hex'),
    seed: typeof rec.seed === 'number' && Number.isInteger(rec.seed) ? rec.seed : null,
  };
}
