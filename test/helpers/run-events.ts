// Watching a run from outside, as the lab tests do: poll until something holds, and read the
// events a run directory's events.jsonl holds so far.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The events of the (only) run under `out`, or [] before it has any. */
export function readEvents(out: string): Record<string, any>[] {
  const dirs = existsSync(out) ? readdirSync(out) : [];
  if (dirs.length === 0 || !existsSync(join(out, dirs[0], 'events.jsonl'))) return [];
  return readFileSync(join(out, dirs[0], 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
