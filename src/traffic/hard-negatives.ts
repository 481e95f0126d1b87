// Hard negatives: benign behaviour that a naive detector takes for a scan. One round of each
// kind, played by the traffic agent on the schedule traffic/schedule.ts derives from the seed:
//   monitor    checks each listed port on several hosts (closed ones answer with a RST)
//   retry      one client that keeps connecting to a closed port
//   browser    a page load: many parallel connections to several servers at once
//   p2p        UDP queries to many peers, some at stale ports (ICMP port unreachable)
//   discovery  mDNS and SSDP searches to their multicast groups; every listed host answers
//   dns-heavy  bursts of lookups, each from its own source port, some for names that do not exist
// Every connection or socket is reported to the FlowReporter before its first packet leaves.

import http from 'node:http';
import net from 'node:net';
import dgram from 'node:dgram';
import type { Random } from '../util/seeded-random.ts';
import type { HARD_NEGATIVE_KINDS } from '../scenario/schema.ts';
import type { SessionPlan } from './plan.ts';
import type { FlowReporter } from './flow-reporter.ts';
import { fetch, lookup, type SessionResult } from './sessions.ts';
import { browserPage, dnsBurst, ephemeralPort, monitorRound, p2pQuery, RETRY_PORT } from './schedule.ts';
import { MDNS_GROUP, MDNS_PORT, SSDP_GROUP, SSDP_PORT, mdnsQuery, ssdpSearch } from './discovery-messages.ts';

/** What a round may use besides its plan: the agent's shared sockets and its flow reporter. */
export interface RoundContext {
  readonly address: string;
  readonly flows: FlowReporter;
  /** The host's one p2p socket (bound to P2P_PORT), shared with its responder. */
  readonly p2pSocket: () => dgram.Socket;
  /** The host's mDNS socket (bound to 5353, as mDNS requires). */
  readonly mdnsSocket: () => dgram.Socket;
}

const MONITOR_CONCURRENCY = 8;
const CHECK_TIMEOUT_MS = 2000;

const sum = (results: SessionResult[]): SessionResult => ({ ok: results.every((r) => r.ok), bytes: results.reduce((n, r) => n + r.bytes, 0) });

/**
 * A TCP connect from a local port chosen here (so it is reported before the SYN leaves), closed
 * at once. Open and closed ports are both an answer (ok); only a timeout is a failure.
 */
