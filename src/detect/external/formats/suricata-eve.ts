// Suricata EVE JSON (docs.suricata.io, "Eve JSON Output"): one JSON object a line; only
// `event_type: "alert"` lines are alerts (flow, stats, dns, ... are skipped). An alert names its
// packet by `pcap_cnt` (the 1-based packet number when Suricata reads a pcap) when present, else
// by src_ip/src_port/dest_ip/dest_port/proto at `timestamp`; `flow_id` ties alerts of one flow
// together. Severity 1 is Suricata's most severe: score = 4 - severity (1 -> 3, 3 -> 1).
import type { ExternalAlert } from '../alert.ts';
import { badLine, numberedLines, protoName } from './lines.ts';

const FORMAT = 'Suricata EVE JSON: one JSON object a line (eve.json)';

export function readSuricataEve(text: string, where: string): ExternalAlert[] {
  const out: ExternalAlert[] = [];
  for (const { text: line, no } of numberedLines(text)) {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch (cause) {
      throw badLine(where, no, `not JSON (${(cause as Error).message}): "${line.slice(0, 80)}"`, FORMAT);
    }
    if (!event || typeof event !== 'object' || Array.isArray(event)) throw badLine(where, no, 'not a JSON object', FORMAT);
    if (event.event_type !== 'alert') continue;
    const time = typeof event.timestamp === 'string' ? parseEveTimestamp(event.timestamp) : undefined;
    if (time === undefined) throw badLine(where, no, `alert without a readable timestamp (${JSON.stringify(event.timestamp)}); EVE writes e.g. "2024-05-01T12:00:00.123456+0000"`, FORMAT);
    const alert = (event.alert ?? {}) as Record<string, unknown>;
    const severity = typeof alert.severity === 'number' ? alert.severity : undefined;
    const pcapCnt = typeof event.pcap_cnt === 'number' && Number.isInteger(event.pcap_cnt) && event.pcap_cnt > 0 ? event.pcap_cnt : undefined;
    out.push({
      packetNo: pcapCnt,
      time,
      src: typeof event.src_ip === 'string' ? event.src_ip : undefined,
      dst: typeof event.dest_ip === 'string' ? event.dest_ip : undefined,
      sport: typeof event.src_port === 'number' ? event.src_port : undefined,
      dport: typeof event.dest_port === 'number' ? event.dest_port : undefined,
      proto: typeof event.proto === 'string' ? protoName(event.proto) : undefined,
      // flow_id is a 64-bit integer: JSON.parse would round it, so it is read from the text.
      flowId: /"flow_id"\s*:\s*"?(\d+)/.exec(line)?.[1],
      score: severity === undefined ? undefined : 4 - severity,
      what: typeof alert.signature === 'string' ? alert.signature : undefined,
      where: `${where} line ${no}`,
    });
  }
  return out;
}

export function looksLikeSuricataEve(head: string): boolean {
  return /^\s*\{.*"event_type"\s*:/m.test(head);
}

/** EVE's timestamp, "2024-05-01T12:00:00.123456+0000" (offset with or without a colon), as epoch seconds. */
export function parseEveTimestamp(text: string): number | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(text.trim());
  if (!m) return undefined;
  const whole = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
  const offset = !m[8] || m[8] === 'Z' ? 0 : (m[8][0] === '-' ? -1 : 1) * (Number(m[8].slice(1, 3)) * 3600 + Number(m[8].slice(-2)) * 60);
  return whole - offset + (m[7] ? Number(m[7]) : 0);
}
