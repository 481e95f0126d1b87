// Environment gates and helpers shared by the suite: privileged tests run only as root, and
// every test that makes namespaces checks afterwards that none of them is left.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const isRoot = process.getuid?.() === 0;
export const hasNmap = spawnSync('sh', ['-c', 'command -v nmap']).status === 0;
export const canRunLab = isRoot && hasNmap;
export const PROJECT_ROOT = new URL('../..', import.meta.url).pathname;
export const CLI = join(PROJECT_ROOT, 'bin/scanlab.js');

/** Namespaces whose name starts with the given lab id (or any scanlab lab). */
export function scanlabNamespaces(labId?: string): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => /^sl[0-9a-f]{6}-/.test(n) && (!labId || n.startsWith(`${labId}-`)));
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `scanlab-test-${prefix}-`));
}

/** Packets tcpdump reads from a file (an independent reader), optionally with a filter. */
export function tcpdumpCount(pcap: string, filter = ''): number {
  const args = ['-nn', '-r', pcap, ...(filter ? [filter] : [])];
  const result = spawnSync('tcpdump', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`tcpdump -r ${pcap} failed: ${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean).length;
}

/** Runs the real CLI binary; returns exit code and output. */
export function runCliSync(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    timeout: options.timeoutMs ?? 180_000,
    maxBuffer: 1 << 26,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
