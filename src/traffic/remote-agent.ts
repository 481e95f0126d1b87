// The traffic agent for a host reached over SSH: the same seeded schedules as traffic/agent.ts,
// played from this machine, each session one run of a standard tool on the host (remote-
// sessions.ts) started through the Host interface, so it is tracked and stopped by its id like
// every other remote process. Speaks the agent's messages (ready, flow-open/close, activity,
// final), so traffic/generators.ts treats both agents alike.

import type { Host, HostProcess } from '../lab/host.ts';
import type { AgentMessage } from '../lab/agent-process.ts';
import type { AgentPlan } from './plan.ts';
import { deriveSeed } from './random.ts';
import { nextGapMs } from './schedule.ts';
import { remoteSession, remoteSessionResult } from './remote-sessions.ts';
import { seededRandom } from '../util/seeded-random.ts';

export class RemoteTrafficAgent {
  readonly exited: Promise<{ exitCode: number | undefined; stderr: string }>;
  private stopping = false;
  private readonly running = new Set<HostProcess>();
  private readonly counters: Record<string, { sessions: number; bytes: number; failures: number }> = {};
  private readonly activity: NodeJS.Timeout;
  private readonly wake = new Set<() => void>();
  private flowIds = 0;

  constructor(
    private readonly host: Host,
    private readonly plan: AgentPlan,
    private readonly onMessage: (message: AgentMessage) => void,
  ) {
    this.activity = setInterval(() => onMessage({ type: 'activity', host: plan.host, counters: this.counters }), 1000);
    onMessage({ type: 'ready', host: plan.host });
    this.exited = Promise.all(plan.sessions.map((_, i) => this.loop(i))).then(() => ({ exitCode: 0, stderr: '' }));
  }

  private async loop(index: number): Promise<void> {
    const session = this.plan.sessions[index];
    const random = seededRandom(deriveSeed(this.plan.seed, `${index}:${session.kind}`));
    const c = (this.counters[session.kind] ??= { sessions: 0, bytes: 0, failures: 0 });
    await this.pause(random() * Math.min(session.everyMs, 1000));
    while (!this.stopping) {
      const command = remoteSession(session, random, this.plan.address);
      const startMs = Date.now();
      const child = this.host.spawn(command.command, command.args);
      this.running.add(child);
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const { exitCode } = await child.exited;
      this.running.delete(child);
      const result = remoteSessionResult(command, exitCode, stdout);
      // Times are this machine's, bracketing the session (the labels allow slack around flows).
      if (command.flow && result.localPort !== undefined) {
        const id = ++this.flowIds;
        this.onMessage({ type: 'flow-open', id, host: this.plan.host, protocol: command.flow.protocol, localPort: result.localPort, remote: session.target, remotePort: command.flow.remotePort, startMs });
        this.onMessage({ type: 'flow-close', id, endMs: Date.now() });
      }
      if (this.stopping) break;
      c.sessions++;
      c.bytes += result.bytes;
      if (!result.ok) c.failures++;
      await this.pause(nextGapMs(session.kind, session.everyMs, random));
    }
  }

  /** Waits, or less when the agent is stopped meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake.add(done);
    });
  }

  async stop(graceMs = 3000): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      clearInterval(this.activity);
      for (const wake of [...this.wake]) wake();
      await Promise.allSettled([...this.running].map((p) => p.stop(graceMs)));
      this.onMessage({ type: 'final', host: this.plan.host, counters: this.counters });
    }
    await this.exited;
  }
}
