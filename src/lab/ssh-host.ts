// A host that is a real machine reached over SSH (lab/ssh.ts). Every process it starts prints
// its remote id first, is tracked, and is stopped by that id on the host (killing the local ssh
// client alone would leave it running there). Nothing is written on the host but what a command
// itself writes: captures and nmap's XML come back on stdout.

import { PassThrough } from 'node:stream';
import type { ResultPromise } from 'execa';
import type { Host, HostProcess, ProcessExit, SpawnOptions } from './host.ts';
import { RunFailure } from '../errors.ts';
import { PID_LINE, PID_SCRIPT, SSH_CONNECTION_FAILED, commandFailure, remoteCommand, sshExec, sshSpawn, type SshResult, type SshTarget } from './ssh.ts';

/** Stops process $1 if it still runs command $2 (no other process that reused the id): TERM, then KILL after $3 tenths of a second. */
const STOP_SCRIPT = `p=$1; c=$2; n=$3
case "$(ps -o comm= -p "$p" 2>/dev/null)" in "$c"*) ;; *) exit 0 ;; esac
kill -TERM "$p" 2>/dev/null; i=0
while kill -0 "$p" 2>/dev/null && [ "$i" -lt "$n" ]; do sleep 0.1; i=$((i+1)); done
kill -KILL "$p" 2>/dev/null; exit 0`;

/** What `ps -o comm=` shows for a command: its file name, cut at 15 characters by Linux. */
export function processName(command: string): string {
  return command.split('/').pop()!.slice(0, 15);
}

/** The remote command line that stops a process by id, only if it still runs `command`. */
export function stopCommand(id: number, command: string, graceMs: number): string {
  return remoteCommand(STOP_SCRIPT, [String(id), processName(command), String(Math.max(1, Math.round(graceMs / 100)))]);
}

export interface ProcessRecord {
  readonly host: string;
  readonly id: number;
  readonly command: string;
}

export class SshHost implements Host {
  readonly kind = 'ssh';
  readonly sharesFileSystem = false;
  address = '';
  mac = '';
  controlTraffic: string | undefined;
  /** Remote processes started and not yet seen to exit, by id. */
  readonly running = new Map<number, string>();

  constructor(
    readonly name: string,
    readonly iface: string,
    readonly target: SshTarget,
    private readonly onProcessesChanged: () => void = () => {},
  ) {}

  /** Runs a command and returns its result whatever the exit code. */
  exec(command: string, args: readonly string[], input?: string | Buffer): Promise<SshResult> {
    return sshExec(this.target, remoteCommand('exec "$@"', [command, ...args]), input);
  }

  async run(command: string, args: readonly string[]): Promise<string> {
    const result = await this.exec(command, args);
    if (result.exitCode !== 0) throw commandFailure(this.name, [command, ...args].join(' '), result);
    return result.stdout.toString();
  }

  spawn(command: string, args: readonly string[], options: SpawnOptions = {}): HostProcess {
    const child = sshSpawn(this.target, remoteCommand(PID_SCRIPT, [command, ...args]), options.stdin ?? 'ignore');
    return new RemoteProcess(this, command, child);
  }

  async stop(id: number, graceMs = 2000): Promise<void> {
    const command = this.running.get(id);
    if (command === undefined) return;
    const result = await sshExec(this.target, stopCommand(id, command, graceMs));
    if (result.exitCode === SSH_CONNECTION_FAILED) throw new RunFailure(`cannot reach host ${this.name} to stop ${command} (id ${id}): ${result.stderr.trim()}`);
  }

  async readFile(path: string): Promise<Buffer> {
    const result = await this.exec('cat', [path]);
    if (result.exitCode !== 0) throw commandFailure(this.name, `cat ${path}`, result);
    return result.stdout;
  }

  async writeFile(path: string, data: string | Buffer): Promise<void> {
    const result = await sshExec(this.target, remoteCommand('umask 077; cat > "$1"', [path]), data);
    if (result.exitCode !== 0) throw commandFailure(this.name, `writing ${path}`, result);
  }

  /** Processes this host still runs for scanlab, for the lab's local record. */
  records(): ProcessRecord[] {
    return [...this.running].map(([id, command]) => ({ host: this.name, id, command }));
  }

  tracked(id: number, command: string | undefined): void {
    if (command === undefined) this.running.delete(id);
    else this.running.set(id, command);
    this.onProcessesChanged();
  }
}

class RemoteProcess implements HostProcess {
  readonly id: Promise<number | undefined>;
  readonly exited: Promise<ProcessExit>;
  readonly stderr = new PassThrough();
  private done = false;

  constructor(
    private readonly host: SshHost,
    command: string,
    private readonly child: ResultPromise,
  ) {
    let setId!: (id: number | undefined) => void;
    this.id = new Promise((resolve) => (setId = resolve));
    let pending = '';
    let seenId = false;
    let collected = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      if (seenId) {
        collected += chunk.toString();
        this.stderr.write(chunk);
        return;
      }
      pending += chunk.toString();
      const newline = pending.indexOf('\n');
      if (newline < 0) return;
      const first = pending.slice(0, newline);
      const rest = pending.slice(newline + 1);
      seenId = true;
      const match = PID_LINE.exec(first.trim());
      if (match) {
        host.tracked(Number(match[1]), command);
        setId(Number(match[1]));
      } else {
        setId(undefined);
        collected += `${first}\n`;
        this.stderr.write(`${first}\n`);
      }
      if (rest) {
        collected += rest;
        this.stderr.write(rest);
      }
    });
    this.exited = child.then(async (result) => {
      this.done = true;
      if (!seenId) {
        collected += pending;
        this.stderr.write(pending);
        setId(undefined);
      }
      this.stderr.end();
      const id = await this.id;
      // 255: the connection ended, not the command, which may still run there: it stays
      // recorded, to be stopped by id once the host can be reached again (ssh-lab.ts down()).
      const connectionLost = result.exitCode === SSH_CONNECTION_FAILED;
      if (id !== undefined && !connectionLost) host.tracked(id, undefined);
      return { exitCode: result.exitCode, signal: result.signal, stderr: collected, connectionLost };
    });
  }

  get stdin() {
    return this.child.stdin ?? undefined;
  }

  get stdout() {
    return this.child.stdout!;
  }

  get running(): boolean {
    return !this.done;
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (this.done) return;
    const id = await Promise.race([this.id, this.exited.then(() => undefined)]);
    let failure: unknown;
    if (id !== undefined) await this.host.stop(id, graceMs).catch((error) => (failure = error));
    // The remote process is gone: its ssh session ends by itself. If the connection broke, the
    // local client may hang on; it is ours, so stop it too.
    const timer = setTimeout(() => this.child.kill('SIGTERM'), 5000);
    await this.exited;
    clearTimeout(timer);
    if (failure) throw failure;
  }
}
