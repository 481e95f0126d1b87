// A host that is a network namespace on this machine: commands run through `ip netns exec`
// (netns.ts), which execs the command, so the id we get is the command's own process id.

import { readFile, writeFile } from 'node:fs/promises';
import type { ResultPromise } from 'execa';
import { nsRun, nsSpawn, stopPids } from './netns.ts';
import type { Host, HostProcess, ProcessExit, SpawnOptions } from './host.ts';

export class NamespaceHost implements Host {
  readonly kind = 'netns';
  readonly sharesFileSystem = true;
  readonly iface = 'eth0';

  constructor(
    readonly name: string,
    readonly namespace: string,
    readonly address: string,
    readonly mac: string,
    readonly address6?: string,
  ) {}

  run(command: string, args: readonly string[]): Promise<string> {
    return nsRun(this.namespace, command, [...args]);
  }

  spawn(command: string, args: readonly string[], options: SpawnOptions = {}): HostProcess {
    const child = nsSpawn(this.namespace, command, [...args], {
      stdin: options.stdin ?? 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: { stdout: false, stderr: true },
      cwd: options.cwd,
    });
    return new LocalProcess(child);
  }

  stop(id: number, graceMs = 2000): Promise<void> {
    return stopPids([id], graceMs);
  }

  readFile(path: string): Promise<Buffer> {
    return readFile(path);
  }

  writeFile(path: string, data: string | Buffer): Promise<void> {
    return writeFile(path, data, { mode: 0o600 });
  }
}

/** A process started on this machine (in a namespace): stopped by its own id. */
export class LocalProcess implements HostProcess {
  readonly exited: Promise<ProcessExit>;
  readonly id: Promise<number | undefined>;

  constructor(private readonly child: ResultPromise) {
    this.id = Promise.resolve(child.pid);
    this.exited = child.then((result) => ({ exitCode: result.exitCode, signal: result.signal, stderr: String(result.stderr ?? '') }));
  }

  get stdin() {
    return this.child.stdin ?? undefined;
  }

  get stdout() {
    return this.child.stdout!;
  }

  get stderr() {
    return this.child.stderr!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get localPid(): number | undefined {
    return this.child.pid;
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (this.running) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
