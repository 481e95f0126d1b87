// Runs one attack step: nmap on the attacking host, with the targets filled in by scanlab, -n,
// XML to attack/<step>.xml, its output to attack/<step>.log and progress from --stats-every.
// On a host that shares this machine's files nmap writes the XML file itself; on an SSH host the
// XML comes on stdout (-oX -) and is stored as it arrives, progress read from its <taskprogress>.
// The only caller of nmap. Success and failure return one AttackResult shape.

import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { Host } from '../lab/host.ts';
import { RunFailure } from '../errors.ts';
import { checkNmapArguments, checkScope, checkTargets, isIpv6Scan } from './nmap-args.ts';
import { parseProgressLine, parseTaskProgress, type NmapProgress } from './progress.ts';
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
  attacker: Host,
  targets: string[],
  labAddresses: ReadonlySet<string>,
  attackDir: string,
  signal: AbortSignal,
  onProgress: (progress: NmapProgress) => void,
  /** An SSH lab's declared scope: every target and decoy must lie inside it too. */
  scope?: readonly string[],
): Promise<AttackResult> {
  // The scope guard runs again here, at the last moment before nmap: nothing else may reach it.
  const options = checkNmapArguments(step.nmap, labAddresses);
  const ipv6 = isIpv6Scan(options);
  checkTargets(targets, labAddresses, ipv6);
  const decoys = step.decoys ?? [];
  checkTargets(decoys, labAddresses, ipv6);
  if (scope) checkScope([...targets, ...decoys], scope);
  if (decoys.length > 0) options.push('-D', [...decoys, 'ME'].join(','));
  const xmlPath = join(attackDir, `${step.name}.xml`);
  const logPath = join(attackDir, `${step.name}.log`);
  const xmlOnStdout = !attacker.sharesFileSystem;
  const args = [...options, '-n', '--stats-every', '1s', '-oX', xmlOnStdout ? '-' : xmlPath, ...targets];
  const command = `nmap ${args.join(' ')}`;
  const log = createWriteStream(logPath);
  const xml = xmlOnStdout ? createWriteStream(xmlPath) : undefined;
  log.write(`# ${command}\n`);
  const startedAt = Date.now();
  const child = attacker.spawn('nmap', args);
  // Timeout and Ctrl-C stop nmap by its id on its host (killing a local ssh client would not).
  let timedOut = false;
  let canceled = false;
  const stopNmap = () => void child.stop(3000);
  const timer = setTimeout(() => {
    timedOut = true;
    stopNmap();
  }, step.timeoutMs);
  const onAbort = () => {
    canceled = true;
    stopNmap();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  const errors: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    (xml ?? log).write(`${line}\n`);
    const progress = xml ? parseTaskProgress(line) : parseProgressLine(line);
    if (progress) onProgress(progress);
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    log.write(`${line}\n`);
    if (line.trim()) errors.push(line.trim());
  });
  const result = await child.exited;
  clearTimeout(timer);
  signal.removeEventListener('abort', onAbort);
  await new Promise<void>((resolve) => log.end(resolve));
  if (xml) await new Promise<void>((resolve) => xml.end(resolve));
  const endedAt = Date.now();
  const summary = existsSync(xmlPath) ? parseNmapXml(readFileSync(xmlPath, 'utf8')) : undefined;
  let status: AttackStatus = 'ok';
  let message: string | undefined;
  if (result.connectionLost) {
    // Not nmap's failure: the attacker's SSH connection broke under it, and the run stops.
    status = 'interrupted';
    message = `stopped: the SSH connection to host ${attacker.name} broke`;
  } else if (canceled || signal.aborted) {
    status = 'interrupted';
    // A run's own stop (a broken connection elsewhere) says why; Ctrl-C and SIGTERM are the user's.
    message = signal.reason instanceof RunFailure ? `stopped: ${signal.reason.message}` : 'stopped by the user';
  } else if (timedOut) {
    status = 'timeout';
    message = `nmap did not finish within ${step.timeoutMs / 1000} s (the step's timeout)`;
  } else if (result.exitCode !== 0) {
    status = 'failed';
    message = errors.slice(0, 5).join(' | ') || `nmap exited with ${result.exitCode}`;
  }
  return { step: step.name, status, exitCode: result.exitCode, command, startedAt, endedAt, xmlPath, logPath, summary, message };
}

