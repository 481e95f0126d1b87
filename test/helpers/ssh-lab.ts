// Real machines for the SSH-lab tests, made of the project's own namespaces: each host runs a
// real OpenSSH server with a host key made by ssh-keygen, scanlab's test key is authorized on it,
// and a controller namespace on the same bridge is where scanlab itself runs, so it reaches the
// hosts only over SSH and cannot reach any other machine (the controller has only the lab
// bridge). Everything is removed by cleanup(), which deletes the namespaces (and with them every
// process in them) and the scratch directory.

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Lab } from '../../src/lab/lab.ts';
import { labAddress } from '../../src/lab/addresses.ts';
import { nsRun, nsSpawn } from '../../src/lab/netns.ts';
import { makeSshClientKey, startServices } from '../../src/lab/services.ts';
import type { Service } from '../../src/scenario/schema.ts';
import type { LabHost } from '../../src/scenario/normalize.ts';
import { CLI, PROJECT_ROOT } from './env.ts';

export interface TestHost {
  readonly name: string;
  /** Runs sshd (a host scanlab logs into); false for the controller and plain clients. */
  readonly sshd: boolean;
  /** Programs the host's login PATH offers, when it should lack some (a missing tool). */
  readonly onlyTools?: string[];
  /** The lab's own services on this machine (nginx, dnsmasq...), started by the test, not by scanlab. */
  readonly services?: Service[];
}

export interface SshTestLab {
  readonly lab: Lab;
  readonly dir: string;
  readonly sshConfig: string;
  address(name: string): string;
  namespace(name: string): string;
  /** Runs the real scanlab CLI inside the controller namespace. */
  scanlab(args: string[], timeoutMs?: number, env?: Record<string, string>): { code: number | null; stdout: string; stderr: string };
  /** Names of the processes running in a host's namespace (what is left on that "machine"). */
  processes(name: string): string[];
  cleanup(): Promise<void>;
}

export const CONTROLLER = 'controller';

