// `scanlab bench` on a real terminal: the CLI runs inside a detached tmux session (120x40) over two
// synthesized run directories (no lab), and the screen it leaves must hold the finished runs, the
// same leaderboard bench.json gives, and the files written. Needs tmux; kills only the tmux
// session it created, by its unique name.
import { afterEach, describe, expect, test } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeSyntheticRun } from '../report/synthetic-run.ts';
import { formatLeaderboard } from '../../src/bench/format-leaderboard.ts';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const ROOT = resolve(import.meta.dirname, '../..');

const sessions: string[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) spawnSync('tmux', ['kill-session', '-t', s]);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function startInTmux(args: string[]): { screen: () => string } {
  const name = `scanlab-e2e-bench-tui-${process.pid}-${Date.now()}-${sessions.length}`;
  const command = `cd ${quote(ROOT)} && node bin/scanlab.js ${args.map(quote).join(' ')}; echo "scanlab exited with $?"; sleep 600`;
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', '120', '-y', '40', command]);
  sessions.push(name);
  return { screen: () => execFileSync('tmux', ['capture-pane', '-p', '-t', name], { encoding: 'utf8' }) };
}

async function waitForScreen(screen: () => string, text: string | RegExp, timeoutMs: number): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const now = screen();
    if (typeof text === 'string' ? now.includes(text) : text.test(now)) return now;
    if (Date.now() > end) throw new Error(`timed out waiting for ${text}; the screen:\n${now}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.runIf(hasTmux)('scanlab bench on a terminal (tmux)', () => {
  test('--runs over two run directories shows the runs, then leaves the leaderboard and the files on the screen', async () => {
    // Given two labelled run directories made without a lab
    const root = mkdtempSync(join(tmpdir(), 'scanlab-bench-tui-'));
    dirs.push(root);
    const r1 = writeSyntheticRun(join(root, 'r1'));
    const r2 = writeSyntheticRun(join(root, 'r2'));
    const out = join(root, 'out');
    // When the bench runs on a 120x40 terminal
    const tui = startInTmux(['bench', '--runs', r1.dir, r2.dir, '--out', out]);
    const screen = await waitForScreen(tui.screen, /scanlab exited with \d/, 90_000);
    // Then it ends with 0, both runs scored, each with its packets and every detector's scan F1
    expect(screen).toContain('scanlab exited with 0');
    expect(screen).toMatch(/bench done: 2 runs scored/);
    expect(screen).toMatch(new RegExp(`1\\s+synthetic r1\\s+–\\s+${r1.packets.toLocaleString('en-US')}\\s+${r1.scan.toLocaleString('en-US')}(\\s+\\d\\.\\d{3}){5}`));
    expect(screen).toMatch(new RegExp(`2\\s+synthetic r2\\s+–\\s+${r2.packets.toLocaleString('en-US')}\\s+${r2.scan.toLocaleString('en-US')}(\\s+\\d\\.\\d{3}){5}`));
    // And the leaderboard on the screen is the one bench.json gives, line for line
    const bench = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'));
    expect(bench.runs).toHaveLength(2);
    const leaderboard = formatLeaderboard(bench.scenarios, bench.cells).split('\n').filter((l) => l.trim());
    expect(leaderboard.length).toBeGreaterThan(5);
    const lines = screen.split('\n').map((l) => l.trimEnd());
    for (const line of leaderboard) expect(lines.some((l) => l.endsWith(line.trimEnd())), line).toBe(true);
    // And the files written are named
    for (const file of ['bench.json', 'bench.csv', 'bench.html', 'bench.md']) expect(screen).toContain(join(out, file));
  });
});
