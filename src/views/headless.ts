// The plain view: one line per event that matters, progress at most once a second per source.
// Used with --no-tui, when stdout is not a terminal, and in CI.

import type { RunScores, TimedEvent } from '../engine/events.ts';
import { formatDuration } from '../scenario/duration.ts';

export function headlessPrinter(write: (line: string) => void): (event: TimedEvent) => void {
  const lastPrinted = new Map<string, number>();
  const alerts = new Map<string, number>();
  const throttled = (key: string, time: number) => {
    if (time - (lastPrinted.get(key) ?? 0) < 1000) return true;
    lastPrinted.set(key, time);
    return false;
  };
  return (event) => {
    switch (event.type) {
      case 'run-started':
        write(`scanlab: scenario ${event.scenario} (seed ${event.seed}), about ${formatDuration(event.plannedMs)} of traffic`);
        write(`  run directory: ${event.runDir}`);
        break;
      case 'phase-started':
        write(`▸ ${event.phase}${event.detail ? ` (${event.detail})` : ''}`);
        break;
      case 'phase-finished':
        if (event.status !== 'ok') write(`  ${event.phase} ${event.status}${event.detail ? `: ${event.detail}` : ''}`);
        else if (event.durationMs > 2000) write(`  ${event.phase} done in ${formatDuration(event.durationMs)}`);
        break;
      case 'capture-stats':
        if (throttled('capture', event.time)) break;
        write(`  capture: ${event.stats.packets} packets, ${event.stats.dropped} dropped by libpcap`);
        break;
      case 'attack-started':
        write(`  step ${event.index + 1}/${event.total} ${event.step}: ${event.command}`);
        break;
      case 'attack-progress':
        if (throttled(`attack:${event.step}`, event.time)) break;
        write(`  ${event.step}: ${event.phase} ${event.percent.toFixed(0)}%${event.remainingSeconds !== undefined ? `, ${event.remainingSeconds}s left` : ''}`);
        break;
      case 'attack-finished':
        write(`  ${event.step}: ${event.status} after ${formatDuration(event.durationMs)}, ${event.openPorts} open ports${event.message ? ` (${event.message})` : ''}`);
        break;
      case 'warning':
        write(`  warning: ${event.message}`);
        break;
      case 'alert': {
        // The first alert of each detector at once, then at most one line a second per detector.
        const key = `alert:${event.detector}`;
        const first = !lastPrinted.has(key);
        alerts.set(event.detector, (alerts.get(event.detector) ?? 0) + 1);
        if (!first && throttled(key, event.time)) break;
        if (first) lastPrinted.set(key, event.time);
        const count = alerts.get(event.detector)!;
        write(`  alert ${event.detector}: ${event.src}${event.dst ? ` -> ${event.dst}` : ''} score ${event.score.toFixed(1)}, ${formatLag(event.raisedAt - event.lastPacketTime)} after its packets${count > 1 ? ` (${count} alerts so far)` : ''}`);
        break;
      }
      case 'live-finished':
        write(`  live detection: ${event.packets} packets read, ${event.alerts} alerts${event.packetsPerSecond ? `, ${event.packetsPerSecond.toLocaleString('en-US')} packets/s of work` : ''}${event.latencyMs.p50 !== null ? `, alert latency p50 ${formatLag(event.latencyMs.p50)} p99 ${formatLag(event.latencyMs.p99!)}` : ''}`);
        break;
      case 'result': {
        const s = event.summary;
        write('');
        write(`run ${s.status}: ${s.packets} packets (${s.scan} scan, ${s.benign} benign), ${s.dropped} dropped by libpcap`);
        write(`  run directory: ${s.runDir}`);
        if (s.dataset) write(`  dataset:       ${s.dataset}`);
        write(`  report:        ${s.report ?? `${s.runDir}/report.html`}`);
        if (s.scores) for (const line of scoreLines(s.scores)) write(line);
        if (s.message) write(`  note: ${s.message}`);
        break;
      }
      default:
        break;
    }
  };
}

const formatLag = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

const f3 = (v: number | null) => (v === null ? '  -  ' : v.toFixed(3));

/** Detection per detector (base rate beside precision), then separation in its own block. */
export function scoreLines(scores: RunScores): string[] {
  const lines: string[] = [];
  const detectors = Object.entries(scores.detection);
  if (detectors.length > 0) {
    lines.push('  detection (label-free decisions, per packet after the warm-up):');
    for (const [name, d] of detectors) {
      lines.push(`    ${name.padEnd(14)} F1 ${f3(d.f1)}  precision ${f3(d.precision)} (base rate ${f3(d.baseRate)})  recall ${f3(d.recall)}  ROC-AUC ${f3(d.rocAuc)}`);
    }
  }
  const sets = Object.entries(scores.separation);
  if (sets.length > 0) {
    lines.push('  separation (k-means clusters the labels call scan; not a detection score):');
    for (const [name, m] of sets) lines.push(`    ${name.padEnd(14)} ARI ${f3(m.ari)}  majority-rule F1 ${f3(m.majorityF1)}`);
  }
  return lines;
}
