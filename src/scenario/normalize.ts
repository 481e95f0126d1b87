// Cross-field checks and derived values: host addresses, who attacks whom, the complete
// Scenario the rest of scanlab trusts. Checks owned by other modules (the nmap scope guard)
// are delegated to them.

import { UserError } from '../errors.ts';
import { trafficTargets, type ParsedScenario, type HostSpec, type AttackSpec, type TrafficSpec } from './schema.ts';
import { labAddress, labAddress6 } from '../lab/addresses.ts';
import { checkNmapArguments, isIpv6Scan } from '../attack/nmap-args.ts';
import { SWITCH_HOST } from '../lab/naming.ts';
import { REMOTE_TRAFFIC_TOOLS, remoteKindsText } from '../traffic/remote-sessions.ts';

export interface LabHost extends HostSpec {
  /** IPv4 address inside 198.18.0.0/15. */
  readonly address: string;
  /** IPv6 address inside 2001:2::/48, when the lab has ipv6: true. */
  readonly address6?: string;
}

export interface Scenario extends Omit<ParsedScenario, 'hosts' | 'attacks'> {
  readonly hosts: LabHost[];
  /** Steps with the attacking host resolved. */
  readonly attacks: (AttackSpec & { readonly from: string })[];
  readonly victim: LabHost;
}

export function normalizeScenario(parsed: ParsedScenario, where: (path: (string | number)[]) => string): Scenario {
  const names = new Set<string>();
  parsed.hosts.forEach((host, i) => {
    if (host.name === SWITCH_HOST) throw new UserError(`${where(['hosts', i, 'name'])}: "${SWITCH_HOST}" is the name of the lab's own switch`, 'pick another host name');
    if (names.has(host.name)) throw new UserError(`${where(['hosts', i, 'name'])}: host "${host.name}" is declared twice`, 'give each host its own name');
    names.add(host.name);
  });
  if (parsed.hosts.length > 200) throw new UserError(`${where(['hosts'])}: ${parsed.hosts.length} hosts; a lab holds at most 200`);
  const victims = parsed.hosts.filter((h) => h.role === 'victim');
  if (victims.length === 0) throw new UserError(`${where(['hosts'])}: no host has role: victim`, 'the capture runs on the victim: mark one host role: victim');
  checkLabKind(parsed, where);
  // An SSH host's address is its interface's, read when scanlab connects (lab/ssh-lab.ts).
  const ipv6 = parsed.lab.kind === 'netns' && parsed.lab.ipv6 === true;
  const hosts: LabHost[] = parsed.hosts.map((host, i) => ({ ...host, address: parsed.lab.kind === 'ssh' ? '' : labAddress(i), ...(ipv6 ? { address6: labAddress6(i) } : {}) }));
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const mustExist = (name: string, path: (string | number)[]) => {
    if (!byName.has(name)) throw new UserError(`${where(path)}: no host is named "${name}"`, `declared hosts: ${[...names].join(', ')}`);
  };
  parsed.traffic.forEach((t, i) => {
    mustExist(t.from, ['traffic', i, 'from']);
    const targets = trafficTargets(t);
    targets.forEach((name, j) => mustExist(name, typeof t.to === 'string' ? ['traffic', i, 'to'] : ['traffic', i, 'to', j]));
    if (targets.includes(t.from)) throw new UserError(`${where(['traffic', i])}: traffic from ${t.from} to itself never reaches the wire`, 'pick two different hosts');
    checkTrafficOptions(t, (path) => where(['traffic', i, ...path]));
    if (t.ipv6 && !ipv6) throw new UserError(`${where(['traffic', i, 'ipv6'])}: ${t.kind} traffic over IPv6, but the lab's hosts have no IPv6 addresses`, 'add lab: { ipv6: true } at the top');
    if (t.ipv6 && !IPV6_KINDS.has(t.kind)) throw new UserError(`${where(['traffic', i, 'ipv6'])}: ${t.kind} traffic runs over IPv4 only`, `IPv6 traffic is ${[...IPV6_KINDS].join(', ')}`);
  });
  const attacker = hosts.find((h) => h.role === 'attacker');
  const steps = new Set<string>();
  const attacks = parsed.attacks.map((step, i) => {
    if (steps.has(step.name)) throw new UserError(`${where(['attacks', i, 'name'])}: step "${step.name}" is declared twice`, 'step names name files in attack/: make them unique');
    steps.add(step.name);
    const from = step.from ?? attacker?.name;
    if (!from) throw new UserError(`${where(['attacks', i])}: no host has role: attacker to run this step`, 'add a host with role: attacker, or set from:');
    mustExist(from, ['attacks', i, 'from']);
    step.targets.forEach((t, j) => mustExist(t, ['attacks', i, 'targets', j]));
    step.decoys.forEach((d, j) => mustExist(d, ['attacks', i, 'decoys', j]));
    if (step.decoys.length > 0 && /(^|\s)-D/.test(step.nmap)) {
      throw new UserError(`${where(['attacks', i, 'nmap'])}: decoys are given twice (decoys: and -D)`, 'name decoy hosts under decoys: only');
    }
    if (isIpv6Scan(step.nmap) && !ipv6) {
      throw new UserError(`${where(['attacks', i, 'nmap'])}: nmap -6 scans IPv6 addresses, but the lab's hosts have none`, 'add lab: { ipv6: true } at the top (namespace labs only)');
    }
    try {
      // SSH hosts' addresses are known once connected: the guard runs again then (attack/nmap.ts).
      checkNmapArguments(step.nmap, new Set(hosts.flatMap((h) => [h.address, h.address6 ?? '']).filter(Boolean)));
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`${where(['attacks', i, 'nmap'])}: ${error.message}`, error.hint);
      throw error;
    }
    return { ...step, from };
  });
  // Concurrent steps run side by side; labels tell their probes apart by the host that sent them.
  attacks.forEach((step, i) => {
    if (!step.concurrent) return;
    if (i === 0) throw new UserError(`${where(['attacks', i, 'concurrent'])}: the first step has no step before it to run with`, 'remove concurrent: from the first step');
    let first = i;
    while (attacks[first].concurrent) first--;
    const clash = attacks.slice(first, i).find((other) => other.from === step.from);
    if (clash) throw new UserError(`${where(['attacks', i, 'concurrent'])}: step ${step.name} runs from ${step.from} at the same time as step ${clash.name} from the same host`, 'concurrent steps come from different hosts (give each its own from:)');
  });
  // Exact labels know an attacking host's benign connections by their local ports; ping and ssh
  // run as separate programs whose packets cannot be told from the attack's.
  const attacking = new Set(attacks.map((a) => a.from));
  parsed.traffic.forEach((t, i) => {
    if (attacking.has(t.from) && (t.kind === 'ping' || t.kind === 'ssh')) {
      throw new UserError(`${where(['traffic', i, 'kind'])}: ${t.kind} traffic from ${t.from}, which also attacks, cannot be labelled apart from its scans`, 'give an attacking host web, tls, dns, bulk, stream, monitor, retry, browser or dns-heavy traffic only');
    }
    // Multicast group joins (IGMP) and a peer's ICMP errors come from the kernel, not an agent.
    const involved = t.kind === 'discovery' || t.kind === 'p2p' ? [t.from, ...trafficTargets(t)] : [];
    const attacker = involved.find((h) => attacking.has(h));
    if (attacker) {
      throw new UserError(`${where(['traffic', i])}: ${t.kind} traffic involves ${attacker}, which also attacks; its kernel's packets (IGMP joins, ICMP errors) cannot be labelled apart from its scans`, 'leave attacking hosts out of discovery and p2p traffic');
    }
  });
  return { ...parsed, hosts, victim: byName.get(victims[0].name)!, attacks };
}

