// Where a command runs. One interface for a network namespace on this machine (netns-host.ts)
// and a real machine reached with the system's OpenSSH client (ssh-host.ts). Capture, attack,
// traffic and the engine start processes only through it, and stop them only by the ids it
// hands out.

import type { Readable, Writable } from 'node:stream';

export type HostKind = 'netns' | 'ssh';

export interface SpawnOptions {
  /** 'pipe' keeps stdin open as a lifeline: the process sees EOF when scanlab dies. */
  readonly stdin?: 'pipe' | 'ignore';
  /** Working directory (namespace hosts only: an SSH command starts in the login directory). */
  readonly cwd?: string;
}

export interface ProcessExit {
  readonly exitCode: number | undefined;
  readonly signal?: string;
  /** Everything the process wrote to stderr. */
  readonly stderr: string;
  /** The host's connection ended, not the process (SSH hosts): it may still run there. */
  readonly connectionLost?: boolean;
}

/** A process scanlab started on a host. */
export interface HostProcess {
  /** The process id on its host (what `Host.stop` takes); undefined if it never started. */
  readonly id: Promise<number | undefined>;
  readonly stdin: Writable | undefined;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly exited: Promise<ProcessExit>;
  readonly running: boolean;
  /** Its process id on this machine, when it runs here (namespaces): for a synchronous stop at a forced exit. */
  readonly localPid?: number;
  /** SIGTERM by id, SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface Host {
  readonly kind: HostKind;
  readonly name: string;
  /** The IPv4 address of the host's lab interface. */
  readonly address: string;
  /** Its IPv6 address in 2001:2::/48, when the lab has IPv6 (namespace labs with ipv6: true). */
  readonly address6?: string;
  readonly mac: string;
  /** The lab interface: what is captured and what nmap sends from. */
  readonly iface: string;
  /** True when files the host writes land on this machine (namespaces); SSH hosts stream instead. */
  readonly sharesFileSystem: boolean;
  /** A pcap filter matching the host's own control traffic (its SSH session), kept out of captures. */
  readonly controlTraffic?: string;
  /** Runs a command to completion; throws a RunFailure naming the host and command on failure. */
  run(command: string, args: readonly string[]): Promise<string>;
  /** Starts a long-running command; the caller stops it with `stop()` or `Host.stop(id)`. */
  spawn(command: string, args: readonly string[], options?: SpawnOptions): HostProcess;
  /** Stops a process scanlab started here, by its id: SIGTERM, then SIGKILL after `graceMs`. */
  stop(id: number, graceMs?: number): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: string | Buffer): Promise<void>;
}
