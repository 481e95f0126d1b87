// Capture on a host whose files are not ours (an SSH host), as Wireshark's sshdump does: tcpdump
// writes pcap to its stdout (-U: each packet as it is captured), scanlab stores it as it arrives,
// so nothing is left on the remote host and an interrupted run keeps every whole packet (the
// engine trims a cut last record with capture/repair.ts). The host's own control traffic (its
// SSH session) is filtered out. libpcap's counters come from tcpdump's summary on exit.

import { createWriteStream } from 'node:fs';
import type { Host } from '../lab/host.ts';
import { RunFailure, UserError } from '../errors.ts';
import { EMPTY_STATS, type CaptureInfo, type CaptureOptions, type CaptureSession, type CaptureStats } from './session.ts';

/** The capture filter: the scenario's own (if any) without the host's control session. */
export function captureFilter(userFilter: string, controlTraffic: string | undefined): string {
  const parts = [userFilter.trim(), controlTraffic ? `not (${controlTraffic})` : ''].filter(Boolean);
  return parts.length > 1 ? parts.map((p) => `(${p})`).join(' and ') : (parts[0] ?? '');
}

/** tcpdump's closing summary: "N packets captured", "N packets received by filter", drops. */
export function parseTcpdumpSummary(stderr: string): { captured: number; received: number; dropped: number; ifDropped: number } | undefined {
  const count = (what: string) => {
    const match = new RegExp(`(\\d+) packets? ${what}`).exec(stderr);
    return match ? Number(match[1]) : undefined;
  };
  const captured = count('captured');
  if (captured === undefined) return undefined;
  return { captured, received: count('received by filter') ?? captured, dropped: count('dropped by kernel') ?? 0, ifDropped: count('dropped by interface') ?? 0 };
}

/** Counts whole pcap records in a byte stream as it goes by (classic pcap, either byte order). */
export class PcapRecordCounter {
  packets = 0;
  bytes = 0;
  private header = Buffer.alloc(0);
  private little = true;
  /** Bytes still to skip of the current record's data. */
  private skip = 0;
  private pending = Buffer.alloc(0);
  private seenFileHeader = false;

  push(chunk: Buffer): void {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    if (!this.seenFileHeader) {
      this.header = Buffer.concat([this.header, data]);
      if (this.header.length < 24) return;
      this.little = this.header.readUInt32LE(0) === 0xa1b2c3d4 || this.header.readUInt32LE(0) === 0xa1b23c4d;
      data = this.header.subarray(24);
      this.seenFileHeader = true;
    }
    let offset = 0;
    while (offset < data.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length - offset);
        this.skip -= n;
        offset += n;
        continue;
      }
      if (data.length - offset < 16) {
        this.pending = Buffer.from(data.subarray(offset));
        return;
      }
      const capLen = this.little ? data.readUInt32LE(offset + 8) : data.readUInt32BE(offset + 8);
      const origLen = this.little ? data.readUInt32LE(offset + 12) : data.readUInt32BE(offset + 12);
      this.packets++;
      this.bytes += origLen;
      offset += 16;
      this.skip = capLen;
    }
  }
}

class StreamCapture implements CaptureSession {
  latest: CaptureStats = EMPTY_STATS;

  constructor(
    readonly info: CaptureInfo,
    readonly path: string,
    private readonly process: ReturnType<Host['spawn']>,
    private readonly written: Promise<void>,
    private readonly counter: PcapRecordCounter,
    private readonly started: number,
  ) {}

  get stats(): CaptureStats {
    return this.latest;
  }

  get id(): Promise<number | undefined> {
    return this.process.id;
  }

  async stop(): Promise<CaptureStats> {
    await this.process.stop(5000);
    const { stderr } = await this.process.exited;
    await this.written;
    const summary = parseTcpdumpSummary(stderr);
    const elapsedMs = Date.now() - this.started;
    this.latest = summary
      ? { packets: this.counter.packets, bytes: this.counter.bytes, received: summary.received, dropped: summary.dropped, ifDropped: summary.ifDropped, elapsedMs }
      : { ...this.latest, packets: this.counter.packets, bytes: this.counter.bytes, elapsedMs };
    return this.latest;
  }
}

export function startStreamCapture(host: Host, path: string, options: CaptureOptions, onStats: (s: CaptureStats) => void): Promise<CaptureSession> {
  const filter = captureFilter(options.filter ?? '', host.controlTraffic);
  const args = ['-U', '-n', '-w', '-', '-i', host.iface, '-s', String(options.snaplen), '-B', String(options.bufferMiB * 1024), ...(filter ? [filter] : [])];
  const child = host.spawn('tcpdump', args);
  const file = createWriteStream(path, { mode: 0o600 });
  const counter = new PcapRecordCounter();
  const started = Date.now();
  child.stdout.on('data', (chunk: Buffer) => counter.push(chunk));
  child.stdout.pipe(file);
  const written = new Promise<void>((resolve) => file.on('close', () => resolve()));
  const info: CaptureInfo = { host: host.name, iface: host.iface, filter, snaplen: options.snaplen, bufferMiB: options.bufferMiB, libpcap: 'tcpdump on the host' };
  return new Promise((resolve, reject) => {
    let session: StreamCapture | undefined;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!session && /listening on/.test(stderr)) {
        session = new StreamCapture(info, path, child, written, counter, started);
        const timer = setInterval(() => {
          session!.latest = { ...session!.latest, packets: counter.packets, bytes: counter.bytes, received: counter.packets, elapsedMs: Date.now() - started };
          onStats(session!.latest);
        }, 250);
        void child.exited.then(() => clearInterval(timer));
        resolve(session);
      }
    });
    void child.exited.then(({ exitCode }) => {
      if (session) return;
      const said = stderr.trim().split('\n').filter((l) => !/^scanlab-pid /.test(l)).slice(-3).join(' ');
      if (/permission|not permitted|Operation not permitted/i.test(said)) {
        reject(new UserError(`capture on ${host.name}: tcpdump may not capture on ${host.iface}: ${said}`, `log in as root, or give tcpdump the capture capabilities: setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump)`));
      } else {
        reject(new RunFailure(`capture on ${host.name}: tcpdump exited before capturing (exit ${exitCode}): ${said}`));
      }
    });
  });
}
