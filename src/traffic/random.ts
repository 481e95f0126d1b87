// Benign schedules: Poisson gaps and per-host seeds from scanlab's seeded PRNG, so the same
// seed gives the same schedule on every run.

import type { Random } from '../util/seeded-random.ts';

/** Exponentially distributed gap with the given mean (a Poisson process of sessions). */
export function exponential(random: Random, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

/** Derives a per-host seed from the scenario seed and the host name. */
export function deriveSeed(seed: number, label: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 2654435761) >>> 0;
  return h;
}
