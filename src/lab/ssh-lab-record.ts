// What an SSH lab left running, recorded on this machine as it changes, so `scanlab lab down`
// can stop it after a run was killed: the hosts, how to reach them and the ids of the remote
// processes scanlab started (each stopped only if it still runs the command it was started as).

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeMaster, openMaster, sshExec, type SshTarget } from './ssh.ts';
import { stopCommand, type ProcessRecord } from './ssh-host.ts';

export interface SshLabRecord {
  readonly id: string;
  readonly scenario: string;
  readonly createdAt: string;
  readonly configFile?: string;
  readonly hosts: { readonly name: string; readonly destination: string }[];
  readonly processes: ProcessRecord[];
}

/** Where SSH lab records live (SCANLAB_STATE_DIR overrides it). */
export function recordDir(): string {
  return process.env.SCANLAB_STATE_DIR ?? join(tmpdir(), 'scanlab-ssh-labs');
}

export function writeRecord(record: SshLabRecord): void {
  mkdirSync(recordDir(), { recursive: true, mode: 0o700 });
  const path = join(recordDir(), `${record.id}.json`);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

export function removeRecord(id: string): void {
  rmSync(join(recordDir(), `${id}.json`), { force: true });
}

export function listRecords(): SshLabRecord[] {
  let names: string[];
  try {
    names = readdirSync(recordDir()).filter((n) => /^sl[0-9a-f]{6}\.json$/.test(n));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    try {
      return [JSON.parse(readFileSync(join(recordDir(), name), 'utf8')) as SshLabRecord];
    } catch {
      return [];
    }
  });
}

/** Stops what a recorded lab left running; returns problems (an unreachable host) as text. */
export async function cleanUpRecord(record: SshLabRecord): Promise<string[]> {
  const problems: string[] = [];
  const scratch = mkdtempSync(join(tmpdir(), `scanlab-${record.id}-down-`));
  try {
    for (const host of record.hosts) {
      const processes = record.processes.filter((p) => p.host === host.name);
      if (processes.length === 0) continue;
      const target: SshTarget = { destination: host.destination, configFile: record.configFile, controlPath: join(scratch, `${host.name}.sock`) };
      try {
        const master = await openMaster(target, host.name);
        for (const p of processes) await sshExec(target, stopCommand(p.id, p.command, 2000));
        await closeMaster(target, master);
      } catch (error) {
        problems.push(`lab ${record.id}, host ${host.name} (${host.destination}): ${(error as Error).message}; processes ${processes.map((p) => `${p.command} ${p.id}`).join(', ')} may still run there`);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (problems.length === 0) {
    removeRecord(record.id);
    rmSync(join(tmpdir(), `scanlab-${record.id}`), { recursive: true, force: true });
  }
  return problems;
}
