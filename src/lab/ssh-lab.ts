// A lab of real machines reached over SSH: one master connection per host, each host checked
// before anything starts (ssh-preflight.ts), every target checked against the declared scope,
// clocks measured, and what runs there recorded locally (ssh-lab-record.ts) so it can always be
// stopped: by down() on success, error or signal, and by `scanlab lab down` after a killed run.

import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunFailure, UserError } from '../errors.ts';
import { checkScope } from '../attack/nmap-args.ts';
import { newLabId } from './naming.ts';
import { closeMaster, openMaster, SSH_CONNECTION_FAILED, type SshMaster } from './ssh.ts';
import { SshHost } from './ssh-host.ts';
import { preflightHost } from './ssh-preflight.ts';
import { sshSettings, unansweredKeepAlives, type SshSettings } from './ssh-settings.ts';
import { removeRecord, writeRecord } from './ssh-lab-record.ts';
import { measureClockOffset, type ClockOffset } from './clock.ts';
import { REMOTE_TRAFFIC_TOOLS } from '../traffic/remote-sessions.ts';
import type { Scenario } from '../scenario/normalize.ts';

type SshLabSpec = Extract<Scenario['lab'], { kind: 'ssh' }>;

/** A host whose master connection ended while the lab was up. */
export interface BrokenConnection {
  readonly host: string;
  readonly destination: string;
  /** What ssh said (e.g. "Timeout, server ... not responding."). */
  readonly said: string;
}

export class SshLab {
  readonly nodes = new Map<string, SshHost>();
  readonly workDir: string;
  readonly warnings: string[] = [];
  /** Aborted when a host's connection breaks mid-run: the live part stops, the capture so far stays. */
  readonly connectionLost = new AbortController();
  readonly broken: BrokenConnection[] = [];
  /** What down() could not stop (an unreachable host), as text; empty when all was stopped. */
  left: string[] = [];
  private readonly masters = new Map<string, SshMaster>();
  private readonly spec: SshLabSpec;
  /** Keep-alives and how long teardown tries to reach a host whose connection broke (ssh-settings.ts). */
  private readonly settings: SshSettings;
  private closing = false;

  constructor(
    private readonly scenario: Scenario,
    readonly id: string = newLabId(),
    /** Called once per host whose connection breaks while the lab is up. */
    private readonly onBroken: (broken: BrokenConnection) => void = () => {},
  ) {
    if (scenario.lab.kind !== 'ssh') throw new Error('SshLab needs a scenario with lab.kind ssh');
    this.spec = scenario.lab;
    // Read (and checked) before anything starts: a bad value is a UserError naming the variable.
    this.settings = sshSettings();
    this.workDir = join(tmpdir(), `scanlab-${id}`);
  }

