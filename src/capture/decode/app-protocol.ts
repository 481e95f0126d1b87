// Names a TCP or UDP payload the way Wireshark's Protocol column does in the common cases, from
// well-known ports and the first payload bytes. Where it can differ from tshark:
// - a PDU split over several TCP segments: Wireshark names the segment that completes it (after
//   reassembly) and calls the others "TCP". Here that is followed for HTTP messages with a
//   Content-Length (the common split: headers, then body) and for TLS records, not for SSH;
// - HTTP and TLS are recognised on any TCP port from their first bytes, as Wireshark's enabled
//   TCP heuristics do; a port registered to another dissector (e.g. 21, 25) may win in Wireshark;
// - UDP applications beyond the table below stay "UDP" where Wireshark may know them.
import { PROTO } from './protocol-table.ts';
import type { DecodeState } from './state.ts';
import { endpoint } from './pair-map.ts';

/** UDP ports and names; Wireshark tries the lower port first, and so does this table's lookup. */
const UDP_PORTS = new Map<number, number>([
  [53, PROTO.DNS],
  [5353, PROTO.MDNS],
  [5355, PROTO.LLMNR],
  [137, PROTO.NBNS],
  [138, PROTO.NBDS],
  [67, PROTO.DHCP],
  [68, PROTO.DHCP],
  [546, PROTO.DHCPv6],
  [547, PROTO.DHCPv6],
  [123, PROTO.NTP],
  [1900, PROTO.SSDP],
  [161, PROTO.SNMP],
  [162, PROTO.SNMP],
  [69, PROTO.TFTP],
  [514, PROTO.SYSLOG],
  [3478, PROTO.STUN],
  [111, PROTO.Portmap],
]);

const SSH_PORT = 22;
/** Wireshark 4.0's default TCP ports for TLS ("tshark -G decodes"). */
const TLS_PORTS = new Set([
  324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017,
]);

/** TLS record versions (and supported_versions values) to column names. */
const TLS_NAMES = new Map<number, number>([
  [0x0300, PROTO.SSL],
  [0x0301, PROTO.TLSv1],
  [0x0302, PROTO['TLSv1.1']],
  [0x0303, PROTO['TLSv1.2']],
  [0x0304, PROTO['TLSv1.3']],
]);

export function udpAppProtocol(data: Uint8Array, payload: number, i: number, state: DecodeState): number {
  const c = state.columns;
  if (c.payloadLen[i] === 0) return PROTO.UDP;
  const a = c.srcPort[i];
  const b = c.dstPort[i];
  const low = a < b ? a : b;
  const high = a < b ? b : a;
  if (low === 443 || high === 443) {
    // QUIC long header (first bit set) or short header on 443.
    if (payload < state.end && (data[payload] & 0x40) !== 0) return PROTO.QUIC;
  }
  const name = UDP_PORTS.get(low) ?? UDP_PORTS.get(high) ?? PROTO.UDP;
  if (name === PROTO.Portmap) {
    // An RPC call names its program; Wireshark says Portmap only for program 100000.
    const isCall = state.end - payload >= 16 && readU32(data, payload + 4) === 0;
    return isCall && readU32(data, payload + 12) === 100000 ? PROTO.Portmap : state.protocols.code('RPC');
  }
  return name;
}

