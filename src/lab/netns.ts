// The one wrapper around iproute2 and processes inside namespaces (STYLE.md: one wrapper module
// per external tool). Every command is logged to the debug hook, failures are rethrown with the
// command that failed, and processes are stopped only by the ids scanlab started.

import { execa, type ResultPromise, type Options } from 'execa';
import { RunFailure } from '../errors.ts';

export type Debug = (line: string) => void;
let debug: Debug = () => {};
export function setDebug(hook: Debug): void {
  debug = hook;
}
/** Writes a line to the debug hook (the SSH wrapper logs its commands here too). */
export function debugLine(line: string): void {
  debug(line);
}

/** Runs `ip ...` and throws a RunFailure that names the command when it fails. */
export async function ip(args: string[]): Promise<string> {
  debug(`ip ${args.join(' ')}`);
  const result = await execa('ip', args, { reject: false });
  if (result.exitCode !== 0) {
    throw new RunFailure(`ip ${args.join(' ')} failed: ${(result.stderr || result.stdout || '').trim()}`);
  }
  return result.stdout;
}

/** Runs a command to completion inside a namespace. */
export async function nsRun(ns: string, command: string, args: string[], options: Options = {}): Promise<string> {
  debug(`[${ns}] ${command} ${args.join(' ')}`);
  const result = await execa('ip', ['netns', 'exec', ns, command, ...args], { reject: false, ...options });
  if (result.exitCode !== 0) {
    const output = String(result.stderr || result.stdout || '').trim();
    throw new RunFailure(`${command} ${args.join(' ')} in namespace ${ns} failed (exit ${result.exitCode}): ${output}`);
  }
  return String(result.stdout);
}

/** Starts a long-running command inside a namespace; the caller owns the returned process. */
export function nsSpawn(ns: string, command: string, args: string[], options: Options = {}): ResultPromise {
  debug(`[${ns}] start ${command} ${args.join(' ')}`);
  return execa('ip', ['netns', 'exec', ns, command, ...args], { reject: false, ...options }) as ResultPromise;
}

export async function listNamespaces(): Promise<string[]> {
  const out = await ip(['netns', 'list']);
  return out
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter(Boolean);
}

/** Ids of the processes living in a namespace (all started by scanlab: the namespace is its own). */
export async function namespacePids(ns: string): Promise<number[]> {
  const result = await execa('ip', ['netns', 'pids', ns], { reject: false });
  if (result.exitCode !== 0) return [];
  return result.stdout.split('\n').filter(Boolean).map(Number);
}

/** Sends SIGTERM, waits up to `graceMs`, then SIGKILL: by process id only. */
export async function stopPids(pids: number[], graceMs = 2000): Promise<void> {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 50));
  for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