/** What each kind of lab needs of its hosts, and what only a namespace lab can do. */
function checkLabKind(parsed: ParsedScenario, where: (path: (string | number)[]) => string): void {
  const ssh = parsed.lab.kind === 'ssh';
  parsed.hosts.forEach((host, i) => {
    if (!ssh) {
      if (host.ssh !== undefined || host.interface !== undefined) {
        throw new UserError(`${where(['hosts', i, host.ssh !== undefined ? 'ssh' : 'interface'])}: host ${host.name} has ${host.ssh !== undefined ? 'ssh:' : 'interface:'}, but the lab is made of namespaces`, 'for real machines, add lab: { kind: ssh, scope: [CIDR...] } at the top');
      }
      return;
    }
    if (host.ssh === undefined) throw new UserError(`${where(['hosts', i])}: host ${host.name} has no ssh: (an SSH lab logs into every host)`, 'add ssh: user@host');
    if (host.interface === undefined) throw new UserError(`${where(['hosts', i])}: host ${host.name} has no interface: (the lab interface to capture on)`, 'add interface: eth0 (see ip link on the host)');
    if (host.services.length > 0) throw new UserError(`${where(['hosts', i, 'services'])}: scanlab starts services only in namespace labs`, 'on a real machine, run the services yourself and remove services:');
    if (Object.keys(host.sysctls).length > 0) throw new UserError(`${where(['hosts', i, 'sysctls'])}: scanlab sets sysctls only in namespace labs`, 'set them on the machine yourself and remove sysctls:');
  });
  // On real machines scanlab's own agent does not run: only the kinds a standard tool there makes.
  if (ssh) {
    parsed.traffic.forEach((t, i) => {
      if (REMOTE_TRAFFIC_TOOLS[t.kind] === undefined) {
        throw new UserError(`${where(['traffic', i, 'kind'])}: ${t.kind} traffic needs scanlab's own agent, which runs only in namespace labs`, `in an SSH lab scanlab generates ${remoteKindsText()} traffic with the host's own tools; besides that, it captures whatever the machines do`);
      }
    });
  }
}

/** Kinds whose clients also speak IPv6 (traffic/sessions.ts); the others stay IPv4. */
const IPV6_KINDS = new Set(['web', 'tls', 'bulk', 'dns', 'ping', 'ssh']);

/** Kinds that talk to a list of hosts; every other kind takes one host in `to`. */
const MULTI_TARGET_KINDS = new Set(['monitor', 'browser', 'p2p', 'discovery', 'dns-heavy']);

/** Options that only some kinds take: refused elsewhere, so a typo cannot pass unnoticed. */
function checkTrafficOptions(t: TrafficSpec, where: (path: (string | number)[]) => string): void {
  if (typeof t.to !== 'string' && !MULTI_TARGET_KINDS.has(t.kind)) {
    throw new UserError(`${where(['to'])}: ${t.kind} traffic goes to one host, not a list`, `a list of hosts is for ${[...MULTI_TARGET_KINDS].join(', ')}`);
  }
  if (t.ports !== undefined && t.kind !== 'monitor' && t.kind !== 'retry') {
    throw new UserError(`${where(['ports'])}: ${t.kind} traffic takes no ports`, 'ports: is for monitor (ports checked on each host) and retry (the port retried)');
  }
  if (t.kind === 'retry' && t.ports !== undefined && t.ports.length !== 1) {
    throw new UserError(`${where(['ports'])}: retry traffic retries one port, not ${t.ports.length}`, 'write e.g. ports: [8080]');
  }
  if (t.parallel !== undefined && t.kind !== 'browser') {
    throw new UserError(`${where(['parallel'])}: ${t.kind} traffic takes no parallel`, 'parallel: is for browser traffic');
  }
}
