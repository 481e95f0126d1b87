// Parses nmap's --stats-every lines, e.g.
//   SYN Stealth Scan Timing: About 45.50% done; ETC: 12:01 (0:00:04 remaining)

export interface NmapProgress {
  readonly phase: string;
  readonly percent: number;
  /** Seconds nmap expects the phase still needs, when it says. */
  readonly remainingSeconds?: number;
}

const TIMING = /^(.+?) Timing: About ([\d.]+)% done(?:; ETC: \S+ \((\d+):(\d+):(\d+) remaining\))?/;

export function parseProgressLine(line: string): NmapProgress | undefined {
  const match = TIMING.exec(line.trim());
  if (!match) return undefined;
  const [, phase, percent, h, m, s] = match;
  const remainingSeconds = h === undefined ? undefined : Number(h) * 3600 + Number(m) * 60 + Number(s);
  return { phase, percent: Number(percent), remainingSeconds };
}
