// The run directory (DESIGN.md "Run directory"): its name, its files, its event log.

import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TimedEvent } from './events.ts';

export interface RunPaths {
  readonly root: string;
  readonly scenario: string;
  readonly capture: string;
  readonly captureJson: string;
  readonly attackDir: string;
  readonly events: string;
  readonly labels: string;
  readonly labelsJson: string;
  readonly analysis: string;
  readonly dataset: string;
  readonly report: string;
  /** Ground truth of the benign agents: every connection they opened (private). */
  readonly benignFlows: string;
  /** Capture on an attacking host's interface (private): what it emitted. */
  attackerCapture(host: string): string;
}

export function runPaths(root: string): RunPaths {
  return {
    root,
    scenario: join(root, 'scenario.yaml'),
    capture: join(root, 'capture.pcap'),
    captureJson: join(root, 'capture.json'),
    attackDir: join(root, 'attack'),
    events: join(root, 'events.jsonl'),
    labels: join(root, 'labels.csv'),
    labelsJson: join(root, 'labels.json'),
    analysis: join(root, 'analysis.json'),
    dataset: join(root, 'dataset'),
    report: join(root, 'report.html'),
    benignFlows: join(root, 'benign-flows.jsonl'),
    attackerCapture: (host: string) => join(root, `capture-${host}.pcap`),
  };
}

function stamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

/** Creates runs/<yyyymmdd-hhmmss>-<scenario>/ (or under `outDir`), never reusing one. */
export function createRunDir(scenario: string, outDir?: string, now = new Date()): RunPaths {
  const base = resolve(outDir ?? 'runs');
  let root = join(base, `${stamp(now)}-${scenario}`);
  for (let n = 2; existsSync(root); n++) root = join(base, `${stamp(now)}-${scenario}-${n}`);
  mkdirSync(join(root, 'attack'), { recursive: true });
  return runPaths(root);
}

/** Appends each event as one JSON line; capture stats are thinned to one a second. */
export function eventLogWriter(path: string): (event: TimedEvent) => void {
  let lastStats = 0;
  return (event) => {
    if (event.type === 'capture-stats' && event.time - lastStats < 1000) return;
    if (event.type === 'capture-stats') lastStats = event.time;
    appendFileSync(path, `${JSON.stringify(event)}\n`);
  };
}
