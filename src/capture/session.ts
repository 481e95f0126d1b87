// Starts and stops a capture on a host and turns what it reports into typed stats. The only
// place the engine touches capture processes. A host that shares this machine's files (a
// namespace) runs the libpcap agent (capture/agent.ts); any other host (SSH) streams tcpdump's
// pcap over its connection (capture/stream-capture.ts).

import { AgentProcess, agentScript, type AgentMessage } from '../lab/agent-process.ts';
import type { Host } from '../lab/host.ts';
import { RunFailure, UserError } from '../errors.ts';
import { startStreamCapture } from './stream-capture.ts';
import { atForcedExit } from '../util/stop-signals.ts';
import { repairCapture } from './repair.ts';

export interface CaptureStats {
  readonly packets: number;
  readonly bytes: number;
  /** libpcap's ps_recv: packets the kernel handed to the capture. */
  readonly received: number;
  /** libpcap's ps_drop: packets lost because the buffer was full. */
  readonly dropped: number;
  readonly ifDropped: number;
  readonly elapsedMs: number;
}

export interface CaptureInfo {
  readonly host: string;
  readonly iface: string;
  readonly filter: string;
  readonly snaplen: number;
  readonly bufferMiB: number;
  readonly libpcap: string;
}

export interface CaptureOptions {
  readonly snaplen: number;
  readonly bufferMiB: number;
  readonly filter?: string;
}

export const EMPTY_STATS: CaptureStats = { packets: 0, bytes: 0, received: 0, dropped: 0, ifDropped: 0, elapsedMs: 0 };

/** A live capture: where it writes, what it has counted, and how to stop it. */
export interface CaptureSession {
  readonly info: CaptureInfo;
  readonly path: string;
  readonly stats: CaptureStats;
  /** The capturing process's id on its host. */
  readonly id: Promise<number | undefined>;
  /** Stops the capture, the file flushed; returns libpcap's final counters. */
  stop(): Promise<CaptureStats>;
}

/** Starts capturing on the host's lab interface; resolves once the capture is live. */
export function startCapture(host: Host, path: string, options: CaptureOptions, onStats: (s: CaptureStats) => void): Promise<CaptureSession> {
  return host.sharesFileSystem ? AgentCapture.start(host, path, options, onStats) : startStreamCapture(host, path, options, onStats);
}

class AgentCapture implements CaptureSession {
  private latest = EMPTY_STATS;
  /** Removes the forced-exit step of this capture (see start()). */
  private forgetForcedExit: () => void = () => {};

  private constructor(
    private readonly agent: AgentProcess,
    readonly info: CaptureInfo,
    readonly path: string,
  ) {}

  /** Starts capturing on the host's interface; resolves once libpcap is live. */
  static start(node: Host, path: string, options: CaptureOptions, onStats: (s: CaptureStats) => void): Promise<CaptureSession> {
    const filter = options.filter ?? '';
    return new Promise((resolve, reject) => {
      let session: AgentCapture | undefined;
      const onMessage = (message: AgentMessage) => {
        if (message.type === 'ready' && !session) {
          const info = { host: node.name, iface: node.iface, filter, snaplen: options.snaplen, bufferMiB: options.bufferMiB, libpcap: String(message.libpcap) };
          session = new AgentCapture(agent, info, path);
          // Should scanlab be forced to exit (a teardown that hangs), the capture still ends
          // valid: the agent gets its chance to flush, then the file is cut to whole packets.
          session.forgetForcedExit = atForcedExit(() => {
            agent.stopSync(1500);
            repairCapture(path);
          });
          resolve(session);
        } else if ((message.type === 'stats' || message.type === 'final') && session) {
          const { type: _type, ...stats } = message;
          session.latest = stats as unknown as CaptureStats;
          onStats(session.latest);
        } else if (message.type === 'error') {
          reject(new UserError(`capture on ${node.name}: ${String(message.message)}`, message.hint as string | undefined));
        }
      };
      const agent = new AgentProcess(node, agentScript('capture/agent.ts'),
        ['--iface', node.iface, '--out', path, '--snaplen', String(options.snaplen), '--buffer-mib', String(options.bufferMiB), '--filter', filter], onMessage);
      void agent.exited.then(({ exitCode, stderr }) => {
        if (!session) reject(new RunFailure(`the capture agent on ${node.name} exited before capturing (exit ${exitCode}): ${stderr.trim()}`));
      });
    });
  }

  get stats(): CaptureStats {
    return this.latest;
  }

  get id(): Promise<number | undefined> {
    return this.agent.id;
  }

  /** Asks the agent to flush and close the pcap; returns libpcap's final counters. */
  async stop(): Promise<CaptureStats> {
    await this.agent.stop();
    this.forgetForcedExit();
    return this.latest;
  }
}
