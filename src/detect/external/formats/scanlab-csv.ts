// scanlab-csv: the simplest alert file a user's detector can write. Two shapes, told apart by the
// header line:
//   no,score[,flagged]                          one line per packet (`no` = 1-based frame number
//                                               in {pcap}); flagged 0/1 (without the column, every
//                                               listed packet is an alert)
//   time,src,dst[,sport,dport,proto][,score]    one line per event: epoch seconds (UTC); it flags
//                                               the packets from src to dst (and ports/protocol
//                                               when given) within the tolerance of `time`
// The same file `scanlab analyze --emit-scores` writes is a valid per-packet file.
import type { ExternalAlert } from '../alert.ts';
import { badLine, numberedLines, portOf, protoName } from './lines.ts';

const SHAPES = 'a scanlab-csv file: header "no,score[,flagged]" or "time,src,dst[,sport,dport,proto][,score]"';
const EVENT_COLUMNS = ['time', 'src', 'dst', 'sport', 'dport', 'proto', 'score'];

export function readScanlabCsv(text: string, where: string): ExternalAlert[] {
  const lines = numberedLines(text);
  if (lines.length === 0) return [];
  const header = lines[0].text.split(',').map((h) => h.trim().toLowerCase());
  const rest = lines.slice(1);
  if (header[0] === 'no') {
    if (header[1] !== 'score' || header.length > 3 || (header.length === 3 && header[2] !== 'flagged')) throw badLine(where, lines[0].no, `header "${lines[0].text}" is not "no,score" or "no,score,flagged"`, SHAPES);
    return rest.map(({ text: line, no }) => {
      const f = line.split(',');
      if (f.length !== header.length) throw badLine(where, no, `expected ${header.length} fields (${header.join(',')}), found ${f.length}: "${line}"`, SHAPES);
      const packetNo = Number(f[0]);
      if (!Number.isInteger(packetNo) || packetNo < 1) throw badLine(where, no, `"${f[0]}" is not a packet number (1, 2, ...)`, SHAPES);
      const score = parseScore(f[1]);
      if (score === undefined) throw badLine(where, no, `"${f[1]}" is not a score (a number, inf or -inf)`, SHAPES);
      let flagged: boolean | undefined;
      if (header.length === 3) {
        if (f[2].trim() !== '0' && f[2].trim() !== '1') throw badLine(where, no, `flagged must be 0 or 1, found "${f[2]}"`, SHAPES);
        flagged = f[2].trim() === '1';
      }
      return { packetNo, score, flagged, where: `${where} line ${no}` };
    });
  }
  if (header[0] === 'time' && header[1] === 'src' && header[2] === 'dst') {
    const known = header.every((h) => EVENT_COLUMNS.includes(h)) && new Set(header).size === header.length;
    if (!known) throw badLine(where, lines[0].no, `header "${lines[0].text}" has a column scanlab-csv does not know (it knows ${EVENT_COLUMNS.join(', ')})`, SHAPES);
    const col = (name: string) => header.indexOf(name);
    return rest.map(({ text: line, no }) => {
      const f = line.split(',').map((s) => s.trim());
      if (f.length !== header.length) throw badLine(where, no, `expected ${header.length} fields (${header.join(',')}), found ${f.length}: "${line}"`, SHAPES);
      const time = Number(f[0]);
      if (f[0] === '' || !Number.isFinite(time)) throw badLine(where, no, `"${f[0]}" is not a time (seconds since 1970, UTC)`, SHAPES);
      if (!f[1] || !f[2]) throw badLine(where, no, 'src and dst must be addresses', SHAPES);
      const sport = col('sport') >= 0 ? portOf(f[col('sport')]) : undefined;
      const dport = col('dport') >= 0 ? portOf(f[col('dport')]) : undefined;
      if (sport === null || dport === null) throw badLine(where, no, `a port must be 0-65535 or empty: "${line}"`, SHAPES);
      const score = col('score') >= 0 ? parseScore(f[col('score')]) : undefined;
      if (col('score') >= 0 && score === undefined) throw badLine(where, no, `"${f[col('score')]}" is not a score`, SHAPES);
      const proto = col('proto') >= 0 && f[col('proto')] !== '' ? protoName(f[col('proto')]) : undefined;
      return { time, src: f[1], dst: f[2], sport, dport, proto, score, where: `${where} line ${no}` };
    });
  }
  throw badLine(where, lines[0].no, `header "${lines[0].text.slice(0, 80)}" is neither shape`, SHAPES);
}

export function looksLikeScanlabCsv(head: string): boolean {
  return /^\s*(no,score|time,src,dst)\b/i.test(head);
}

function parseScore(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  const v = Number(t);
  return t !== '' && Number.isFinite(v) ? v : undefined;
}
