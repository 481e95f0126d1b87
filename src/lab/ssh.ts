// The one wrapper around the system's OpenSSH client (STYLE.md: one wrapper module per tool).
// execa runs `ssh` directly, no shell on our side, so ~/.ssh/config, agents, keys and ProxyJump
// work as the user expects. Each host gets one multiplexed master connection (ControlMaster);
// every command rides on it. BatchMode: scanlab never asks for, sees or stores a password.
// The remote side runs each command through `sh -c` with every argument single-quoted.

import { execa, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import { RunFailure, UserError } from '../errors.ts';
import { debugLine } from './netns.ts';
import { sshSettings } from './ssh-settings.ts';

export interface SshTarget {
  /** user@host or a Host alias of the ssh config. */
  readonly destination: string;
  /** An ssh config file to use instead of ~/.ssh/config (-F). */
  readonly configFile?: string;
  /** The master connection's socket. */
  readonly controlPath: string;
}

export interface SshResult {
  readonly exitCode: number | undefined;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** ssh exits 255 when the connection itself failed (not the remote command). */
export const SSH_CONNECTION_FAILED = 255;

function optionArgs(target: SshTarget): string[] {
  const settings = sshSettings();
  return [
    ...(target.configFile ? ['-F', target.configFile] : []),
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${settings.connectTimeoutS}`,
    // The master's keep-alives are what notices a dead link (its sessions ride on it).
    '-o', `ServerAliveInterval=${settings.aliveIntervalS}`,
    '-o', `ServerAliveCountMax=${settings.aliveCount}`,
    '-o', 'LogLevel=ERROR',
    '-o', `ControlPath=${target.controlPath}`,
  ];
}

/** One argument quoted for a POSIX shell: '...' with ' written as '\''. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The remote command line for a command and its arguments, run by `sh -c` on the host. */
export function remoteCommand(script: string, args: readonly string[]): string {
  return ['sh', '-c', script, 'sh', ...args].map(shellQuote).join(' ');
}

/** Runs the command as it is and prints its process id first, on stderr: the id scanlab stops it by. */
export const PID_SCRIPT = 'echo "scanlab-pid $$" >&2; exec "$@"';
export const PID_LINE = /^scanlab-pid (\d+)$/;

/** The master connection's local ssh process (boxed: a ResultPromise is a thenable). */
export interface SshMaster {
  readonly process: ResultPromise;
}

/** Opens the master connection; resolves once it is authenticated. */
export async function openMaster(target: SshTarget, hostName: string): Promise<SshMaster> {
  debugLine(`[ssh ${hostName}] open ${target.destination}`);
  const master = execa('ssh', [...optionArgs(target), '-M', '-o', 'ControlMaster=yes', '-o', 'ControlPersist=no', '-T', target.destination,
    remoteCommand('echo scanlab-ready; exec cat >/dev/null', [])], { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', reject: false }) as ResultPromise;
  const ready = await new Promise<boolean>((resolve) => {
    createInterface({ input: master.stdout! }).on('line', (line) => {
      if (line.trim() === 'scanlab-ready') resolve(true);
    });
    void master.then(() => resolve(false));
  });
  if (ready) return { process: master };
  const result = await master;
  throw connectionError(hostName, target.destination, String(result.stderr ?? '').trim(), result.exitCode);
}

/** A failed connection, said so that the user knows what to do. */
export function connectionError(hostName: string, destination: string, stderr: string, exitCode: number | undefined): UserError {
  const said = stderr.split('\n').filter(Boolean).slice(-2).join(' ') || `ssh exited with ${exitCode}`;
  let hint = `check that ${destination} is up and that "ssh ${destination} true" works from this machine without a password prompt`;
  if (/Permission denied/i.test(said)) hint = `scanlab logs in with keys only (it never asks for a password): install your public key on the host (ssh-copy-id ${destination}) or load it into ssh-agent`;
  else if (/Host key verification failed|REMOTE HOST IDENTIFICATION/i.test(said)) hint = `connect once with "ssh ${destination}" and check the host key, so it is in known_hosts`;
  else if (/Could not resolve/i.test(said)) hint = `check the host name in ssh: (or the Host entry of your ssh config)`;
  return new UserError(`host ${hostName}: cannot reach ${destination} over SSH: ${said}`, hint);
}

/** Closes the master connection (and with it every session that still rides on it). */
export async function closeMaster(target: SshTarget, box: SshMaster | undefined): Promise<void> {
  await execa('ssh', [...optionArgs(target), '-O', 'exit', target.destination], { reject: false, stdin: 'ignore' });
  const master = box?.process;
  if (master && master.exitCode === null) {
    master.stdin?.end();
    const timer = setTimeout(() => master.kill('SIGTERM'), 3000);
    await master;
    clearTimeout(timer);
  }
}

function sessionArgs(target: SshTarget, command: string): string[] {
  return [...optionArgs(target), '-o', 'ControlMaster=no', '-T', target.destination, command];
}

/** Runs a remote command line over the master connection; never throws for a failed command. */
export async function sshExec(target: SshTarget, command: string, input?: string | Buffer): Promise<SshResult> {
  debugLine(`[ssh ${target.destination}] ${command}`);
  const result = await execa('ssh', sessionArgs(target, command), { reject: false, encoding: 'buffer', ...(input === undefined ? { stdin: 'ignore' } : { input }) });
  return { exitCode: result.exitCode, stdout: Buffer.from(result.stdout as Uint8Array), stderr: Buffer.from(result.stderr as Uint8Array).toString() };
}

/** Starts a remote command line over the master connection; stdout is streamed, not buffered. */
export function sshSpawn(target: SshTarget, command: string, stdin: 'pipe' | 'ignore'): ResultPromise {
  debugLine(`[ssh ${target.destination}] start ${command}`);
  return execa('ssh', sessionArgs(target, command), { reject: false, stdin, stdout: 'pipe', stderr: 'pipe', buffer: false }) as ResultPromise;
}

export function commandFailure(host: string, command: string, result: SshResult): RunFailure {
  return new RunFailure(`${command} on host ${host} failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.toString().trim()}`);
}
