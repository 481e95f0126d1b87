// The hard negatives' schedules, as pure functions of the plan and the seeded PRNG: what each
// round of a generator does and how long it waits before the next. The agent plays them; the
// unit tests check them without a lab.

import type { Random } from '../util/seeded-random.ts';
import type { TrafficKind } from '../scenario/schema.ts';
import { exponential } from './random.ts';
import { P2P_PORT } from './plan.ts';

/** Ports a monitoring agent checks on every host unless the scenario lists its own: open ones and closed ones. */
export const MONITOR_PORTS = [22, 25, 53, 80, 443, 3306, 5432, 6379, 8080, 9100] as const;
/** The port a retrying client keeps trying unless the scenario names one (nothing listens there). */
export const RETRY_PORT = 8080;
/** Connections a browser opens at once to each server, as browsers do per host. */
export const BROWSER_PARALLEL = 6;
/** A p2p host's routing table holds stale entries: this share of queries goes to a port nobody serves. */
export const P2P_STALE_SHARE = 0.125;

/** Kinds that run on a clock (monitoring, retry loops, discovery announcements), not as a Poisson process. */
const PERIODIC: ReadonlySet<TrafficKind> = new Set(['stream', 'monitor', 'retry', 'discovery']);

/** The wait before the next round: periodic kinds keep their period (streams exactly, the others within ±5 %), the rest are Poisson. */
export function nextGapMs(kind: TrafficKind, everyMs: number, random: Random): number {
  if (kind === 'stream') return everyMs;
  if (PERIODIC.has(kind)) return everyMs * (0.95 + 0.1 * random());
  return exponential(random, everyMs);
}

export interface Check {
  readonly target: string;
  readonly port: number;
}

/** One monitoring round: every port on every host, in a seeded order (real pollers interleave hosts). */
export function monitorRound(targets: readonly string[], ports: readonly number[] = MONITOR_PORTS, random: Random): Check[] {
  const checks = targets.flatMap((target) => ports.map((port) => ({ target, port })));
  for (let i = checks.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [checks[i], checks[j]] = [checks[j], checks[i]];
  }
  return checks;
}

export interface Fetch {
  readonly target: string;
  readonly path: string;
}

const RESOURCES = ['/', '/index.html', '/style.css', '/app.js', '/logo.png', '/favicon.ico', '/api/items', '/font.woff2'];

/** One page load: `parallel` connections to each server at once, each fetching one resource (many are 404s, as on a real page's third-party hosts). */
export function browserPage(targets: readonly string[], parallel = BROWSER_PARALLEL, random: Random): Fetch[] {
  return targets.flatMap((target) => Array.from({ length: parallel }, () => ({ target, path: RESOURCES[Math.floor(random() * RESOURCES.length)] })));
}

export interface Datagram {
  readonly target: string;
  readonly port: number;
  readonly size: number;
}

/** One p2p query: a random peer, now and then at a stale port (an ICMP port unreachable comes back). */
export function p2pQuery(peers: readonly string[], random: Random): Datagram {
  const target = peers[Math.floor(random() * peers.length)];
  const stale = random() < P2P_STALE_SHARE;
  return { target, port: stale ? P2P_PORT + 1 + Math.floor(random() * 8) : P2P_PORT, size: 60 + Math.floor(random() * 120) };
}

export interface Lookup {
  readonly resolver: string;
  readonly name: string;
  readonly type: 'A' | 'AAAA';
}

const LABELS = ['www', 'api', 'cdn', 'img', 'static', 'mail', 'auth', 'login', 'metrics', 'ads', 'track', 'video', 'files', 'chat', 'push', 'update'];
const ZONES = ['lab.test', 'lab.test', 'lab.test', 'example.invalid'];

/** One burst of lookups (a page's names, a mail scan, a crawler): 4-20 names, each from its own socket, some for names that do not exist. */
export function dnsBurst(resolvers: readonly string[], random: Random): Lookup[] {
  const count = 4 + Math.floor(random() * 17);
  return Array.from({ length: count }, () => {
    const label = LABELS[Math.floor(random() * LABELS.length)];
    const name = `${label}${Math.floor(random() * 100)}.${ZONES[Math.floor(random() * ZONES.length)]}`;
    return { resolver: resolvers[Math.floor(random() * resolvers.length)], name, type: random() < 0.7 ? 'A' : 'AAAA' };
  });
}

/** A local port from the kernel's default ephemeral range (32768-60999), so the agent knows it before the SYN goes out. */
export function ephemeralPort(random: Random): number {
  return 32768 + Math.floor(random() * (60999 - 32768 + 1));
}
