// A scanlab agent (a TypeScript script run by node inside a host's namespace) that reports JSON
// lines on stdout. Shared by the capture agent and the traffic agents: start, read messages,
// stop by SIGTERM to the id we started (SIGKILL after a grace period).

import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { ResultPromise } from 'execa';
import { nsSpawn } from './netns.ts';
import { stopProcessSync } from '../util/stop-signals.ts';
import type { LabNode } from './lab.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface AgentMessage {
  readonly type: string;
  readonly [key: string]: unknown;
}

export class AgentProcess {
  private readonly child: ResultPromise;
  /** Resolves when the agent has exited, with its exit code and stderr. */
  readonly exited: Promise<{ exitCode: number | undefined; stderr: string }>;

  constructor(node: LabNode, script: string, args: string[], onMessage: (message: AgentMessage) => void) {
    // stdin stays open as a lifeline: if scanlab dies, the pipe closes and the agent stops.
    this.child = nsSpawn(node.namespace, process.execPath, ['--import', 'tsx', script, ...args], {
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      cwd: PROJECT_ROOT,
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        onMessage(JSON.parse(line) as AgentMessage);
      } catch {
        // A partial line from a killed agent: nothing to report.
      }
    });
    this.exited = this.child.then((result) => ({ exitCode: result.exitCode, stderr: String(result.stderr ?? '') }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** For a forced exit: the same stop without the event loop (bounded by `graceMs`). */
  stopSync(graceMs: number): void {
    if (this.child.pid !== undefined && this.child.exitCode === null) stopProcessSync(this.child.pid, graceMs);
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export function agentScript(relativeToSrc: string): string {
  return fileURLToPath(new URL(`../${relativeToSrc}`, import.meta.url));
}
