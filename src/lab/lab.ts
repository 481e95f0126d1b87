// A lab: one namespace per host plus a switch namespace holding the bridge. The machine's own
// namespace is never touched, so lab traffic has no way out. Each resource is recorded as it is
// created and `down()` removes what exists, whatever step failed.

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { atForcedExit, stopProcessSync } from '../util/stop-signals.ts';
import { labWorkDir, ownerIsGone, writeOwner } from './lab-owner.ts';
import { ip, nsRun, namespacePids, stopPids, listNamespaces } from './netns.ts';
import { namespaceName, newLabId, labIdOf, SWITCH_HOST } from './naming.ts';
import { HOST_PREFIX_LENGTH, HOST_PREFIX_LENGTH6, labMac } from './addresses.ts';
import type { LabHost } from '../scenario/normalize.ts';
import { NamespaceHost } from './netns-host.ts';

/** A host of a namespace lab: its namespace, address, MAC and interface eth0. */
export type LabNode = NamespaceHost;

export class Lab {
  readonly nodes = new Map<string, LabNode>();
  private readonly created: string[] = [];
  private forgetForcedExit: () => void = () => {};
  /** Private scratch space for service configs and keys; removed on down(). */
  readonly workDir: string;

  constructor(readonly id: string = newLabId()) {
    this.workDir = labWorkDir(id);
  }

  get switchNamespace(): string {
    return namespaceName(this.id, SWITCH_HOST);
  }