  node(name: string): SshHost {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no lab host named ${name}`);
    return node;
  }

  /** Connects to and checks every host, then the scope; on any problem, closes what it opened. */
  async up(onProgress: (done: number, total: number) => void = () => {}): Promise<void> {
    mkdirSync(this.workDir, { recursive: true, mode: 0o700 });
    const attackers = new Set(this.scenario.attacks.map((a) => a.from));
    try {
      const problems: string[] = [];
      let done = 0;
      await Promise.all(this.scenario.hosts.map(async (spec) => {
        const target = { destination: spec.ssh!, configFile: this.spec.sshConfig, controlPath: join(this.workDir, `${spec.name}.sock`) };
        const host = new SshHost(spec.name, spec.interface!, target, () => this.record());
        try {
          this.watch(spec.name, spec.ssh!, await openMaster(target, spec.name));
        } catch (error) {
          problems.push(error instanceof UserError ? `${error.message}\n    ${error.hint}` : (error as Error).message);
          return;
        }
        this.nodes.set(spec.name, host);
        const needs = { capture: spec.name === this.scenario.victim.name || attackers.has(spec.name), attack: attackers.has(spec.name), traffic: this.trafficTools(spec.name) };
        const result = await preflightHost(host, spec.ssh!, needs);
        problems.push(...result.problems);
        this.warnings.push(...result.warnings);
        onProgress(++done, this.scenario.hosts.length);
      }));
      if (problems.length > 0) {
        throw new UserError(`the SSH lab is not ready:\n  ${problems.join('\n  ')}`, 'fix each host above, then run again; nothing was started on any host');
      }
      this.record();
      this.checkScope();
    } catch (error) {
      await this.down();
      throw error;
    }
  }

  /** The tools the host's benign traffic runs there, each with the kinds that need it. */
  private trafficTools(host: string): Map<string, string[]> {
    const tools = new Map<string, string[]>();
    for (const t of this.scenario.traffic.filter((t) => t.from === host)) {
      const tool = REMOTE_TRAFFIC_TOOLS[t.kind];
      if (tool && !tools.get(tool)?.includes(t.kind)) tools.set(tool, [...(tools.get(tool) ?? []), t.kind]);
    }
    return tools;
  }

  /** Keeps the host's master connection and notices when it ends before down() closes it. */
  private watch(name: string, destination: string, master: SshMaster): void {
    this.masters.set(name, master);
    void master.process.then((result) => {
      if (this.closing || this.masters.get(name) !== master) return;
      this.masters.delete(name);
      // At LogLevel=ERROR ssh's "Timeout, server ... not responding." is not printed: it exits 255 silently.
      const said = String(result.stderr ?? '').trim().split('\n').filter(Boolean).slice(-1)[0]
        ?? (result.exitCode === SSH_CONNECTION_FAILED ? unansweredKeepAlives(this.settings) : `ssh exited with ${result.exitCode}`);
      const broken = { host: name, destination, said };
      this.broken.push(broken);
      this.onBroken(broken);
      this.connectionLost.abort(new RunFailure(`the SSH connection to host ${name} broke`));
    });
  }

  /** Why the run stopped: which host's connection broke, and what became of what ran there. */
  brokenFailure(): RunFailure {
    const which = this.broken.map((b) => `host ${b.host}: the SSH connection to ${b.destination} broke mid-run (${b.said})`).join('; ');
    const cleanup = this.left.length > 0
      ? `; could not reach it again within ${this.settings.reconnectMs / 1000} s to stop ${this.left.join(', ')}: once the host is back, run scanlab lab down ${this.id}`
      : '';
    return new RunFailure(`${which}; the run stopped and keeps the capture so far${cleanup}`);
  }

  /** Every target and decoy of every step, by its real address, inside the declared scope. */
  private checkScope(): void {
    for (const step of this.scenario.attacks) {
      try {
        checkScope([...step.targets, ...step.decoys].map((name) => this.node(name).address), this.spec.scope);
      } catch (error) {
        if (error instanceof UserError) throw new UserError(`step ${step.name}: ${error.message}`, error.hint);
        throw error;
      }
    }
  }

  /** Each host's clock offset from this machine. */
  async measureClocks(): Promise<Record<string, ClockOffset>> {
    const reachable = [...this.nodes].filter(([name]) => !this.broken.some((b) => b.host === name));
    const entries = await Promise.all(reachable.map(async ([name, host]) => [name, await measureClockOffset(host)] as const));
    return Object.fromEntries(entries);
  }

  private record(): void {
    if (this.nodes.size === 0) return;
    writeRecord({
      id: this.id,
      scenario: this.scenario.name,
      createdAt: new Date().toISOString(),
      configFile: this.spec.sshConfig,
      hosts: this.scenario.hosts.map((h) => ({ name: h.name, destination: h.ssh! })),
      processes: [...this.nodes.values()].flatMap((h) => h.records()),
    });
  }

  /** Stops every remote process scanlab started (by id), closes the connections, drops the record. */
  async down(): Promise<void> {
    this.closing = true;
    const left: string[] = [];
    await Promise.all([...this.nodes.values()].map(async (host) => {
      if (host.records().length === 0) return;
      if (this.broken.some((b) => b.host === host.name) && !(await this.reconnect(host))) {
        left.push(...host.records().map((p) => `${p.command} (id ${p.id}) on ${host.name}`));
        return;
      }
      for (const p of host.records()) {
        try {
          await host.stop(p.id, 2000);
          host.tracked(p.id, undefined);
        } catch {
          left.push(`${p.command} (id ${p.id}) on ${host.name}`);
        }
      }
    }));
    await Promise.all([...this.masters].map(([name, master]) => closeMaster(this.node(name).target, master).catch(() => {})));
    this.masters.clear();
    this.left = left;
    // A host that could not be reached keeps its record: `scanlab lab down <id>` tries again.
    if (left.length === 0) removeRecord(this.id);
    rmSync(this.workDir, { recursive: true, force: true });
  }

  /** A new master connection to a host whose connection broke, tried until reconnectMs has passed. */
  private async reconnect(host: SshHost): Promise<boolean> {
    const deadline = Date.now() + this.settings.reconnectMs;
    for (;;) {
      try {
        this.masters.set(host.name, await openMaster(host.target, host.name));
        return true;
      } catch {
        if (Date.now() >= deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}
