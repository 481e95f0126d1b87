// One whole run: lab up, capture, benign traffic, attack steps, lab down (always), then the
// offline phases over the run directory. Emits typed events; never prints.

import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { findLeftLabs, Lab, leftLabsMessage } from '../lab/lab.ts';
import { SshLab } from '../lab/ssh-lab.ts';
import { sshSettings } from '../lab/ssh-settings.ts';
import type { Host } from '../lab/host.ts';
import { runOffset, type ClockOffset } from '../lab/clock.ts';
import { startServices, makeSshClientKey } from '../lab/services.ts';
import { checkPrerequisites } from '../lab/prerequisites.ts';
import { startCapture, type CaptureSession, type CaptureStats } from '../capture/session.ts';
import { repairCapture } from '../capture/repair.ts';
import { TrafficGenerators } from '../traffic/generators.ts';
import { buildAgentPlans } from '../traffic/plan.ts';
import { runNmapStep, type AttackResult } from '../attack/nmap.ts';
import { isIpv6Scan } from '../attack/nmap-args.ts';
import { labelRun, type LabelRunInput } from '../label/label-run.ts';
import type { ExactLabelReport, StepWindow } from '../label/exact.ts';
import { labMac } from '../lab/addresses.ts';
import { SERVICE_PORTS } from '../lab/services.ts';
import type { Scenario } from '../scenario/normalize.ts';
import { createRunDir, eventLogWriter, type RunPaths } from './run-dir.ts';
import { EventBus, type Phase, type RunStatus, type RunSummary } from './events.ts';
import { sleep } from './abortable.ts';
import { writeFileAtomic } from '../util/atomic-output.ts';
import { offlinePhases, type PhaseRunner } from './offline-phases.ts';
import { stepGroups } from './step-groups.ts';
import { startLiveDetection, type LiveRun } from './live.ts';

export interface RunOptions {
  readonly outDir?: string;
  readonly signal: AbortSignal;
  /** Offline phases to skip (e.g. tests that only need the capture). */
  readonly skip?: Phase[];
  /** Live detection during the capture (alerts, live.json); on unless false (--no-live). */
  readonly live?: boolean;
  /** Seed of the detectors' models (live detection's k-means); the scenario's seed unless given.
   *  The bench gives its own, the one its offline detectors use, so online and offline agree. */
  readonly detectorSeed?: number;
}

/** Planned wall time of the live part: warmup, each step's pause and expected length, cooldown. */
export function plannedDurationMs(scenario: Scenario): number {
  const expected = (a: Scenario['attacks'][number]) => a.pause + Math.min(a.timeout, 15_000);
  return scenario.warmup + scenario.cooldown + stepGroups(scenario.attacks).reduce((sum, group) => sum + Math.max(...group.map(expected)), 0);
}

/** What the live part learnt that the offline part needs: the hosts as they were, their clocks. */
interface LiveFacts {
  readonly hosts: Map<string, { address: string; address6?: string; mac: string; iface: string }>;
  readonly clocks: { before?: Record<string, ClockOffset>; after?: Record<string, ClockOffset> };
  filter?: string;
  /** Each step as it ended (also when a later part of the live run failed: its packets stay labelled). */
  readonly attacks: AttackResult[];
  /** The victim capture's counters, once it stopped. */
  stats?: CaptureStats;
}