export function tcpCheck(target: string, port: number, random: Random, flows: FlowReporter, attempts = 5): Promise<SessionResult> {
  return new Promise((resolve) => {
    const localPort = ephemeralPort(random);
    const id = flows.open('tcp', localPort, target, port);
    const socket = net.connect({ host: target, port, localPort, timeout: CHECK_TIMEOUT_MS });
    let settled = false;
    const finish = (result: SessionResult | 'again') => {
      if (settled) return;
      settled = true;
      socket.destroy();
      flows.close(id);
      if (result === 'again') resolve(attempts > 1 ? tcpCheck(target, port, random, flows, attempts - 1) : { ok: false, bytes: 0 });
      else resolve(result);
    };
    socket.once('connect', () => {
      // Read (and drop) a banner, so the server's FIN ends the socket instead of the timeout.
      socket.resume();
      socket.end();
      socket.once('close', () => finish({ ok: true, bytes: 0 }));
    });
    socket.on('timeout', () => finish({ ok: false, bytes: 0 }));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The chosen port is taken (another socket, or TIME_WAIT towards the same peer): no packet left.
      if (error.code === 'EADDRINUSE' || error.code === 'EADDRNOTAVAIL') finish('again');
      else finish({ ok: error.code === 'ECONNREFUSED', bytes: 0 });
    });
  });
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<SessionResult>): Promise<SessionResult[]> {
  const results: SessionResult[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

async function monitor(plan: SessionPlan, random: Random, ctx: RoundContext): Promise<SessionResult> {
  const checks = monitorRound(plan.targets, plan.ports, random);
  return sum(await inBatches(checks, MONITOR_CONCURRENCY, (c) => tcpCheck(c.target, c.port, random, ctx.flows)));
}

function retry(plan: SessionPlan, random: Random, ctx: RoundContext): Promise<SessionResult> {
  return tcpCheck(plan.target, plan.ports?.[0] ?? RETRY_PORT, random, ctx.flows);
}

async function browser(plan: SessionPlan, random: Random, ctx: RoundContext): Promise<SessionResult> {
  const fetches = browserPage(plan.targets, plan.parallel, random);
  const results = await Promise.all(
    fetches.map(async ({ target, path }) => {
      let id: number | undefined;
      const result = await fetch(http, `http://${target}${path}`, (localPort) => (id = ctx.flows.open('tcp', localPort, target, 80)));
      if (id !== undefined) ctx.flows.close(id);
      return result;
    }),
  );
  return sum(results);
}

/** p2p peers already reported on the shared socket: one long flow per peer and port. */
const p2pFlows = new Set<string>();

function p2p(plan: SessionPlan, random: Random, ctx: RoundContext): Promise<SessionResult> {
  const query = p2pQuery(plan.targets, random);
  const socket = ctx.p2pSocket();
  const key = `${query.target}:${query.port}`;
  if (!p2pFlows.has(key)) {
    p2pFlows.add(key);
    ctx.flows.open('udp', socket.address().port, query.target, query.port);
  }
  const payload = Buffer.alloc(query.size, 0x20);
  payload.write(`d1:ad2:id20:${Math.floor(random() * 1e12).toString(36).padEnd(20, 'x')}e1:q9:find_node1:y1:qe`, 'ascii');
  return new Promise((resolve) => socket.send(payload, query.port, query.target, (error) => resolve({ ok: !error, bytes: payload.length })));
}

let mdnsReported = false;

async function discovery(_plan: SessionPlan, _random: Random, ctx: RoundContext): Promise<SessionResult> {
  // mDNS: one query from port 5353 to the group; the answers go to the group too.
  const mdns = ctx.mdnsSocket();
  if (!mdnsReported) {
    mdnsReported = true;
    ctx.flows.open('udp', MDNS_PORT, MDNS_GROUP, MDNS_PORT);
  }
  const query = mdnsQuery();
  await new Promise<void>((resolve) => mdns.send(query, MDNS_PORT, MDNS_GROUP, () => resolve()));
  // SSDP: a search from a fresh port; devices answer to it by unicast within MX (1 s).
  const search = ssdpSearch();
  const bytes = await new Promise<number>((resolve) => {
    const socket = dgram.createSocket('udp4');
    let received = 0;
    let id: number | undefined;
    socket.on('message', (m) => (received += m.length));
    socket.on('error', () => undefined);
    socket.bind(0, () => {
      socket.setMulticastInterface(ctx.address);
      socket.setMulticastLoopback(false);
      id = ctx.flows.open('udp', socket.address().port, SSDP_GROUP, SSDP_PORT);
      socket.send(search, SSDP_PORT, SSDP_GROUP);
      setTimeout(() => {
        socket.close();
        if (id !== undefined) ctx.flows.close(id);
        resolve(received);
      }, 1500);
    });
  });
  return { ok: true, bytes: query.length + search.length + bytes };
}

async function dnsHeavy(plan: SessionPlan, random: Random, ctx: RoundContext): Promise<SessionResult> {
  const burst = dnsBurst(plan.targets, random);
  const ids = burst.map(() => Math.floor(random() * 65536));
  const results = await Promise.all(
    burst.map(async (l, i) => {
      // A resolver library staggers a page's lookups by a few milliseconds.
      await new Promise((r) => setTimeout(r, i * 5));
      let id: number | undefined;
      const result = await lookup(l.resolver, l.name, l.type, ids[i], (localPort) => (id = ctx.flows.open('udp', localPort, l.resolver, 53)));
      if (id !== undefined) ctx.flows.close(id);
      return result;
    }),
  );
  // A name that does not exist is an answer too; only silence is a failure.
  return sum(results);
}

export type HardNegativeKind = (typeof HARD_NEGATIVE_KINDS)[number];

export const ROUNDS: Record<HardNegativeKind, (plan: SessionPlan, random: Random, ctx: RoundContext) => Promise<SessionResult>> = {
  monitor,
  retry,
  browser,
  p2p,
  discovery,
  'dns-heavy': dnsHeavy,
};
