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

// The same progress as nmap writes it into XML output (when the XML goes to stdout), e.g.
//   <taskprogress task="SYN Stealth Scan" time="1796152979" percent="45.50" remaining="4" etc="..."/>
const TASK_PROGRESS = /<taskprogress task="([^"]+)"[^>]*? percent="([\d.]+)"(?:[^>]*? remaining="(\d+)")?/;

export function parseTaskProgress(line: string): NmapProgress | undefined {
  const match = TASK_PROGRESS.exec(line);
  if (!match) return undefined;
  return { phase: match[1], percent: Number(match[2]), remainingSeconds: match[3] === undefined ? undefined : Number(match[3]) };
}