export async function buildSshTestLab(hosts: TestHost[]): Promise<SshTestLab> {
  const all = [...hosts, { name: CONTROLLER, sshd: false }];
  const specs: LabHost[] = all.map((h, i) => ({ name: h.name, role: 'client', services: [], sysctls: {}, address: labAddress(i) }));
  const lab = new Lab();
  const dir = join(lab.workDir, 'ssh');
  try {
    await lab.up(specs);
    mkdirSync(dir, { recursive: true });
    const key = await makeSshClientKey(dir);
    const knownHosts: string[] = [];
    for (const host of hosts.filter((h) => h.sshd)) {
      const node = lab.node(host.name);
      const hostDir = join(dir, host.name);
      mkdirSync(hostDir, { recursive: true });
      const hostKey = join(hostDir, 'ssh_host_ed25519_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
      knownHosts.push(`${node.address} ${readFileSync(`${hostKey}.pub`, 'utf8').trim()}`);
      writeFileSync(join(hostDir, 'authorized_keys'), `${key.publicKey}\n`, { mode: 0o600 });
      let path = '';
      if (host.onlyTools) {
        // A login PATH holding only these programs: the host "lacks" everything else.
        const bin = join(hostDir, 'bin');
        mkdirSync(bin);
        for (const tool of host.onlyTools) {
          const real = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
          if (real) symlinkSync(real, join(bin, tool));
        }
        path = `SetEnv PATH=${bin}\n`;
      }
      mkdirSync('/run/sshd', { recursive: true });
      writeFileSync(join(hostDir, 'sshd_config'), `Port 22
ListenAddress ${node.address}
HostKey ${hostKey}
PidFile ${hostDir}/sshd.pid
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile ${hostDir}/authorized_keys
StrictModes no
# A session whose client is gone (a broken link) ends within about 8 s instead of waiting for
# TCP to give up, so a test sees a clean host soon after the link is back.
ClientAliveInterval 2
ClientAliveCountMax 3
${path}`);
      nsSpawn(node.namespace, '/usr/sbin/sshd', ['-D', '-e', '-f', join(hostDir, 'sshd_config')], { stdio: 'ignore' });
    }
    for (const host of hosts.filter((h) => h.services?.length)) await startServices(lab.node(host.name), host.services!, lab.workDir, key.publicKey);
    writeFileSync(join(dir, 'known_hosts'), `${knownHosts.join('\n')}\n`);
    writeFileSync(join(dir, 'ssh_config'), `Host *
  User root
  IdentityFile ${key.privateKey}
  IdentitiesOnly yes
  UserKnownHostsFile ${join(dir, 'known_hosts')}
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
`);
    for (const host of hosts.filter((h) => h.sshd)) {
      const node = lab.node(host.name);
      for (let i = 0; ; i++) {
        if ((await nsRun(node.namespace, 'ss', ['-ltnH', 'sport = :22'])).trim()) break;
        if (i > 100) throw new Error(`sshd on ${host.name} did not start`);
        await sleep(50);
      }
    }
  } catch (error) {
    await lab.down();
    throw error;
  }
  const controller = lab.node(CONTROLLER).namespace;
  return {
    lab,
    dir,
    sshConfig: join(dir, 'ssh_config'),
    address: (name) => lab.node(name).address,
    namespace: (name) => lab.node(name).namespace,
    scanlab(args, timeoutMs = 120_000, env = {}) {
      // SCANLAB_STATE_DIR keeps this test's SSH lab records apart from anything else on the machine.
      const result = spawnSync('ip', ['netns', 'exec', controller, process.execPath, CLI, ...args], {
        cwd: PROJECT_ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 26,
        env: { ...process.env, ...env, SCANLAB_STATE_DIR: join(dir, 'state') },
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    processes(name) {
      const pids = execFileSync('ip', ['netns', 'pids', lab.node(name).namespace], { encoding: 'utf8' }).split('\n').filter(Boolean);
      return pids.map((pid) => spawnSync('ps', ['-o', 'comm=', '-p', pid], { encoding: 'utf8' }).stdout.trim()).filter(Boolean);
    },
    async cleanup() {
      await lab.down();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An SSH-lab scenario for the test lab: every host with ssh: and interface:. */
export function sshScenario(lab: SshTestLab, options: { name: string; scope: string[]; hosts: { name: string; role: string; ssh?: string; interface?: string }[]; attacks: string; traffic?: string; warmup?: string }): string {
  const hosts = options.hosts.map((h) => `  - { name: ${h.name}, role: ${h.role}, ssh: ${h.ssh ?? `root@${lab.address(h.name)}`}, interface: ${h.interface ?? 'eth0'} }`).join('\n');
  const text = `name: ${options.name}
description: an SSH lab made of namespaces that run real sshd (test)
seed: 4
warmup: ${options.warmup ?? '1500ms'}
cooldown: 1s
lab: { kind: ssh, scope: [${options.scope.join(', ')}], sshConfig: ./ssh_config }
hosts:
${hosts}
attacks:
${options.attacks}
${options.traffic ? `traffic:\n${options.traffic}\n` : ''}`;
  const path = join(lab.dir, `${options.name}.yaml`);
  writeFileSync(path, text);
  return path;
}

export interface BackgroundRun {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly out: string;
  output(): string;
  /** The run's events so far (events.jsonl). */
  events(): Record<string, any>[];
  runDir(): string;
}

/** Starts `scanlab run` in the controller namespace in the background (stdout and stderr collected). */
export function startRun(lab: SshTestLab, scenarioPath: string, name: string, env: Record<string, string> = {}): BackgroundRun {
  const out = join(lab.dir, `${name}-${Date.now()}`);
  const child = spawn('ip', ['netns', 'exec', lab.namespace(CONTROLLER), process.execPath, CLI, 'run', scenarioPath, '--no-tui', '--out', out], {
    cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, SCANLAB_STATE_DIR: join(lab.dir, 'state') },
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const runDir = () => {
    const dirs = existsSync(out) ? readdirSync(out) : [];
    return dirs.length ? join(out, dirs[0]) : '';
  };
  const events = () => {
    const file = runDir() && join(runDir(), 'events.jsonl');
    return file && existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  };
  return { child, exited, out, output: () => output, events, runDir };
}

/** Polls until `probe` returns something (not undefined or false), or throws after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs: number, what = 'a condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}