export function tcpAppProtocol(data: Uint8Array, payload: number, i: number, state: DecodeState): number {
  const c = state.columns;
  const a = c.srcPort[i];
  const b = c.dstPort[i];
  const end = state.end;
  const from = endpoint(c.src[i], a);
  const to = endpoint(c.dst[i], b);
  const low = from < to ? from : to;
  const high = from < to ? to : from;
  if (a === SSH_PORT || b === SSH_PORT) {
    // "SSH" for the banners and until a connection has shown "SSH-2.0"; "SSHv2" after that.
    if (startsWith(data, payload, end, SSH2_BANNER)) state.sshVersions.set(low, high, 2);
    if (startsWith(data, payload, end, SSH_BANNER)) return PROTO.SSH;
    return state.sshVersions.get(low, high) === 2 ? PROTO.SSHv2 : PROTO.SSH;
  }
  const http = httpSegment(data, payload, i, state);
  if (http !== 0) return http;
  const pending = state.pduPending.get(from, to);
  if (pending !== undefined && !(end - payload >= 5 && isTlsRecord(data, payload))) {
    // A continuation of a TLS record begun in an earlier segment; more records may follow it.
    const owed = Math.floor(pending / 65536);
    const name = pending % 65536;
    if (owed > c.payloadLen[i]) {
      state.pduPending.set(from, to, (owed - c.payloadLen[i]) * 65536 + name);
      return PROTO.TCP;
    }
    const next = walkRecords(data, payload + owed, payload + c.payloadLen[i], end);
    if (next.left > 0) state.pduPending.set(from, to, next.left * 65536 + name);
    else state.pduPending.delete(from, to);
    return name;
  }
  if (end - payload >= 5 && isTlsRecord(data, payload)) {
    const known = state.tlsVersions.get(low, high);
    const hello = serverHelloVersion(data, payload, end);
    if (hello !== 0) state.tlsVersions.set(low, high, hello);
    const version = hello || known || ((data[payload + 1] << 8) | data[payload + 2]);
    const name = TLS_NAMES.get(version) ?? PROTO.TLSv1;
    // Walk the records: a last record that continues in later segments is named where it ends.
    const { complete, left } = walkRecords(data, payload, payload + c.payloadLen[i], end);
    if (left > 0) state.pduPending.set(from, to, left * 65536 + name);
    else state.pduPending.delete(from, to);
    return complete > 0 || left === 0 ? name : PROTO.TCP;
  }
  // Data that starts no message: Wireshark calls it an HTTP continuation on a connection that has
  // carried HTTP, TLS data of the session's version on a TLS port ("SSL" before one is known), and
  // plain TCP otherwise (also on port 80 before any HTTP was seen).
  if (state.httpConnections.get(low, high) !== undefined) return PROTO.HTTP;
  // (Under 5 bytes the TLS dissector waits for a whole record header: "TCP".)
  if ((TLS_PORTS.has(a) || TLS_PORTS.has(b)) && c.payloadLen[i] >= 5) return TLS_NAMES.get(state.tlsVersions.get(low, high) ?? 0) ?? PROTO.SSL;
  return PROTO.TCP;
}

const SSH_BANNER = [0x53, 0x53, 0x48, 0x2d]; // "SSH-"
const SSH2_BANNER = [0x53, 0x53, 0x48, 0x2d, 0x32, 0x2e, 0x30, 0x2d]; // "SSH-2.0-"
const HTTP_STARTS = ['GET ', 'POST ', 'HEAD ', 'PUT ', 'DELETE ', 'OPTIONS ', 'CONNECT ', 'PATCH ', 'TRACE ', 'HTTP/1.'].map((s) =>
  Array.from(s, (ch) => ch.charCodeAt(0)),
);

function startsWith(data: Uint8Array, at: number, end: number, bytes: number[]): boolean {
  if (end - at < bytes.length) return false;
  for (let k = 0; k < bytes.length; k++) if (data[at + k] !== bytes[k]) return false;
  return true;
}

const HTTP_VERSION = Array.from(' HTTP/1.', (ch) => ch.charCodeAt(0));

/** A status line, or a request line with a known method that ends in " HTTP/1.x". */
function isHttpStart(data: Uint8Array, at: number, end: number): boolean {
  if (startsWith(data, at, end, HTTP_STARTS[HTTP_STARTS.length - 1])) return true;
  let method = false;
  for (const s of HTTP_STARTS) if (startsWith(data, at, end, s)) { method = true; break; }
  if (!method) return false;
  const lineEnd = Math.min(end, at + 2048);
  for (let k = at; k + HTTP_VERSION.length <= lineEnd && data[k] !== 13 && data[k] !== 10; k++) {
    if (startsWith(data, k, end, HTTP_VERSION)) return true;
  }
  return false;
}

function isTlsRecord(data: Uint8Array, at: number): boolean {
  const type = data[at];
  const major = data[at + 1];
  const minor = data[at + 2];
  const length = (data[at + 3] << 8) | data[at + 4];
  return type >= 20 && type <= 24 && major === 3 && minor <= 4 && length > 0 && length <= 16384 + 2048;
}

/** Whole TLS records from `from` to the segment's end, and the bytes the last one still lacks. */
function walkRecords(data: Uint8Array, from: number, segmentEnd: number, end: number): { complete: number; left: number } {
  let o = from;
  let complete = 0;
  while (o + 5 <= segmentEnd && o + 5 <= end && isTlsRecord(data, o)) {
    const recordEnd = o + 5 + ((data[o + 3] << 8) | data[o + 4]);
    if (recordEnd > segmentEnd) return { complete, left: recordEnd - segmentEnd };
    complete++;
    o = recordEnd;
  }
  return { complete, left: 0 };
}

