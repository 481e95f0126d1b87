// Zeek notice.log (docs.zeek.org, "notice.log"), as Zeek's ASCII writer makes it (tab-separated,
// '#separator', '#fields' and '#types' header lines, '-' for unset) or as JSON lines
// (LogAscii::use_json=T; ts as epoch seconds or ISO 8601). The scan notices of
// ncsa/bro-simple-scan and of the older policy/misc/scan (Scan::Port_Scan, Scan::Address_Scan,
// Scan::Random_Scan) name a scanning host, `src`, at `ts`: host-level alerts. Other notices are
// not about scans and are skipped.
import type { ExternalAlert } from '../alert.ts';
import { badLine, numberedLines } from './lines.ts';
import { parseEveTimestamp } from './suricata-eve.ts';

const FORMAT = 'a Zeek notice.log (TSV with a #fields header, or JSON lines)';
export const SCAN_NOTICES: readonly string[] = ['Scan::Port_Scan', 'Scan::Address_Scan', 'Scan::Random_Scan'];

export function readZeekNotice(text: string, where: string): ExternalAlert[] {
  const lines = numberedLines(text);
  const first = lines.find((l) => !l.text.startsWith('#'));
  if (lines.some((l) => l.text.startsWith('#fields')) || (lines.length > 0 && lines[0].text.startsWith('#'))) return readTsv(lines, where);
  if (first && first.text.trimStart().startsWith('{')) return readJson(lines, where);
  if (!first) return [];
  throw badLine(where, first.no, `neither a #fields header nor a JSON object: "${first.text.slice(0, 80)}"`, FORMAT);
}

export function looksLikeZeekNotice(head: string): boolean {
  return /^#separator /m.test(head) || /^#path\s+notice/m.test(head) || /^\s*\{.*"note"\s*:/m.test(head);
}

function readTsv(lines: ReturnType<typeof numberedLines>, where: string): ExternalAlert[] {
  let separator = '\t';
  let unset = '-';
  let fields: string[] | undefined;
  const out: ExternalAlert[] = [];
  for (const { text, no } of lines) {
    if (text.startsWith('#')) {
      if (text.startsWith('#separator ')) separator = unescapeSeparator(text.slice('#separator '.length));
      else if (text.startsWith(`#unset_field${separator}`)) unset = text.slice(`#unset_field${separator}`.length);
      else if (text.startsWith(`#fields${separator}`)) fields = text.split(separator).slice(1);
      continue;
    }
    if (!fields) throw badLine(where, no, 'a log line before the #fields header', FORMAT);
    const values = text.split(separator);
    if (values.length !== fields.length) throw badLine(where, no, `${values.length} fields where #fields names ${fields.length}`, FORMAT);
    const row = Object.fromEntries(fields.map((f, i) => [f, values[i] === unset ? undefined : values[i]]));
    const alert = noticeAlert(row, where, no);
    if (alert) out.push(alert);
  }
  return out;
}

function readJson(lines: ReturnType<typeof numberedLines>, where: string): ExternalAlert[] {
  const out: ExternalAlert[] = [];
  for (const { text, no } of lines) {
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(text) as Record<string, unknown>;
    } catch (cause) {
      throw badLine(where, no, `not JSON (${(cause as Error).message}): "${text.slice(0, 80)}"`, FORMAT);
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw badLine(where, no, 'not a JSON object', FORMAT);
    const alert = noticeAlert(row, where, no);
    if (alert) out.push(alert);
  }
  return out;
}

function noticeAlert(row: Record<string, unknown>, where: string, no: number): ExternalAlert | undefined {
  const note = row.note;
  if (typeof note !== 'string') throw badLine(where, no, 'a notice without a note field', FORMAT);
  if (!SCAN_NOTICES.includes(note)) return undefined;
  const time = typeof row.ts === 'number' ? row.ts : typeof row.ts === 'string' ? (/^\d+(\.\d+)?$/.test(row.ts) ? Number(row.ts) : parseEveTimestamp(row.ts.replace(/Z$/, '+0000'))) : undefined;
  if (time === undefined || !Number.isFinite(time)) throw badLine(where, no, `${note} without a readable ts (${JSON.stringify(row.ts)})`, FORMAT);
  // The scanner: `src` (both scan scripts set it); id.orig_h when a notice is tied to a connection.
  const src = typeof row.src === 'string' ? row.src : typeof row['id.orig_h'] === 'string' ? (row['id.orig_h'] as string) : undefined;
  if (!src) throw badLine(where, no, `${note} names no src host`, FORMAT);
  return { time, src, hostLevel: true, what: note, where: `${where} line ${no}` };
}

/** '#separator \x09' -> a tab. */
function unescapeSeparator(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
