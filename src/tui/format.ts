// Small pure text helpers for the TUI: sparkline, progress bar, sizes, durations.

const SPARK = '▁▂▃▄▅▆▇█';

/** The last `width` values as a sparkline scaled to their maximum. */
export function sparkline(values: readonly number[], width: number, floor = 1): string {
  const tail = values.slice(-width);
  const max = Math.max(floor, ...tail);
  return tail.map((v) => (v <= 0 ? ' ' : SPARK[Math.min(SPARK.length - 1, Math.floor((v / max) * (SPARK.length - 1) + 0.5))])).join('');
}

/** A bar of `width` cells filled to percent (0-100). */
export function bar(percent: number, width: number): string {
  const p = Math.max(0, Math.min(100, percent));
  const full = Math.round((p / 100) * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** m:ss (or h:mm:ss). */
export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

export function score(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '  -  ' : value.toFixed(3);
}

/** yyyy-mm-dd hh:mm (local time). */
export function formatDate(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}`;
}