/**
 * The negotiated version if this record starts a ServerHello: supported_versions (TLS 1.3) or
 * the hello's own version; 0 otherwise.
 */
function serverHelloVersion(data: Uint8Array, at: number, end: number): number {
  if (data[at] !== 22 || end - at < 5 + 4 + 2 + 32 + 1 || data[at + 5] !== 2) return 0;
  const helloVersion = (data[at + 9] << 8) | data[at + 10];
  let o = at + 5 + 4 + 2 + 32;
  o += 1 + data[o]; // session id
  o += 2 + 1; // cipher suite, compression
  if (o + 2 > end) return helloVersion;
  const extEnd = Math.min(end, o + 2 + ((data[o] << 8) | data[o + 1]));
  o += 2;
  while (o + 4 <= extEnd) {
    const type = (data[o] << 8) | data[o + 1];
    const len = (data[o + 2] << 8) | data[o + 3];
    if (type === 43 && len >= 2 && o + 6 <= extEnd) return (data[o + 4] << 8) | data[o + 5];
    o += 4 + len;
  }
  return helloVersion;
}

function readU32(data: Uint8Array, at: number): number {
  return ((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]) >>> 0;
}

/**
 * HTTP naming with Wireshark's reassembly in mind: a message whose body (by Content-Length)
 * continues in later segments is named on its last segment; the others are "TCP". Returns 0
 * when the segment is no HTTP at all.
 */
function httpSegment(data: Uint8Array, payload: number, i: number, state: DecodeState): number {
  const c = state.columns;
  const from = endpoint(c.src[i], c.srcPort[i]);
  const to = endpoint(c.dst[i], c.dstPort[i]);
  const segment = c.payloadLen[i];
  const pending = state.httpPending.get(from, to);
  const starts = isHttpStart(data, payload, state.end);
  if (pending !== undefined && !starts) {
    const left = pending - segment;
    if (left > 0) {
      state.httpPending.set(from, to, left);
      return PROTO.TCP;
    }
    state.httpPending.delete(from, to);
    return PROTO.HTTP;
  }
  if (!starts) return 0;
  state.httpPending.delete(from, to);
  state.httpConnections.set(from < to ? from : to, from < to ? to : from, 1);
  const end = Math.min(state.end, payload + segment);
  const headerEnd = indexOfCrlfCrlf(data, payload, end);
  if (headerEnd < 0) return PROTO.HTTP;
  const length = contentLength(data, payload, headerEnd);
  const bodyHere = end - (headerEnd + 4);
  if (length > bodyHere) {
    state.httpPending.set(from, to, length - bodyHere);
    return PROTO.TCP;
  }
  return PROTO.HTTP;
}

function indexOfCrlfCrlf(data: Uint8Array, from: number, end: number): number {
  for (let k = from; k + 3 < end; k++) {
    if (data[k] === 13 && data[k + 1] === 10 && data[k + 2] === 13 && data[k + 3] === 10) return k;
  }
  return -1;
}

const CONTENT_LENGTH = Array.from('content-length:', (ch) => ch.charCodeAt(0));

function contentLength(data: Uint8Array, from: number, end: number): number {
  for (let k = from; k + CONTENT_LENGTH.length < end; k++) {
    if (k !== from && data[k - 1] !== 10) continue;
    let match = true;
    for (let m = 0; m < CONTENT_LENGTH.length; m++) {
      if ((data[k + m] | 0x20) !== CONTENT_LENGTH[m]) { match = false; break; }
    }
    if (!match) continue;
    let o = k + CONTENT_LENGTH.length;
    while (o < end && data[o] === 32) o++;
    let value = 0;
    while (o < end && data[o] >= 48 && data[o] <= 57) value = value * 10 + data[o++] - 48;
    return value;
  }
  return 0;
}

/**
 * A SYN starts a new connection on its 5-tuple (ports get reused): forget what the previous one
 * established, as Wireshark starts a new TCP stream.
 */
export function forgetConnection(i: number, state: DecodeState): void {
  const c = state.columns;
  const from = endpoint(c.src[i], c.srcPort[i]);
  const to = endpoint(c.dst[i], c.dstPort[i]);
  const low = from < to ? from : to;
  const high = from < to ? to : from;
  state.tlsVersions.delete(low, high);
  state.sshVersions.delete(low, high);
  state.httpConnections.delete(low, high);
  state.httpPending.delete(from, to);
  state.httpPending.delete(to, from);
  state.pduPending.delete(from, to);
  state.pduPending.delete(to, from);
}