export async function runScenario(scenario: Scenario, bus: EventBus, options: RunOptions): Promise<RunSummary> {
  const started = Date.now();
  // A bad SCANLAB_SSH_* value is refused before the run directory exists.
  if (scenario.lab.kind === 'ssh') sshSettings();
  const paths = createRunDir(scenario.name, options.outDir);
  bus.subscribe(eventLogWriter(paths.events));
  writeFileSync(paths.scenario, resolvedScenarioYaml(scenario));
  bus.emit({ type: 'run-started', runDir: paths.root, scenario: scenario.name, seed: scenario.seed, plannedMs: plannedDurationMs(scenario) });

  const phase = phaseTimer(bus);
  let status: RunStatus = 'ok';
  let failure: string | undefined;
  const facts: LiveFacts = { hosts: new Map(), clocks: {}, attacks: [] };
  const { attacks } = facts;
  let attackFreeUntil: number | undefined;
  try {
    await phase('prepare', async () => {
      await checkPrerequisites(scenario);
      await warnOfLeftLabs(bus);
    });
    await runLive(scenario, paths, bus, options, phase, facts, (t) => (attackFreeUntil = t));
  } catch (error) {
    // Nothing captured: nothing to keep. Otherwise the capture so far is labelled and kept.
    if (!captureIsReadable(paths)) throw error;
    status = 'failed';
    failure = messageOf(error);
  }
  if (options.signal.aborted) status = 'interrupted';
  if (attacks.some((a) => a.status !== 'ok' && a.status !== 'interrupted') && status === 'ok') status = 'failed';

  // The capture is complete on disk whatever happened above: label it, and go on offline.
  const counts = await phase('label', async () => labelRun(labelInput(scenario, paths, attacks, facts)));
  for (const warning of counts.warnings) bus.emit({ type: 'warning', message: warning });
  if (counts.unmatched.attackerPacketsMissingAtVictim > 0 || counts.unmatched.victimRepliesUnmatched > 0) {
    bus.emit({ type: 'warning', message: `labels: ${counts.unmatched.attackerPacketsMissingAtVictim} attacker packets never reached the victim's capture, ${counts.unmatched.victimRepliesUnmatched} victim replies matched no probe (labels.json)` });
  }
  writeCaptureJson(paths, scenario, facts.stats, counts, attacks, status, facts, attackFreeUntil);

  let extras: Partial<RunSummary> = {};
  if (status !== 'interrupted') {
    try {
      extras = await offlinePhases(paths, scenario, bus, phase, options.skip ?? []);
    } catch (error) {
      // The capture and labels stay; the run says which offline phase failed and why.
      status = 'failed';
      failure = messageOf(error);
    }
  }
  const summary: RunSummary = {
    runDir: paths.root,
    scenario: scenario.name,
    seed: scenario.seed,
    status,
    packets: counts.packets,
    scan: counts.scan,
    benign: counts.benign,
    dropped: facts.stats?.dropped ?? 0,
    steps: attacks.map((a) => ({ name: a.step, status: a.status, message: a.message })),
    durationMs: Date.now() - started,
    message: failure ?? (attacks.find((a) => a.message && a.status !== 'ok')?.message),
    ...extras,
  };
  bus.emit({ type: 'result', summary });
  return summary;
}

