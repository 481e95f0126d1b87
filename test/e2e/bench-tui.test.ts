// `scanlab bench` on a real terminal: the CLI runs inside a detached tmux session (120x40) over two
// synthesized run directories (no lab), and the screen it leaves must hold the finished runs, the
// same leaderboard bench.json gives, and the files written. Needs tmux; kills only the tmux
// session it created, by its unique name.
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTmux, killTmuxSessions, startCliInTmux, waitForScreen } from '../helpers/tmux.ts';
import { writeSyntheticRun } from '../report/synthetic-run.ts';
import { formatOverall } from '../../src/bench/format-leaderboard.ts';
import { aggregate } from '../../src/bench/aggregate.ts';


const dirs: string[] = [];
afterEach(() => {
  killTmuxSessions();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.runIf(hasTmux)('scanlab bench on a terminal (tmux)', () => {
  test('--runs over two run directories shows the runs, then leaves the leaderboard and the files on the screen', async () => {
    // Given two labelled run directories made without a lab
    const root = mkdtempSync(join(tmpdir(), 'scanlab-bench-tui-'));
    dirs.push(root);
    const r1 = writeSyntheticRun(join(root, 'r1'));
    const r2 = writeSyntheticRun(join(root, 'r2'));
    const out = join(root, 'out');
    // When the bench runs on a 120x40 terminal
    const tui = startCliInTmux('bench-tui', ['bench', '--runs', r1.dir, r2.dir, '--out', out]);
    const screen = await waitForScreen(tui.screen, /scanlab exited with \d/, 90_000);
    // Then it ends with 0, both runs scored, each with its packets and every detector's scan F1
    expect(screen).toContain('scanlab exited with 0');
    expect(screen).toMatch(/bench done: 2 runs scored/);
    expect(screen).toMatch(new RegExp(`1\\s+synthetic r1\\s+–\\s+${r1.packets.toLocaleString('en-US')}\\s+${r1.scan.toLocaleString('en-US')}(\\s+\\d\\.\\d{3}){5}`));
    expect(screen).toMatch(new RegExp(`2\\s+synthetic r2\\s+–\\s+${r2.packets.toLocaleString('en-US')}\\s+${r2.scan.toLocaleString('en-US')}(\\s+\\d\\.\\d{3}){5}`));
    // And the overall table on the screen is the one bench.json's runs give, line for line
    const bench = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'));
    expect(bench.runs).toHaveLength(2);
    const leaderboard = formatOverall(aggregate(bench.runs)).split('\n').filter((l) => l.trim());
    expect(leaderboard.length).toBeGreaterThan(5);
    const lines = screen.split('\n').map((l) => l.trimEnd());
    for (const line of leaderboard) expect(lines.some((l) => l.endsWith(line.trimEnd())), line).toBe(true);
    // And the files written are named
    for (const file of ['bench.json', 'bench.csv', 'bench.html', 'bench.md']) expect(screen).toContain(join(out, file));
  });
});
