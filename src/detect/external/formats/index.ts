// Alert formats by name: each reads an external detector's output text into ExternalAlert[]
// (src/detect/external/alert.ts), throwing a UserError naming the file and line on a bad line.
// `sniff` lets format 'auto' pick a reader from the text itself; a format without one is only
// used when named.
import type { ExternalAlert } from '../alert.ts';
import { looksLikeP0fLog, readP0fLog } from './p0f.ts';
import { looksLikeScanlabCsv, readScanlabCsv } from './scanlab-csv.ts';
import { looksLikeSuricataEve, readSuricataEve } from './suricata-eve.ts';
import { looksLikeZeekNotice, readZeekNotice } from './zeek-notice.ts';

export type AlertReader = (text: string, where: string) => ExternalAlert[];

export interface AlertFormat {
  readonly read: AlertReader;
  /** True when `head` (the output's first few KB) looks like this format. */
  readonly sniff?: (head: string) => boolean;
  /** The file this format's programs write inside a log folder ({outdir}): eve.json, notice.log. */
  readonly fileName?: string;
  /** Default time tolerance of its alerts, seconds (an alert's own timeTolerance wins). */
  readonly toleranceSeconds?: number;
}

export const ALERT_FORMATS: Record<string, AlertFormat> = {
  'scanlab-csv': { read: readScanlabCsv, sniff: looksLikeScanlabCsv, toleranceSeconds: 0.001 },
  'suricata-eve': { read: readSuricataEve, sniff: looksLikeSuricataEve, fileName: 'eve.json', toleranceSeconds: 0.00001 },
  'zeek-notice': { read: readZeekNotice, sniff: looksLikeZeekNotice, fileName: 'notice.log', toleranceSeconds: 0.00001 },
  // p0f logs whole local seconds; each alert carries that 1 s itself (timeTolerance).
  p0f: { read: readP0fLog, sniff: looksLikeP0fLog, toleranceSeconds: 1 },
};

/** The format named, or (for 'auto') the first whose sniff accepts `head`. */
export function formatFor(name: string, head: string): { name: string; format: AlertFormat } | undefined {
  if (name !== 'auto') return ALERT_FORMATS[name] ? { name, format: ALERT_FORMATS[name] } : undefined;
  for (const [n, f] of Object.entries(ALERT_FORMATS)) if (f.sniff?.(head)) return { name: n, format: f };
  return undefined;
}
