// The real CLI in a real terminal: a detached tmux session (120x40) per call; keys go in with
// send-keys, the screen comes back with capture-pane. `killTmuxSessions` ends only the sessions
// these helpers created, by their unique names.

import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const ROOT = resolve(import.meta.dirname, '../..');
const sessions: string[] = [];

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface TmuxCli {
  readonly name: string;
  screen(): string;
  keys(...keys: string[]): void;
}

/**
 * Starts `node bin/scanlab.js args` in the clone (or `where.command` in `where.cwd`, e.g. an
 * installed scanlab); the pane stays open after exit to show the exit code.
 */
export function startCliInTmux(label: string, args: string[], env: Record<string, string> = {}, where: { cwd?: string; command?: string } = {}): TmuxCli {
  const name = `scanlab-e2e-${label}-${process.pid}-${Date.now()}-${sessions.length}`;
  const envText = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(' ');
  // Without CI in the environment: ink renders only the last frame when it thinks it runs in CI,
  // and a person at this terminal is not CI.
  const cli = where.command ? quote(where.command) : 'node bin/scanlab.js';
  const command = `cd ${quote(where.cwd ?? ROOT)} && env -u CI ${envText} ${cli} ${args.map(quote).join(' ')}; echo "scanlab exited with $?"; sleep 600`;
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', '120', '-y', '40', command]);
  sessions.push(name);
  return {
    name,
    screen: () => execFileSync('tmux', ['capture-pane', '-p', '-t', name], { encoding: 'utf8' }),
    keys: (...keys) => void execFileSync('tmux', ['send-keys', '-t', name, ...keys]),
  };
}

export function killTmuxSessions(): void {
  for (const s of sessions.splice(0)) spawnSync('tmux', ['kill-session', '-t', s]);
}

/** Polls the screen until it shows `text`; the error carries the last screen. */
export async function waitForScreen(screen: () => string, text: string | RegExp, timeoutMs: number): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const now = screen();
    if (typeof text === 'string' ? now.includes(text) : text.test(now)) return now;
    if (Date.now() > end) throw new Error(`timed out waiting for ${text}; the screen:\n${now}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
