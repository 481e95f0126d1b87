// The real TUI in a real terminal: the CLI runs inside a detached tmux session (120x40); keys
// go in with send-keys and the screen comes back with capture-pane. Needs root (the lab) and
// tmux; each test kills only the tmux session it created, by its unique name.
import { afterEach, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hasTmux, killTmuxSessions, startCliInTmux, waitForScreen } from '../helpers/tmux.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TINY = join(ROOT, 'test/fixtures/scenarios/tiny.yaml');
const OUT = join(ROOT, 'test/out');

const dirs: string[] = [];
afterEach(() => {
  killTmuxSessions();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempRuns(): string {
  const d = mkdtempSync(join(tmpdir(), 'scanlab-tui-e2e-'));
  dirs.push(d);
  return d;
}

describe.runIf(process.getuid?.() === 0 && hasTmux)('scanlab TUI in tmux', () => {
  test('pick the tiny scenario, watch it run with the seed given, read the scores, quit', async () => {
    // Given the app on a 120x40 terminal, listing only the tiny scenario, with --seed 7
    const runs = tempRuns();
    const tui = startCliInTmux('tui', ['--seed', '7'], { SCANLAB_SCENARIOS: TINY, SCANLAB_RUNS: runs });
    const picker = await waitForScreen(tui.screen, 'expected duration', 30_000);
    expect(picker).toMatch(/▸ tiny/);
    expect(picker).toContain('seed 7');
    expect(picker).toContain('syn-scan');
    // When Enter starts it
    tui.keys('Enter');
    // Then the run view shows the phases, live counters and the attack step
    const live = await waitForScreen(tui.screen, /total [1-9]/, 60_000);
    expect(live).toContain('Phases');
    expect(live).toContain('scan/benign after labelling');
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'tui-run-view.txt'), live);
    // And the results view follows, with the score table and where the run is
    const results = await waitForScreen(tui.screen, 'Separation (k-means on every row', 150_000);
    writeFileSync(join(OUT, 'tui-results-view.txt'), results);
    expect(results).toMatch(/run ok/);
    // detection (base rate, precision, ...) comes before separation (rows, k, ARI, ...)
    expect(results).toMatch(/Detection[\s\S]*host-window\s+\d\.\d{3}\s+\d\.\d{3}[\s\S]*Separation/);
    expect(results).toMatch(/host-window\s+[\d,]+\s+\d+\s+\d\.\d{3}/);
    const [runDir] = readdirSync(runs);
    expect(results).toContain(join(runs, runDir).slice(0, 60));
    // And the run used seed 7, not the scenario file's
    expect(JSON.parse(readFileSync(join(runs, runDir, 'analysis.json'), 'utf8')).seed).toBe(7);
    // When q is pressed, the app ends with exit code 0
    tui.keys('q');
    await waitForScreen(tui.screen, 'scanlab exited with 0', 10_000);
  });

  test('q during a run asks, y tears the lab down and the run is marked interrupted', async () => {
    const runs = tempRuns();
    const tui = startCliInTmux('tui', [], { SCANLAB_SCENARIOS: TINY, SCANLAB_RUNS: runs });
    await waitForScreen(tui.screen, 'expected duration', 30_000);
    tui.keys('Enter');
    await waitForScreen(tui.screen, /✔ capture/, 60_000);
    tui.keys('q');
    await waitForScreen(tui.screen, 'Stop the run?', 5_000);
    tui.keys('y');
    await waitForScreen(tui.screen, /scanlab exited with \d/, 90_000);
    const [runDir] = readdirSync(runs);
    const capture = JSON.parse(readFileSync(join(runs, runDir, 'capture.json'), 'utf8'));
    expect(capture.status).toBe('interrupted');
    // and the lab is gone: no namespace of this run's lab is left
    const events = readFileSync(join(runs, runDir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const labId = /lab (sl[0-9a-f]{6})/.exec(events.find((e) => e.type === 'phase-started' && e.phase === 'lab-up')?.detail ?? '')?.[1];
    expect(labId).toBeDefined();
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(labId!);
  });

  test('scanlab run on a terminal shows the run, then its results, and exits 0', async () => {
    const runs = tempRuns();
    const tui = startCliInTmux('tui', ['run', TINY, '--out', runs], {});
    await waitForScreen(tui.screen, 'Separation (k-means on every row', 150_000);
    tui.keys('q');
    await waitForScreen(tui.screen, 'scanlab exited with 0', 10_000);
    expect(existsSync(join(runs, readdirSync(runs)[0], 'analysis.json'))).toBe(true);
  });
});
