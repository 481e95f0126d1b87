// Whether two analysis.json files say the same apart from timings:
// `node --import tsx bench/compare-analysis.ts A.json B.json` prints IDENTICAL or the fields that
// differ (exit 1). Timings are every `timings` object and the wall/CPU fields (ms, cpuMs, *Ms but
// the time-to-detect ones, which are results). Used to check memory changes kept every metric.
import { readFileSync } from 'node:fs';

const TIMING = (key: string) => key === 'timings' || key === 'ms' || key === 'cpuMs' || (key.endsWith('Ms') && !key.endsWith('TimeToDetectMs') && key !== 'timeToDetectMs');

function withoutTimings(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutTimings);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !TIMING(k)).map(([k, x]) => [k, withoutTimings(x)]));
  return v;
}

function differences(a: unknown, b: unknown, path: string, out: string[]): void {
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) differences(x[k], y[k], `${path}.${k}`, out);
  } else if (!Object.is(a, b)) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

const files = process.argv.slice(2);
if (files.length !== 2) {
  process.stderr.write('usage: node --import tsx bench/compare-analysis.ts A.json B.json\n');
  process.exit(2);
}
const [a, b] = files.map((f) => withoutTimings(JSON.parse(readFileSync(f, 'utf8'))));
const out: string[] = [];
differences(a, b, '', out);
process.stdout.write(out.length === 0 ? 'IDENTICAL (timings apart)\n' : `${out.slice(0, 40).join('\n')}\n${out.length} differences\n`);
process.exit(out.length === 0 ? 0 : 1);
