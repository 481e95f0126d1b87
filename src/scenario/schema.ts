// The scenario file's schema: what a user may write, with defaults filled in. Unknown fields are
// errors (a typo must not silently change an experiment). Validated once here, trusted after.

import { z } from 'zod';
import { parseDuration, parseSize } from './duration.ts';
import { fakeRangeProblem } from '../anonymize/fake-range.ts';
import { parseCidr } from '../util/address-text.ts';
import { parseScopeRange } from '../lab/scope.ts';

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value * 1000 : parseDuration(value);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration: write e.g. 500ms, 5s, 2m` });
    return z.NEVER;
  }
  return ms;
});

const size = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = typeof value === 'number' ? value : parseSize(value);
  if (bytes === undefined || bytes < 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size: write e.g. 400, 64KB, 2MB` });
    return z.NEVER;
  }
  return bytes;
});

/** A CIDR range of one address family, as the anonymizer takes it (--fake-v4 / --fake-v6). */
const cidr = (family: 4 | 6, example: string) =>
  z.string().superRefine((text, ctx) => {
    // Non-public, outside the classes the mapper keeps: what the data card promises (fake-range.ts).
    const problem = fakeRangeProblem(text, family);
    if (problem) ctx.addIssue({ code: 'custom', message: `${text}: ${problem}; write e.g. ${example}` });
  });

const hostName = z
  .string()
  .regex(/^[a-z][a-z0-9]{0,11}$/, 'a host name is 1-12 lower-case letters or digits, starting with a letter');

export const SERVICES = ['http', 'https', 'ssh', 'dns', 'udp-sink'] as const;
export const ROLES = ['victim', 'attacker', 'server', 'client'] as const;

const host = z.strictObject({
  name: hostName,
  role: z.enum(ROLES),
  services: z.array(z.enum(SERVICES)).default([]),
  /** Kernel settings inside the host's namespace, e.g. net.ipv4.icmp_ratelimit: 0. */
  sysctls: z.record(z.string().regex(/^net\.[a-z0-9_.]+$/, 'only net.* sysctls exist inside a namespace'), z.union([z.string(), z.number()])).default({}),
  /** SSH labs: how to log in, user@host or a Host alias of the ssh config. */
  ssh: z.string().regex(/^(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9._:\[\]-]+$/, 'write ssh: user@host (or a Host alias of your ssh config)').optional(),
  /** SSH labs: the host's lab interface, captured and scanned from. */
  interface: z.string().regex(/^[A-Za-z0-9_.:@-]{1,15}$/, 'an interface name, e.g. eth0 or enp0s8').optional(),
});

/** Where the hosts are: namespaces on this machine (the default) or real machines over SSH. */
const labKinds = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('netns'),
    /** Hosts get an IPv6 address from 2001:2::/48 besides their IPv4 one (lab/addresses.ts). */
    ipv6: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal('ssh'),
    /** What the lab's owner allows scanning: CIDR ranges or addresses. */
    scope: z.array(z.string().refine((text) => parseScopeRange(text) !== undefined, { message: 'not a CIDR range or address: write e.g. 192.168.56.0/24' })).min(1),
    /** An ssh config file used instead of ~/.ssh/config (ssh -F), relative to the scenario file. */
    sshConfig: z.string().min(1).optional(),
    /** Warn when a host's clock is further off this machine's than this. */
    maxClockOffset: duration.default(100),
  }),
]);
/** `lab: { ipv6: true }` without a kind is a namespace lab, the default kind. */
const lab = z.preprocess((value) => (value !== null && typeof value === 'object' && !Array.isArray(value) && !('kind' in value) ? { kind: 'netns', ...value } : value), labKinds);

/** Ordinary sessions, one peer each. */
export const BASIC_KINDS = ['web', 'tls', 'dns', 'bulk', 'stream', 'ping', 'ssh'] as const;
/** Hard negatives: benign behaviour that looks like scanning (src/traffic/hard-negatives.ts). */
export const HARD_NEGATIVE_KINDS = ['monitor', 'retry', 'browser', 'p2p', 'discovery', 'dns-heavy'] as const;
export const TRAFFIC_KINDS = [...BASIC_KINDS, ...HARD_NEGATIVE_KINDS] as const;

