// Shared by the line-based readers: split text into numbered lines and report a bad line with the
// file and line it is on and what the format expects there.
import { UserError } from '../../../errors.ts';

export interface NumberedLine {
  readonly text: string;
  /** 1-based. */
  readonly no: number;
}

/** Non-empty lines (CRLF or LF), with their line numbers. */
export function numberedLines(text: string): NumberedLine[] {
  const out: NumberedLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() !== '') out.push({ text: line, no: i + 1 });
  }
  return out;
}

export function badLine(where: string, no: number, problem: string, format: string): UserError {
  return new UserError(`${where} line ${no}: ${problem}`, `the detector's output must be ${format}; fix the detector or name its format (format: in the detectors file)`);
}

/** Lower-case protocol name as ExternalAlert wants it (IPv6-ICMP and ICMP6 are icmpv6). */
export function protoName(text: string): string {
  const p = text.trim().toLowerCase();
  return p === 'ipv6-icmp' || p === 'icmp6' ? 'icmpv6' : p;
}

/** A port, or undefined for an empty field; throws for anything else. */
export function portOf(text: string | undefined): number | undefined | null {
  if (text === undefined || text.trim() === '' || text === '-') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : null;
}
