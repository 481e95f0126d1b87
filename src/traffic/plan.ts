// What one host's traffic agent does: its sessions (from the scenario's traffic entries where it
// is the sender) and the UDP sinks it serves. Built by the engine, passed to the agent as JSON.

import type { TrafficSpec } from '../scenario/schema.ts';
import { deriveSeed } from './random.ts';

export const STREAM_PORT = 5004;

export interface SessionPlan {
  readonly kind: TrafficSpec['kind'];
  readonly target: string;
  readonly everyMs: number;
  readonly size?: number;
}

export interface AgentPlan {
  readonly host: string;
  readonly seed: number;
  readonly sessions: SessionPlan[];
  /** UDP ports this host receives streams on. */
  readonly sinks: number[];
  /** Private key for ssh sessions. */
  readonly sshKey?: string;
}

export function buildAgentPlans(
  traffic: readonly TrafficSpec[],
  addressOf: (host: string) => string,
  seed: number,
  sshKey: string,
): Map<string, AgentPlan> {
  const plans = new Map<string, { host: string; seed: number; sessions: SessionPlan[]; sinks: number[]; sshKey: string }>();
  const planFor = (host: string) => {
    let plan = plans.get(host);
    if (!plan) {
      plan = { host, seed: deriveSeed(seed, host), sessions: [], sinks: [], sshKey };
      plans.set(host, plan);
    }
    return plan;
  };
  for (const t of traffic) {
    planFor(t.from).sessions.push({ kind: t.kind, target: addressOf(t.to), everyMs: t.every, size: t.size });
    if (t.kind === 'stream') {
      const sink = planFor(t.to);
      if (!sink.sinks.includes(STREAM_PORT)) sink.sinks.push(STREAM_PORT);
    }
  }
  return plans;
}
