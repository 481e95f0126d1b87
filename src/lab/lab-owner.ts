// Who owns a lab: the scanlab process that built it, recorded in the lab's work folder
// (/tmp/scanlab-<id>/owner.json) when the lab goes up. A lab whose owner process is gone was left
// by a killed scanlab (its namespaces outlived it); a lab made by `scanlab lab up` is kept on
// purpose and never counts as left. Labs without a record (made by an older scanlab) are not
// judged: nothing says whose they are.

import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface OwnerRecord {
  /** The owner process; null for a lab kept on purpose (scanlab lab up). */
  readonly pid: number | null;
  /** The owner's start time (/proc/<pid>/stat), so a reused pid is not taken for the owner. */
  readonly started: string | null;
}

export function labWorkDir(labId: string): string {
  return join(tmpdir(), `scanlab-${labId}`);
}

/** Records the running process as the owner of the lab whose work folder is `workDir`. */
export function writeOwner(workDir: string): void {
  const record: OwnerRecord = { pid: process.pid, started: startTimeOf(process.pid) };
  writeFileSync(join(workDir, 'owner.json'), `${JSON.stringify(record)}\n`);
}

/** Marks a lab as kept on purpose: it outlives its maker and is not "left behind". */
export function markKept(workDir: string): void {
  const record: OwnerRecord = { pid: null, started: null };
  writeFileSync(join(workDir, 'owner.json'), `${JSON.stringify(record)}\n`);
}

/** True when the lab's record names an owner process that no longer runs. */
export function ownerIsGone(labId: string): boolean {
  let record: OwnerRecord;
  try {
    record = JSON.parse(readFileSync(join(labWorkDir(labId), 'owner.json'), 'utf8')) as OwnerRecord;
  } catch {
    return false;
  }
  if (record.pid === null || typeof record.pid !== 'number') return false;
  const started = startTimeOf(record.pid);
  return started === null || (record.started !== null && started !== record.started);
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or null if no such process. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); a zombie has ended.
    if (fields[0] === 'Z') return null;
    return fields[19] ?? null;
  } catch {
    return null;
  }
}
