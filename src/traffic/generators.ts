// Starts one traffic agent per sending or sinking host and keeps their latest activity counters.
// A namespace host runs scanlab's own agent (traffic/agent.ts); an SSH host, whose files are not
// ours, gets sessions of its standard tools played from here (traffic/remote-agent.ts).

import { AgentProcess, agentScript, type AgentMessage } from '../lab/agent-process.ts';
import { RemoteTrafficAgent } from './remote-agent.ts';
import type { Host } from '../lab/host.ts';
import type { AgentPlan } from './plan.ts';
import { RunFailure } from '../errors.ts';

export type ActivityCounters = Record<string, { sessions: number; bytes: number; failures: number }>;

/** A connection or socket a traffic agent opened: ground truth that it is benign. */
export interface BenignFlow {
  readonly host: string;
  readonly protocol: 'tcp' | 'udp';
  readonly localPort: number;
  readonly remote: string;
  readonly remotePort: number;
  readonly startMs: number;
  /** Undefined while open (or when the agent stopped mid-session). */
  endMs?: number;
}

export class TrafficGenerators {
  private readonly agents: (AgentProcess | RemoteTrafficAgent)[] = [];
  readonly activity = new Map<string, ActivityCounters>();
  private readonly flowsById = new Map<string, BenignFlow>();

  get flows(): BenignFlow[] {
    return [...this.flowsById.values()];
  }

  async start(lab: { node(name: string): Host }, plans: Map<string, AgentPlan>, onActivity: (host: string, counters: ActivityCounters) => void): Promise<void> {
    const ready: Promise<void>[] = [];
    for (const plan of plans.values()) {
      let markReady!: () => void;
      ready.push(new Promise((resolve) => (markReady = resolve)));
      const onMessage = (message: AgentMessage) => {
        if (message.type === 'ready') markReady();
        if (message.type === 'flow-open') {
          const { type: _t, id, ...flow } = message;
          this.flowsById.set(`${plan.host}:${id}`, flow as unknown as BenignFlow);
        }
        if (message.type === 'flow-close') {
          const flow = this.flowsById.get(`${plan.host}:${message.id}`);
          if (flow) flow.endMs = message.endMs as number;
        }
        if (message.type === 'activity' || message.type === 'final') {
          const counters = message.counters as ActivityCounters;
          this.activity.set(plan.host, counters);
          onActivity(plan.host, counters);
        }
      };
      const host = lab.node(plan.host);
      const agent = host.sharesFileSystem
        ? new AgentProcess(host, agentScript('traffic/agent.ts'), [Buffer.from(JSON.stringify(plan)).toString('base64')], onMessage)
        : new RemoteTrafficAgent(host, plan, onMessage);
      void agent.exited.then(({ exitCode, stderr }) => {
        if (exitCode !== 0 && exitCode !== undefined) markReady();
        if (exitCode) this.failure = new RunFailure(`traffic agent on ${plan.host} exited with ${exitCode}: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
      });
      this.agents.push(agent);
    }
    await Promise.all(ready);
    if (this.failure) throw this.failure;
  }

  failure: RunFailure | undefined;

  async stop(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.stop(3000)));
  }
}
