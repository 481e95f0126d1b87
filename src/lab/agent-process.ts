// A scanlab agent (a TypeScript script run by node on a host that shares this machine's files) that reports JSON
// lines on stdout. Shared by the capture agent and the traffic agents: start, read messages,
// stop by SIGTERM to the id we started (SIGKILL after a grace period).

import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { Host, HostProcess } from './host.ts';
import { stopProcessSync } from '../util/stop-signals.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface AgentMessage {
  readonly type: string;
  readonly [key: string]: unknown;
}

export class AgentProcess {
  private readonly child: HostProcess;
  /** Resolves when the agent has exited, with its exit code and stderr. */
  readonly exited: Promise<{ exitCode: number | undefined; stderr: string }>;

  constructor(host: Host, script: string, args: string[], onMessage: (message: AgentMessage) => void) {
    // stdin stays open as a lifeline: if scanlab dies, the pipe closes and the agent stops.
    this.child = host.spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdin: 'pipe', cwd: PROJECT_ROOT });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        onMessage(JSON.parse(line) as AgentMessage);
      } catch {
        // A partial line from a killed agent: nothing to report.
      }
    });
    this.exited = this.child.exited;
  }

  get id(): Promise<number | undefined> {
    return this.child.id;
  }

  /** For a forced exit: the same stop without the event loop (bounded by `graceMs`); agents run on this machine. */
  stopSync(graceMs: number): void {
    const pid = this.child.localPid;
    if (pid !== undefined && this.child.running) stopProcessSync(pid, graceMs);
  }

  stop(graceMs = 10_000): Promise<void> {
    return this.child.stop(graceMs);
  }
}

export function agentScript(relativeToSrc: string): string {
  return fileURLToPath(new URL(`../${relativeToSrc}`, import.meta.url));
}