/** Labs a killed scanlab left behind are named, with the commands that remove them; never removed here. */
async function warnOfLeftLabs(bus: EventBus): Promise<void> {
  let left: Map<string, string[]>;
  try {
    left = await findLeftLabs();
  } catch {
    return; // Listing namespaces failed: the lab-up step will say why if it matters.
  }
  if (left.size > 0) bus.emit({ type: 'warning', message: leftLabsMessage([...left.keys()]) });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the labeller needs: both ends' captures, the benign agents' flows, the steps' spans. */
function labelInput(scenario: Scenario, paths: RunPaths, attacks: AttackResult[], facts: LiveFacts): LabelRunInput {
  const steps: StepWindow[] = attacks.map((a) => ({ name: a.step, startMs: a.startedAt, endMs: a.endedAt, host: scenario.attacks.find((s) => s.name === a.step)?.from }));
  // Hosts as the live part found them (an SSH host's address and MAC are its interface's).
  const fact = (host: Scenario['hosts'][number]) => facts.hosts.get(host.name) ?? { address: host.address, address6: host.address6, mac: labMac(scenario.hosts.indexOf(host)) };
  // Packet times are each host's clock; step windows are this machine's.
  const offset = (name: string) => runOffset(facts.clocks.before?.[name], facts.clocks.after?.[name]);
  return {
    victimCapture: paths.capture,
    victimAddress: fact(scenario.victim).address,
    victimAddress6: fact(scenario.victim).address6,
    victimClockOffsetMs: offset(scenario.victim.name),
    attackers: attackingHosts(scenario).map((host) => ({
      host: host.name,
      address: fact(host).address,
      address6: fact(host).address6,
      mac: fact(host).mac,
      servicePorts: host.services.map((s) => SERVICE_PORTS[s].port),
      capture: paths.attackerCapture(host.name),
      clockOffsetMs: offset(host.name),
    })),
    flowsPath: paths.benignFlows,
    steps,
    addressOf: (name) => fact(scenario.hosts.find((h) => h.name === name)!).address,
    address6Of: (name) => fact(scenario.hosts.find((h) => h.name === name)!).address6,
    labelsCsv: paths.labels,
    labelsJson: paths.labelsJson,
  };
}

/** Hosts that run attack steps: each gets a capture of its own, the ground truth of what it sent. */
function attackingHosts(scenario: Scenario) {
  const names = new Set(scenario.attacks.map((a) => a.from));
  return scenario.hosts.filter((h) => names.has(h.name));
}

function captureIsReadable(paths: RunPaths): boolean {
  try {
    return repairCapture(paths.capture).packets >= 0;
  } catch {
    return false;
  }
}

function phaseTimer(bus: EventBus): PhaseRunner {
  return async (name, work, detail) => {
    const t0 = Date.now();
    bus.emit({ type: 'phase-started', phase: name, detail });
    try {
      const result = await work();
      bus.emit({ type: 'phase-finished', phase: name, status: 'ok', durationMs: Date.now() - t0 });
      return result;
    } catch (error) {
      bus.emit({ type: 'phase-finished', phase: name, status: 'failed', durationMs: Date.now() - t0, detail: (error as Error).message });
      throw error;
    }
  };
}

/** The live part, inside try/finally so the lab always comes down. */
/** `warmedUp` gets the time the warm-up ended (before any attack), also when a later step fails. */
async function runLive(scenario: Scenario, paths: RunPaths, bus: EventBus, options: RunOptions, phase: PhaseRunner, facts: LiveFacts, warmedUp: (time: number) => void) {
  const { signal } = options;
  let liveDetection: LiveRun | undefined;
  const ssh = scenario.lab.kind === 'ssh';
  // A host's SSH connection breaking mid-run stops the live part as Ctrl-C would; the capture so far stays.
  const onBroken = (b: { host: string; destination: string; said: string }) =>
    bus.emit({ type: 'warning', message: `host ${b.host}: the SSH connection to ${b.destination} broke (${b.said}); stopping the run` });
  const lab: { id: string; workDir: string; node(name: string): Host; down(): Promise<void> } = ssh ? new SshLab(scenario, undefined, onBroken) : new Lab();
  const live = lab instanceof SshLab ? AbortSignal.any([signal, lab.connectionLost.signal]) : signal;
  let capture: CaptureSession | undefined;
  const attackerCaptures: CaptureSession[] = [];
  const traffic = new TrafficGenerators();
  const { attacks } = facts;
  try {
    const onHostsUp = (done: number, total: number) => bus.emit({ type: 'progress', phase: 'lab-up', done, total, unit: 'hosts' });
    await phase('lab-up', () => (lab instanceof SshLab ? lab.up(onHostsUp) : (lab as Lab).up(scenario.hosts, onHostsUp)), `lab ${lab.id}`);
    for (const host of scenario.hosts) {
      const node = lab.node(host.name);
      facts.hosts.set(host.name, { address: node.address, address6: node.address6, mac: node.mac, iface: node.iface });
    }
    if (lab instanceof SshLab) {
      for (const warning of lab.warnings) bus.emit({ type: 'warning', message: warning });
      facts.clocks.before = await lab.measureClocks();
      warnAboutClocks(facts.clocks.before, scenario, bus);
    }
    // The lab's SSH clients' key (namespace labs: scanlab's own ssh traffic and sshd services).
    const sshKey = ssh ? undefined : await makeSshClientKey(lab.workDir);
    await phase('services', async () => {
      for (const host of scenario.hosts) {
        if (host.services.length > 0) await startServices((lab as Lab).node(host.name), host.services, lab.workDir, sshKey!.publicKey);
      }
    });
    await phase('capture', async () => {
      capture = await startCapture(lab.node(scenario.victim.name), paths.capture, scenario.capture, (s) => bus.emit({ type: 'capture-stats', stats: s }));
      facts.filter = capture.info.filter;
      // Reads the capture file as the agent writes it: the agent is not involved, so it cannot slow it.
      if (options.live !== false) liveDetection = startLiveDetection(paths.capture, paths.root, options.detectorSeed ?? scenario.seed, bus);
      // The attackers' own captures are the ground truth of what they emitted (exact labels).
      for (const host of attackingHosts(scenario)) {
        attackerCaptures.push(await startCapture(lab.node(host.name), paths.attackerCapture(host.name), scenario.capture, () => {}));
      }
    });
    const addressOf = (name: string) => lab.node(name).address;
    const address6Of = (name: string) => lab.node(name).address6;
    await phase('traffic', () =>
      traffic.start(lab, buildAgentPlans(scenario.traffic, addressOf, scenario.seed, sshKey?.privateKey ?? '', address6Of), (host, counters) =>
        bus.emit({ type: 'traffic-activity', host, counters }),
      ),
    );
    await sleep(scenario.warmup, live);
    // Everything before this is attack-free: the learning detectors train on it.
    if (!live.aborted) {
      const now = Date.now();
      warmedUp(now);
      liveDetection?.warmUpEnded(now);
    }
    const labAddresses = new Set(scenario.hosts.flatMap((h) => [addressOf(h.name), address6Of(h.name) ?? '']).filter(Boolean));
    const scope = scenario.lab.kind === 'ssh' ? scenario.lab.scope : undefined;
    await phase('attack', async () => {
      const runStep = async (step: Scenario['attacks'][number]): Promise<AttackResult> => {
        await sleep(step.pause, live);
        const index = scenario.attacks.indexOf(step);
        // An IPv6 step (-6) scans the targets' IPv6 addresses (and spoofs the decoys' IPv6 ones).
        const stepAddress = isIpv6Scan(step.nmap) ? (name: string) => address6Of(name) ?? '' : addressOf;
        const targets = step.targets.map(stepAddress);
        bus.emit({ type: 'attack-started', step: step.name, command: `nmap ${step.nmap} ${targets.join(' ')}`, index, total: scenario.attacks.length });
        const result = await runNmapStep({ name: step.name, nmap: step.nmap, timeoutMs: step.timeout, decoys: step.decoys.map(stepAddress) }, lab.node(step.from), targets, labAddresses, paths.attackDir, live, (p) =>
          bus.emit({ type: 'attack-progress', step: step.name, phase: p.phase, percent: p.percent, remainingSeconds: p.remainingSeconds }),
        scope);
        const openPorts = result.summary?.ports.filter((p) => p.state === 'open').length ?? 0;
        bus.emit({ type: 'attack-finished', step: step.name, status: result.status, durationMs: result.endedAt - result.startedAt, openPorts, message: result.message });
        if (result.status === 'failed') bus.emit({ type: 'warning', message: `step ${step.name} failed: ${result.message}; the run goes on with the next step` });
        return result;
      };
      // Steps marked concurrent start together with the one before them (a distributed scan).
      for (const group of stepGroups(scenario.attacks)) {
        if (live.aborted) break;
        attacks.push(...(await Promise.all(group.map(runStep))));
      }
    });
    await sleep(scenario.cooldown, live);
  } finally {
    try {
      await phase('teardown', async () => {
        // Each step runs even if one before it failed: the lab must come down whatever happens.
        const problems: unknown[] = [];
        const attempt = async (work: () => Promise<unknown>) => {
          try {
            await work();
          } catch (error) {
            problems.push(error);
          }
        };
        if (lab instanceof SshLab && facts.hosts.size > 0) {
          await attempt(async () => {
            facts.clocks.after = await lab.measureClocks();
            warnAboutClocks(facts.clocks.after!, scenario, bus);
          });
        }
        await attempt(() => traffic.stop());
        await attempt(async () => writeFileSync(paths.benignFlows, traffic.flows.map((f) => `${JSON.stringify(f)}\n`).join('')));
        // Every capture stops at once (each flushes its own file); a failure is kept, not lost.
        const stopped = await Promise.allSettled([capture?.stop(), ...attackerCaptures.map((c) => c.stop())]);
        if (stopped[0].status === 'fulfilled') facts.stats = stopped[0].value;
        for (const result of stopped) if (result.status === 'rejected') problems.push(result.reason);
        await attempt(() => lab.down());
        // A broken connection is why the run stopped: say so first (and what could not be stopped).
        if (lab instanceof SshLab && lab.broken.length > 0) problems.unshift(lab.brokenFailure());
        if (problems.length > 0) throw problems[0];
      });
    } finally {
      // Also when teardown failed (a broken SSH connection): live detection's worker must end, or
      // it keeps scanlab running after the run, and every capture must stay a readable pcap.
      await liveDetection?.finish();
      const sessions: CaptureSession[] = capture ? [capture, ...attackerCaptures] : [];
      for (const session of sessions) {
        const repaired = repairCapture(session.path);
        if (repaired.cutBytes > 0) bus.emit({ type: 'warning', message: `${session.path} ended mid-packet; cut ${repaired.cutBytes} bytes so it stays readable` });
      }
    }
  }
  if (traffic.failure) bus.emit({ type: 'warning', message: traffic.failure.message });
}

/**
 * The scenario as run, defaults and seed filled in, loadable again by scanlab run (same seed,
 * same schedule). Addresses are derived from host order, so they are a comment, not fields.
 */
function resolvedScenarioYaml(scenario: Scenario): string {
  const { victim: _victim, hosts, ...rest } = scenario;
  // Durations are milliseconds inside; a bare number in the file means seconds, so write units.
  const ms = (value: number) => `${value}ms`;
  const durations = {
    warmup: ms(rest.warmup),
    cooldown: ms(rest.cooldown),
    traffic: rest.traffic.map((t) => ({ ...t, every: ms(t.every) })),
    attacks: rest.attacks.map((a) => ({ ...a, timeout: ms(a.timeout), pause: ms(a.pause) })),
    lab: rest.lab.kind === 'ssh' ? { ...rest.lab, maxClockOffset: ms(rest.lab.maxClockOffset) } : rest.lab,
  };
  const header = rest.lab.kind === 'ssh'
    ? '# resolved by scanlab: defaults and seed filled in; host addresses are read from each interface (capture.json)'
    : ['# resolved by scanlab: defaults and seed filled in; host addresses (from their order):',
      ...hosts.map((h) => `#   ${h.name.padEnd(12)} ${h.address}${h.address6 ? ` ${h.address6}` : ''}`)].join('\n');
  return `${header}\n${stringify({ ...rest, ...durations, hosts: hosts.map(({ address: _address, address6: _address6, ...host }) => host) })}`;
}

/** A clock too far off this machine's makes step windows (and so labels near them) unsure. */
function warnAboutClocks(offsets: Record<string, ClockOffset>, scenario: Scenario, bus: EventBus): void {
  const limit = scenario.lab.kind === 'ssh' ? scenario.lab.maxClockOffset : Infinity;
  for (const [host, offset] of Object.entries(offsets)) {
    if (Math.abs(offset.offsetMs) > limit) {
      bus.emit({ type: 'warning', message: `the clock of host ${host} is ${Math.round(offset.offsetMs)} ms off this machine's (more than ${limit} ms): step windows are corrected by it, but sync the clocks (NTP, chrony) for exact timing` });
    }
  }
}

function writeCaptureJson(paths: RunPaths, scenario: Scenario, stats: CaptureStats | undefined, counts: ExactLabelReport, attacks: AttackResult[], status: RunStatus, facts: LiveFacts, attackFreeUntil: number | undefined): void {
  const victim = facts.hosts.get(scenario.victim.name);
  const round = (o: ClockOffset | undefined) => (o ? { offsetMs: Number(o.offsetMs.toFixed(3)), rttMs: Number(o.rttMs.toFixed(3)), samples: o.samples } : undefined);
  const clocks = scenario.lab.kind === 'ssh'
    ? Object.fromEntries(scenario.hosts.map((h) => [h.name, { before: round(facts.clocks.before?.[h.name]), after: round(facts.clocks.after?.[h.name]), correctionMs: Number(runOffset(facts.clocks.before?.[h.name], facts.clocks.after?.[h.name]).toFixed(3)) }]))
    : undefined;
  // In the victim's clock, as the capture's timestamps it is compared with.
  const victimOffset = runOffset(facts.clocks.before?.[scenario.victim.name], facts.clocks.after?.[scenario.victim.name]);
  const json = {
    lab: scenario.lab.kind,
    host: scenario.victim.name,
    address: victim?.address ?? scenario.victim.address,
    interface: victim?.iface ?? 'eth0',
    filter: facts.filter ?? '',
    snaplen: scenario.capture.snaplen,
    bufferMiB: scenario.capture.bufferMiB,
    libpcap: stats ? { received: stats.received, dropped: stats.dropped, ifDropped: stats.ifDropped } : undefined,
    agentPackets: stats?.packets,
    packets: counts.packets,
    labels: { scan: counts.scan, benign: counts.benign, byStep: counts.byStep },
    steps: attacks.map((a) => ({ name: a.step, status: a.status, command: a.command, startedAt: new Date(a.startedAt).toISOString(), endedAt: new Date(a.endedAt).toISOString(), message: a.message })),
    attackFreeUntil: attackFreeUntil === undefined ? undefined : new Date(attackFreeUntil + victimOffset).toISOString(),
    status,
    clocks,
  };
  writeFileAtomic(paths.captureJson, `${JSON.stringify(json, null, 2)}\n`);
}
