// runBench's window for a live view (the bench TUI): the plan, each run starting and being scored,
// and each finished run's progress with its scores or its failure. --runs inputs only (no lab).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runBench, type BenchPlan, type BenchProgress } from '../../src/bench/run-bench.ts';
import { chooseDetectors } from '../../src/bench/detectors.ts';
import { resolveRunInput } from '../../src/bench/run-input.ts';
import { parseBenchArgs, BENCH_USAGE } from '../../src/commands/bench.ts';
import { writeSyntheticRun } from '../report/synthetic-run.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function plan(root: string, inputs: string[]): BenchPlan {
  return { scenarios: [], repeat: 1, inputs: inputs.map((p) => resolveRunInput(p)), detectors: chooseDetectors(['threshold', 'trw'], ['host-window']), seed: 1, outDir: join(root, 'out'), command: 'test' };
}

describe('runBench watch hooks', () => {
  test('report the plan, then each run started, scoring and finished, in order', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scanlab-bench-watch-'));
    dirs.push(root);
    const a = writeSyntheticRun(join(root, 'a'));
    const b = writeSyntheticRun(join(root, 'b'));
    const seen: string[] = [];
    const progress: BenchProgress[] = [];
    const out = await runBench(plan(root, [a.dir, b.dir]), () => undefined, new AbortController().signal, (p) => {
      progress.push(p);
      seen.push(`finished ${p.done}/${p.total}`);
    }, {
      planned: (jobs) => seen.push(`planned ${jobs.map((j) => `${j.scenario}:${j.repeat}:${j.label === a.dir || j.label === b.dir}`).join(',')}`),
      started: (i) => seen.push(`started ${i}`),
      scoring: async (i) => {
        seen.push(`scoring ${i}`);
      },
    });
    expect(seen).toEqual(['planned synthetic:null:true,synthetic:null:true', 'started 0', 'scoring 0', 'finished 1/2', 'started 1', 'scoring 1', 'finished 2/2']);
    expect(progress[1]).toMatchObject({ done: 2, total: 2, percent: 100, failure: undefined });
    expect(Object.entries(progress[0].evaluation?.detectors ?? {}).map(([name, d]) => [name, d.packets?.f1])).toEqual([['threshold', 1], ['trw', 1]]);
    expect(out.report.runs).toHaveLength(2);
  });

  test('a run that cannot be scored reports why', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scanlab-bench-watch-'));
    dirs.push(root);
    const a = writeSyntheticRun(join(root, 'a'));
    const input = { ...resolveRunInput(a.dir), pcap: join(root, 'missing.pcap') };
    const progress: BenchProgress[] = [];
    await runBench({ ...plan(root, []), inputs: [input] }, () => undefined, new AbortController().signal, (p) => progress.push(p), {});
    expect(progress).toHaveLength(1);
    expect(progress[0].evaluation).toBeUndefined();
    expect(progress[0].failure).toMatch(/missing\.pcap/);
  });
});

describe('bench --no-tui', () => {
  test('the view is on unless --no-tui or --json; the usage lists --no-tui', () => {
    expect(parseBenchArgs(['quick']).tui).toBe(true);
    expect(parseBenchArgs(['quick', '--no-tui']).tui).toBe(false);
    expect(parseBenchArgs(['quick', '--json']).tui).toBe(false);
    expect(BENCH_USAGE).toContain('[--no-tui]');
  });
});
