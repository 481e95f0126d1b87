// Runs one attack step: nmap on the attacker's namespace through execa, with the targets filled
// in by scanlab, -n, XML to attack/<step>.xml, its output to attack/<step>.log and progress from
// --stats-every. The only caller of nmap. Success and failure return one AttackResult shape.

import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { nsSpawn } from '../lab/netns.ts';
import type { LabNode } from '../lab/lab.ts';
import { checkNmapArguments, checkTargets } from './nmap-args.ts';
import { parseProgressLine, type NmapProgress } from './progress.ts';
import { parseNmapXml, type NmapXmlSummary } from './parse-nmap-xml.ts';

export type AttackStatus = 'ok' | 'failed' | 'timeout' | 'interrupted';

export interface AttackResult {
  readonly step: string;
  readonly status: AttackStatus;
  readonly exitCode: number | undefined;
  readonly command: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly xmlPath: string;
  readonly logPath: string;
  readonly summary: NmapXmlSummary | undefined;
  /** What went wrong, in nmap's own words where it said something. */
  readonly message?: string;
}

export interface AttackStep {
  readonly name: string;
  readonly nmap: string;
  readonly timeoutMs: number;
  /** Lab addresses nmap spoofs as decoys (-D ...,ME). */
  readonly decoys?: string[];
}

export async function runNmapStep(
  step: AttackStep,
  attacker: LabNode,
  targets: string[],
  labAddresses: ReadonlySet<string>,
  attackDir: string,
  signal: AbortSignal,
  onProgress: (progress: NmapProgress) => void,
): Promise<AttackResult> {
  // The scope guard runs again here, at the last moment before nmap: nothing else may reach it.
  const options = checkNmapArguments(step.nmap, labAddresses);
  checkTargets(targets, labAddresses);
  const decoys = step.decoys ?? [];
  checkTargets(decoys, labAddresses);
  if (decoys.length > 0) options.push('-D', [...decoys, 'ME'].join(','));
  const xmlPath = join(attackDir, `${step.name}.xml`);
  const logPath = join(attackDir, `${step.name}.log`);
  const args = [...options, '-n', '--stats-every', '1s', '-oX', xmlPath, ...targets];
  const command = `nmap ${args.join(' ')}`;
  const log = createWriteStream(logPath);
  log.write(`# ${command}\n`);
  const startedAt = Date.now();
  const child = nsSpawn(attacker.namespace, 'nmap', args, {
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: step.timeoutMs,
    cancelSignal: signal,
    forceKillAfterDelay: 3000,
  });
  const errors: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    log.write(`${line}\n`);
    const progress = parseProgressLine(line);
    if (progress) onProgress(progress);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    log.write(`${line}\n`);
    if (line.trim()) errors.push(line.trim());
  });
  const result = await child;
  await new Promise<void>((resolve) => log.end(resolve));
  const endedAt = Date.now();
  const summary = existsSync(xmlPath) ? parseNmapXml(readFileSync(xmlPath, 'utf8')) : undefined;
  let status: AttackStatus = 'ok';
  let message: string | undefined;
  if (result.isCanceled || signal.aborted) {
    status = 'interrupted';
    message = 'stopped by the user';
  } else if (result.timedOut) {
    status = 'timeout';
    message = `nmap did not finish within ${step.timeoutMs / 1000} s (the step's timeout)`;
  } else if (result.exitCode !== 0) {
    status = 'failed';
    message = errors.slice(0, 5).join(' | ') || `nmap exited with ${result.exitCode}`;
  }
  return { step: step.name, status, exitCode: result.exitCode, command, startedAt, endedAt, xmlPath, logPath, summary, message };
}
