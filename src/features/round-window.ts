// Time windows shared by the windowed feature sets.

/**
 * Spark's round(t, 2) (HALF_UP) as a window index: round(t * 100). Times are seconds since the
 * first packet, so t >= 0 and rounding half up is floor(x + 0.5).
 */
export function hundredthsOf(time: number): number {
  return Math.floor(time * 100 + 0.5);
}

/** Index of the fixed window of `seconds` that holds `time` (windows start at 0). */
export function windowOf(time: number, seconds: number): number {
  return Math.floor(time / seconds);
}
