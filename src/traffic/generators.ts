// Starts one traffic agent per sending or sinking host and keeps their latest activity counters.

import { AgentProcess, agentScript } from '../lab/agent-process.ts';
import type { Lab } from '../lab/lab.ts';
import type { AgentPlan } from './plan.ts';
import { RunFailure } from '../errors.ts';

export type ActivityCounters = Record<string, { sessions: number; bytes: number; failures: number }>;

export class TrafficGenerators {
  private readonly agents: AgentProcess[] = [];
  readonly activity = new Map<string, ActivityCounters>();

  async start(lab: Lab, plans: Map<string, AgentPlan>, onActivity: (host: string, counters: ActivityCounters) => void): Promise<void> {
    const ready: Promise<void>[] = [];
    for (const plan of plans.values()) {
      let markReady!: () => void;
      ready.push(new Promise((resolve) => (markReady = resolve)));
      const agent = new AgentProcess(lab.node(plan.host), agentScript('traffic/agent.ts'), [Buffer.from(JSON.stringify(plan)).toString('base64')], (message) => {
        if (message.type === 'ready') markReady();
        if (message.type === 'activity' || message.type === 'final') {
          const counters = message.counters as ActivityCounters;
          this.activity.set(plan.host, counters);
          onActivity(plan.host, counters);
        }
      });
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
