// The hard negatives' schedules: what each round does and when the next one comes, from the seed
// alone (the agent in the lab plays exactly these; test/e2e/scenarios.test.ts runs them for real).

import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../src/util/seeded-random.ts';
import { browserPage, dnsBurst, ephemeralPort, monitorRound, MONITOR_PORTS, nextGapMs, p2pQuery, P2P_STALE_SHARE } from '../../src/traffic/schedule.ts';
import { buildAgentPlans, P2P_PORT } from '../../src/traffic/plan.ts';
import { mdnsAnswer, mdnsQuery, isMdnsQuery, isSsdpSearch, ssdpReply, ssdpSearch } from '../../src/traffic/discovery-messages.ts';
import { parseScenario } from '../../src/scenario/load.ts';

const HOSTS = ['198.18.0.10', '198.18.0.11', '198.18.0.12'];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('monitor rounds', () => {
  test('each round checks every listed port on every host exactly once', () => {
    // Given three hosts and the default port list, When five rounds are drawn
    const random = seededRandom(7);
    for (let round = 0; round < 5; round++) {
      const checks = monitorRound(HOSTS, undefined, random);
      // Then each (host, port) pair appears once: closed ports are checked like open ones
      expect(checks).toHaveLength(HOSTS.length * MONITOR_PORTS.length);
      expect(new Set(checks.map((c) => `${c.target}:${c.port}`)).size).toBe(checks.length);
    }
  });

  test('the order interleaves hosts and is the same for the same seed', () => {
    const a = monitorRound(HOSTS, [22, 80, 443, 3306], seededRandom(3));
    const b = monitorRound(HOSTS, [22, 80, 443, 3306], seededRandom(3));
    const c = monitorRound(HOSTS, [22, 80, 443, 3306], seededRandom(4));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // Not host by host: some neighbouring checks go to different hosts
    expect(a.some((check, i) => i > 0 && check.target !== a[i - 1].target)).toBe(true);
    expect(a.slice(0, 4).every((check) => check.target === a[0].target) && a.slice(4, 8).every((check) => check.target === a[4].target)).toBe(false);
  });
});

describe('gaps between rounds', () => {
  test.each(['monitor', 'retry', 'discovery'] as const)('%s keeps its period within 5 %%', (kind) => {
    const random = seededRandom(11);
    const gaps = Array.from({ length: 2000 }, () => nextGapMs(kind, 5000, random));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(4750);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(5250);
  });

  test.each(['browser', 'p2p', 'dns-heavy', 'web'] as const)('%s arrives as a Poisson process with the given mean', (kind) => {
    const random = seededRandom(12);
    const gaps = Array.from({ length: 20000 }, () => nextGapMs(kind, 1000, random));
    // An exponential distribution: mean = standard deviation = the given mean
    const m = mean(gaps);
    const sd = Math.sqrt(mean(gaps.map((g) => (g - m) ** 2)));
    expect(m).toBeGreaterThan(950);
    expect(m).toBeLessThan(1050);
    expect(sd / m).toBeGreaterThan(0.9);
    expect(sd / m).toBeLessThan(1.1);
  });

  test('a stream sends on an exact clock', () => {
    expect(nextGapMs('stream', 40, seededRandom(1))).toBe(40);
  });
});

describe('browser, p2p and dns-heavy rounds', () => {
  test('a page load opens `parallel` connections to each server', () => {
    const page = browserPage(HOSTS, 6, seededRandom(5));
    expect(page).toHaveLength(18);
    for (const host of HOSTS) expect(page.filter((f) => f.target === host)).toHaveLength(6);
  });

  test('p2p queries reach every peer, and about one in eight goes to a stale port', () => {
    const random = seededRandom(9);
    const queries = Array.from({ length: 8000 }, () => p2pQuery(HOSTS, random));
    for (const host of HOSTS) expect(queries.filter((q) => q.target === host).length).toBeGreaterThan(2400);
    const stale = queries.filter((q) => q.port !== P2P_PORT);
    expect(stale.length / queries.length).toBeGreaterThan(P2P_STALE_SHARE * 0.85);
    expect(stale.length / queries.length).toBeLessThan(P2P_STALE_SHARE * 1.15);
    expect(stale.every((q) => q.port > P2P_PORT && q.port <= P2P_PORT + 8)).toBe(true);
  });

  test('a DNS burst holds 4 to 20 lookups, some for names outside the lab zone', () => {
    const random = seededRandom(13);
    const bursts = Array.from({ length: 300 }, () => dnsBurst(HOSTS.slice(0, 2), random));
    expect(Math.min(...bursts.map((b) => b.length))).toBe(4);
    expect(Math.max(...bursts.map((b) => b.length))).toBe(20);
    const lookups = bursts.flat();
    expect(lookups.some((l) => l.name.endsWith('.invalid'))).toBe(true);
    expect(lookups.some((l) => l.name.endsWith('.lab.test'))).toBe(true);
    expect(new Set(lookups.map((l) => l.resolver)).size).toBe(2);
  });

  test('local ports come from the kernel\'s ephemeral range', () => {
    const random = seededRandom(2);
    const ports = Array.from({ length: 10000 }, () => ephemeralPort(random));
    expect(Math.min(...ports)).toBeGreaterThanOrEqual(32768);
    expect(Math.max(...ports)).toBeLessThanOrEqual(60999);
  });
});

describe('agent plans for the hard negatives', () => {
  const scenario = parseScenario(
    `name: t
description: hard negatives
hosts:
  - { name: victim, role: victim, services: [http, dns] }
  - { name: a, role: client }
  - { name: b, role: client }
  - { name: c, role: client }
traffic:
  - { kind: monitor, from: a, to: [victim, b], ports: [22, 80, 3306] }
  - { kind: p2p, from: victim, to: [b, c] }
  - { kind: discovery, from: c, to: [victim, a] }
`,
    't.yaml',
  );
  const plans = buildAgentPlans(scenario.traffic, (name) => scenario.hosts.find((h) => h.name === name)!.address, 1, 'key');

  test('a multi-host entry keeps every target and its options', () => {
    const monitor = plans.get('a')!.sessions[0];
    expect(monitor.targets).toEqual(['198.18.0.10', '198.18.0.12']);
    expect(monitor.ports).toEqual([22, 80, 3306]);
  });

  test('p2p peers and discoverable hosts get responders; the sender does not answer itself', () => {
    expect(plans.get('b')!.responders).toEqual(['p2p']);
    expect(plans.get('c')!.responders).toEqual(['p2p']);
    expect(plans.get('victim')!.responders).toEqual(['mdns', 'ssdp']);
    expect(plans.get('a')!.responders).toEqual(['mdns', 'ssdp']);
  });
});

describe('discovery messages', () => {
  test('tshark-compatible mDNS and SSDP shapes', () => {
    expect(isMdnsQuery(mdnsQuery())).toBe(true);
    expect(isMdnsQuery(mdnsAnswer('tv'))).toBe(false);
    expect(isSsdpSearch(ssdpSearch())).toBe(true);
    expect(isSsdpSearch(ssdpReply('tv'))).toBe(false);
    // Names, never addresses: a kept payload leaks nothing the anonymizer does not rewrite
    expect(ssdpReply('tv').toString()).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
  });
});
