// p0f 3 log lines (the file p0f writes with -o), read into host-level alerts: one per line whose
// os or app field names one of the two Nmap fingerprints in p0f's stock database
// (/etc/p0f/p0f.fp: `s:!:NMap:SYN scan`, `s:!:NMap:OS detection`). p0f names a host, not packets:
// it fingerprints one SYN and says which tool sent it.
//
// A line: `[2026/12/01 17:23:39] mod=syn|cli=198.18.0.11/42896|srv=198.18.0.10/22|subj=cli|
// app=NMap OS detection|dist=<= 17|params=random_ttl|raw_sig=...`. The time is the packet's own
// capture time (also when p0f reads a file with -r; checked against tshark on a lab capture),
// cut to whole seconds and written in p0f's LOCAL time zone (strftime of localtime). So it is
// read here in this process's local time zone, the one p0f inherits when scanlab runs it.
// Limit: in the hour a daylight-saving change repeats, a local time names two instants; this
// reads the earlier one (JavaScript's rule), which can put a time-to-detect an hour off.
import { isIP } from 'node:net';
import { UserError } from '../../../errors.ts';
import type { ExternalAlert } from '../alert.ts';

/** p0f prints `os=` or `app=` as the label's name, a space and its flavor. */
const NMAP_FINGERPRINTS = new Set(['NMap SYN scan', 'NMap OS detection']);

/** Whole seconds: a packet at 12.9 s is logged as 12 s, so it lies up to 1 s after the logged time. */
const P0F_TIME_TOLERANCE_SECONDS = 1;

const LINE = /^\[(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})\] (mod=.*)$/;

const LINE_SHAPE = '"[YYYY/MM/DD HH:MM:SS] mod=...|cli=IP/port|srv=IP/port|subj=cli|..."';

/** For format 'auto': the first line is a p0f log line. */
export function looksLikeP0fLog(head: string): boolean {
  return LINE.test(head.trimStart().split('\n', 1)[0].replace(/\r$/, ''));
}

export function readP0fLog(text: string, where: string): ExternalAlert[] {
  const alerts: ExternalAlert[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '') continue;
    const at = `${where} line ${i + 1}`;
    const match = LINE.exec(line);
    if (!match) {
      throw new UserError(
        `${at} is not a p0f log line: ${quote(line)} (expected ${LINE_SHAPE})`,
        'give the file p0f writes with -o FILE, not what it prints on its terminal (stdout)',
      );
    }
    const fields = parseFields(match[7]);
    const fingerprint = fields.get('app') ?? fields.get('os');
    if (fingerprint === undefined || !NMAP_FINGERPRINTS.has(fingerprint)) continue;

    const time = localTime(match.slice(1, 7).map(Number), at, line);
    const cli = endpoint(fields, 'cli', at);
    const srv = endpoint(fields, 'srv', at);
    const subject = fields.get('subj');
    if (subject !== 'cli' && subject !== 'srv') {
      throw new UserError(`${at}: subj is ${quote(subject ?? '(missing)')}, expected cli or srv`, 'give a log written by p0f 3');
    }
    // The scanner is whichever end p0f fingerprinted (the client for the stock SYN labels).
    const [scanner, other] = subject === 'cli' ? [cli, srv] : [srv, cli];
    alerts.push({
      time,
      timeTolerance: P0F_TIME_TOLERANCE_SECONDS,
      src: scanner.address,
      dst: other.address,
      sport: scanner.port,
      dport: other.port,
      proto: 'tcp',
      hostLevel: true,
      what: fingerprint,
      where: at,
    });
  }
  return alerts;
}

/** `mod=syn|cli=...|raw_sig=...` as a map; values may hold any character but `|`. */
function parseFields(rest: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of rest.split('|')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return fields;
}

/** `198.18.0.11/42896` or `2001:2::11/42896`. */
function endpoint(fields: Map<string, string>, key: 'cli' | 'srv', at: string): { address: string; port: number } {
  const value = fields.get(key);
  const parts = value === undefined ? null : /^(.+)\/(\d{1,5})$/.exec(value);
  if (!parts || isIP(parts[1]) === 0 || Number(parts[2]) > 65535) {
    throw new UserError(`${at}: ${key} is ${quote(value ?? '(missing)')}, expected an IP address, a slash and a port (198.18.0.11/42896)`, 'give a log written by p0f 3');
  }
  return { address: parts[1], port: Number(parts[2]) };
}

/** p0f's local wall time as seconds since the epoch, in this process's time zone. */
function localTime([year, month, day, hour, minute, second]: number[], at: string, line: string): number {
  const date = new Date(year, month - 1, day, hour, minute, second);
  const roundTrips = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day && date.getHours() === hour && date.getMinutes() === minute && date.getSeconds() === second;
  if (!roundTrips) {
    throw new UserError(`${at}: ${quote(line.slice(0, 21))} is not a time that exists in the local time zone (${Intl.DateTimeFormat().resolvedOptions().timeZone})`, 'p0f writes local time: read its log with the TZ it ran with');
  }
  return date.getTime() / 1000;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}...` : text);
}
