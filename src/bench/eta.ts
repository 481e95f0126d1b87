// Overall progress of a bench: each unit of work (one run) has an expected cost; the estimate of
// what is left is scaled by how the finished units compared to their expectation.

export class Eta {
  private doneExpected = 0;
  private doneActual = 0;
  private finished = 0;
  constructor(private readonly expected: readonly number[]) {}

  /** Records unit `index` as taking `actualMs`; returns the progress line's numbers. */
  finish(index: number, actualMs: number): { done: number; total: number; percent: number; remainingMs: number } {
    this.finished++;
    this.doneExpected += this.expected[index];
    this.doneActual += actualMs;
    let leftExpected = 0;
    for (let i = index + 1; i < this.expected.length; i++) leftExpected += this.expected[i];
    const ratio = this.doneExpected > 0 ? this.doneActual / this.doneExpected : 1;
    const total = this.expected.length;
    const allExpected = this.doneExpected + leftExpected;
    const percent = allExpected > 0 ? (100 * this.doneExpected) / allExpected : 100;
    return { done: this.finished, total, percent, remainingMs: leftExpected * ratio };
  }
}

/** 95 s -> "1m35s", 4 s -> "4s". */
export function formatEta(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