  node(name: string): LabNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no lab host named ${name}`);
    return node;
  }

  /** Builds the switch and every host; on failure removes what it made and rethrows. */
  async up(hosts: readonly LabHost[], onProgress: (done: number, total: number) => void = () => {}): Promise<void> {
    mkdirSync(this.workDir, { recursive: true, mode: 0o700 });
    writeOwner(this.workDir);
    this.forgetForcedExit = atForcedExit(() => this.downSync());
    try {
      const sw = this.switchNamespace;
      await this.addNamespace(sw);
      await ip(['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']);
      // No STP (it would delay forwarding by seconds) and no IPv6 on the switch itself.
      await ip(['-n', sw, 'link', 'set', 'br0', 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
      await nsRun(sw, 'sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
      await ip(['-n', sw, 'link', 'set', 'br0', 'up']);
      for (const [index, host] of hosts.entries()) {
        await this.addHost(index, host);
        onProgress(index + 1, hosts.length);
      }
    } catch (error) {
      await this.down();
      throw error;
    }
  }

  private async addNamespace(ns: string): Promise<void> {
    await ip(['netns', 'add', ns]);
    this.created.push(ns);
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
  }

  private async addHost(index: number, host: LabHost): Promise<void> {
    const ns = namespaceName(this.id, host.name);
    const sw = this.switchNamespace;
    const port = `p${index}`;
    const mac = labMac(index);
    await this.addNamespace(ns);
    await ip(['-n', sw, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    await ip(['-n', sw, 'link', 'set', port, 'master', 'br0', 'up']);
    await ip(['-n', ns, 'link', 'set', 'eth0', 'address', mac]);
    await ip(['-n', ns, 'addr', 'add', `${host.address}/${HOST_PREFIX_LENGTH}`, 'dev', 'eth0']);
    // Wire-sized frames with real checksums, as on a physical LAN: no segmentation or checksum
    // offloads on either end of the cable.
    const offloads = ['tso', 'off', 'gso', 'off', 'gro', 'off', 'tx', 'off', 'rx', 'off'];
    await nsRun(ns, 'ethtool', ['-K', 'eth0', ...offloads]);
    await nsRun(sw, 'ethtool', ['-K', port, ...offloads]);
    if (host.address6) await addIpv6(ns, host.address6);
    for (const [key, value] of Object.entries(host.sysctls)) {
      await nsRun(ns, 'sysctl', ['-qw', `${key}=${value}`]);
    }
    await ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
    this.nodes.set(host.name, new NamespaceHost(host.name, ns, host.address, mac, host.address6));
  }

  /** Stops every process in the lab's namespaces (by id) and deletes the namespaces. */
  async down(): Promise<void> {
    await removeNamespaces([...this.created].reverse());
    this.created.length = 0;
    this.nodes.clear();
    rmSync(this.workDir, { recursive: true, force: true });
    this.forgetForcedExit();
  }

  /**
   * For a forced exit (no event loop): kills the lab's processes and deletes its namespaces with
   * bounded waits. Returns what to run if something stayed.
   */
  private downSync(): string | void {
    const left: string[] = [];
    for (const ns of [...this.created].reverse()) {
      const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', timeout: 2000 }).stdout ?? '';
      for (const pid of pids.split('\n').filter(Boolean).map(Number)) stopProcessSync(pid, 0);
      if (spawnSync('ip', ['netns', 'del', ns], { timeout: 2000 }).status !== 0) left.push(ns);
    }
    this.created.length = 0;
    if (left.length > 0) return `lab ${this.id} may be left (${left.join(' ')}): remove it with scanlab lab down ${this.id}`;
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

/**
 * The host's IPv6 address, usable at once: no duplicate address detection (the lab numbers its
 * hosts, so no clash; DAD would hold the address back for about a second), and no router
 * solicitations (the lab has no router). What the kernel still sends on its own, MLD reports for
 * its solicited-node groups, is benign noise and labelled so.
 */
async function addIpv6(ns: string, address: string): Promise<void> {
  for (const key of ['accept_dad=0', 'router_solicitations=0', 'accept_ra=0']) {
    await nsRun(ns, 'sysctl', ['-qw', `net.ipv6.conf.eth0.${key}`]);
  }
  await ip(['-n', ns, 'addr', 'add', `${address}/${HOST_PREFIX_LENGTH6}`, 'dev', 'eth0', 'nodad']);
}

async function removeNamespaces(namespaces: string[]): Promise<void> {
  const pids = (await Promise.all(namespaces.map(namespacePids))).flat();
  await stopPids(pids);
  for (const ns of namespaces) {
    try {
      await ip(['netns', 'del', ns]);
    } catch {
      // Already gone (a parallel down --all, or a half-made namespace).
    }
  }
}

/** Every lab scanlab made that still exists, by lab id. */
export async function listLabs(): Promise<Map<string, string[]>> {
  const labs = new Map<string, string[]>();
  for (const ns of await listNamespaces()) {
    const id = labIdOf(ns);
    if (id) labs.set(id, [...(labs.get(id) ?? []), ns]);
  }
  return labs;
}

/** Labs whose owner process is gone: left by a scanlab that was killed (lab id -> namespaces). */
export async function findLeftLabs(): Promise<Map<string, string[]>> {
  const left = new Map<string, string[]>();
  for (const [id, namespaces] of await listLabs()) if (ownerIsGone(id)) left.set(id, namespaces);
  return left;
}

/** What to tell a user about labs left behind: which, and the commands that remove them. */
export function leftLabsMessage(ids: readonly string[]): string {
  return `${ids.length} lab${ids.length === 1 ? '' : 's'} left by a scanlab that is no longer running (${ids.join(', ')}); nothing removes them unless you ask: ` +
    `scanlab lab down ${ids.join(' ')} removes these, scanlab lab down --all removes every scanlab lab on this machine (also ones still in use)`;
}

/** Removes labs left by killed runs: all of them, or only those named. */
export async function removeLabs(ids?: string[]): Promise<string[]> {
  const labs = await listLabs();
  const removed: string[] = [];
  for (const [id, namespaces] of labs) {
    if (ids && !ids.includes(id)) continue;
    await removeNamespaces(namespaces);
    rmSync(labWorkDir(id), { recursive: true, force: true });
    removed.push(id);
  }
  return removed;
}
