// What one host's traffic agent does: its sessions (from the scenario's traffic entries where it
// is the sender) and the UDP sinks and responders it serves. Built by the engine, passed to the
// agent as JSON.

import { trafficTargets, type TrafficSpec } from '../scenario/schema.ts';
import { deriveSeed } from './random.ts';

export const STREAM_PORT = 5004;
/** The UDP port p2p peers listen on (BitTorrent's DHT default). */
export const P2P_PORT = 6881;

/** Services a host's agent answers for other hosts' hard-negative traffic. */
export type Responder = 'p2p' | 'mdns' | 'ssdp';

export interface SessionPlan {
  readonly kind: TrafficSpec['kind'];
  /** The first target's address (the only one for single-target kinds). */
  readonly target: string;
  /** Every target's address, in the file's order. */
  readonly targets: readonly string[];
  readonly everyMs: number;
  readonly size?: number;
  readonly ports?: readonly number[];
  readonly parallel?: number;
}

export interface AgentPlan {
  readonly host: string;
  /** The host's own lab address (multicast goes out of this interface). */
  readonly address: string;
  readonly seed: number;
  readonly sessions: SessionPlan[];
  /** UDP ports this host receives streams on. */
  readonly sinks: number[];
  readonly responders: Responder[];
  /** Private key for ssh sessions. */
  readonly sshKey?: string;
}

export function buildAgentPlans(
  traffic: readonly TrafficSpec[],
  addressOf: (host: string) => string,
  seed: number,
  sshKey: string,
  /** A host's IPv6 address, for traffic entries with ipv6: true. */
  address6Of: (host: string) => string | undefined = () => undefined,
): Map<string, AgentPlan> {
  const plans = new Map<string, AgentPlan>();
  const planFor = (host: string) => {
    let plan = plans.get(host);
    if (!plan) {
      plan = { host, address: addressOf(host), seed: deriveSeed(seed, host), sessions: [], sinks: [], responders: [], sshKey };
      plans.set(host, plan);
    }
    return plan;
  };
  const serve = (host: string, responder: Responder) => {
    const plan = planFor(host);
    if (!plan.responders.includes(responder)) plan.responders.push(responder);
  };
  for (const t of traffic) {
    const targets = trafficTargets(t).map((name) => (t.ipv6 ? address6Of(name) ?? '' : addressOf(name)));
    planFor(t.from).sessions.push({ kind: t.kind, target: targets[0], targets, everyMs: t.every, size: t.size, ports: t.ports, parallel: t.parallel });
    if (t.kind === 'stream') {
      const sink = planFor(trafficTargets(t)[0]);
      if (!sink.sinks.includes(STREAM_PORT)) sink.sinks.push(STREAM_PORT);
    }
    if (t.kind === 'p2p') for (const peer of trafficTargets(t)) serve(peer, 'p2p');
    if (t.kind === 'discovery') {
      for (const host of trafficTargets(t)) {
        serve(host, 'mdns');
        serve(host, 'ssdp');
      }
    }
  }
  return plans;
}