const port = z.number().int().min(1).max(65535);

const traffic = z.strictObject({
  kind: z.enum(TRAFFIC_KINDS),
  from: hostName,
  /** One host, or (monitor, browser, p2p, discovery, dns-heavy) a list of hosts. */
  to: z.union([hostName, z.array(hostName).min(1).max(64)]),
  /** Mean time between two sessions (jittered by the seed); for `stream`, between datagrams. */
  every: duration.default(1000),
  /** Bytes per bulk transfer or per stream datagram. */
  size: size.optional(),
  /** monitor: the ports checked on each host (closed ones included); retry: the one port retried. */
  ports: z.array(port).min(1).max(100).optional(),
  /** browser: connections opened at once to each server per page load. */
  parallel: z.number().int().min(1).max(32).optional(),
  /** Talk to the targets' IPv6 addresses (a lab with ipv6: true; web, tls, bulk, dns, ping, ssh). */
  ipv6: z.boolean().optional(),
});

const attack = z.strictObject({
  /** Step name: used for attack/<name>.xml and the label's step column. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a step name is lower-case letters, digits and dashes, e.g. syn-scan'),
  /** The attacking host; defaults to the scenario's attacker. */
  from: hostName.optional(),
  /** Target hosts by name; scanlab puts their lab addresses on nmap's command line. */
  targets: z.array(hostName).min(1),
  /** Lab hosts whose addresses nmap spoofs as decoys (-D); scanlab adds -D <addresses>,ME. */
  decoys: z.array(hostName).default([]),
  /** nmap options without targets, e.g. "-sS -p 1-1000 -T4". */
  nmap: z.string().min(1),
  /** Hard stop for this step. */
  timeout: duration.default(120_000),
  /** Pause before the step starts (benign traffic goes on). */
  pause: duration.default(0),
  /** Start together with the step before it (a distributed scan from several hosts), not after it. */
  concurrent: z.boolean().default(false),
});

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a scenario name is lower-case letters, digits and dashes'),
  description: z.string().min(1),
  seed: z.number().int().nonnegative().default(1),
  /** Benign traffic before the first attack step. */
  warmup: duration.default(5000),
  /** Benign traffic after the last attack step. */
  cooldown: duration.default(3000),
  lab: lab.default({ kind: 'netns' }),
  hosts: z.array(host).min(1),
  traffic: z.array(traffic).default([]),
  attacks: z.array(attack).default([]),
  capture: z
    .strictObject({
      snaplen: z.number().int().min(64).max(262144).default(262144),
      /** libpcap buffer, MiB: large enough that a 20,000 pps scan drops nothing. */
      bufferMiB: z.number().int().min(1).max(1024).default(64),
    })
    .default({ snaplen: 262144, bufferMiB: 64 }),
  anonymize: z
    .strictObject({
      mode: z.enum(['faker', 'prefix']).default('faker'),
      keepPayload: z.boolean().default(false),
      /** faker mode: the ranges fake addresses come from (defaults 10.0.0.0/8 and fd00::/8). */
      fakeV4: cidr(4, '100.64.0.0/10').optional(),
      fakeV6: cidr(6, 'fd00::/8').optional(),
    })
    .default({ mode: 'faker', keepPayload: false }),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type HostSpec = ParsedScenario['hosts'][number];
export type TrafficSpec = ParsedScenario['traffic'][number];
export type TrafficKind = TrafficSpec['kind'];

/** The hosts a traffic entry talks to, as a list whatever way the file wrote them. */
export function trafficTargets(t: Pick<TrafficSpec, 'to'>): string[] {
  return typeof t.to === 'string' ? [t.to] : t.to;
}
export type AttackSpec = ParsedScenario['attacks'][number];
export type LabSpec = ParsedScenario['lab'];
export type Service = (typeof SERVICES)[number];
