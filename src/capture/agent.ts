// The capture agent: runs inside the victim's namespace (started by capture/session.ts through
// `ip netns exec`), captures with libpcap through node_pcap and writes the classic pcap itself.
// libpcap's own pcap_dump held packets in a 4 KiB stdio buffer that node_pcap cannot flush, so at a
// few packets a second the file (and the live detection that reads it) lagged by seconds; this
// writer copies each packet into its buffer and flushes every FLUSH_MS, only ever whole records.
// It prints one JSON line on stdout per report: a "ready" line once the capture is live (the
// file's header is on disk by then), "stats" lines every 250 ms and a "final" line after
// SIGINT/SIGTERM, when it closes the session, flushes the file and exits 0. The pcap on disk is
// complete even if the engine reads these lines slowly.

import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { PcapWriter } from './pcap-file.ts';

/** How often the pcap is flushed: what a reader of the file (live detection) waits at most. */
const FLUSH_MS = 100;
/** node_pcap names the link type; the file holds its LINKTYPE_ number (unknown ones come as "Unknown linktype N"). */
const LINK_TYPES: Record<string, number> = { LINKTYPE_NULL: 0, LINKTYPE_ETHERNET: 1, LINKTYPE_RAW: 101, LINKTYPE_LINUX_SLL: 113, LINKTYPE_IEEE802_11_RADIO: 127 };

const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    iface: { type: 'string' },
    out: { type: 'string' },
    snaplen: { type: 'string', default: '262144' },
    'buffer-mib': { type: 'string', default: '64' },
    filter: { type: 'string', default: '' },
  },
});

function report(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

let pcap: typeof import('pcap');
try {
  pcap = require('pcap');
} catch (error) {
  report({ type: 'error', message: `cannot load the pcap package (libpcap binding): ${(error as Error).message}`, hint: 'run "npm run setup" to install libpcap-dev and rebuild node_modules' });
  process.exit(3);
}

const iface = values.iface!;
const out = values.out!;
const started = Date.now();
let packets = 0;
let bytes = 0;
const snaplen = Number(values.snaplen);
let session: InstanceType<typeof pcap.PcapSession>;
try {
  // PcapSession(is_live, device, filter, buffer_size, snap_length, outfile, is_monitor, buffer_timeout, warningHandler?, promiscuous)
  session = new pcap.PcapSession(true, iface, values.filter, Number(values['buffer-mib']) * 1024 * 1024, snaplen, '', false, 10);
} catch (error) {
  report({ type: 'error', message: `libpcap could not open ${iface}: ${(error as Error).message}` });
  process.exit(3);
}
const linkType = LINK_TYPES[session.link_type] ?? Number(/(\d+)$/.exec(String(session.link_type))?.[1]);
let writer: PcapWriter;
try {
  // Microsecond timestamps, as libpcap's own dump of a live capture.
  writer = new PcapWriter(out, { linkType, snaplen, nanosecond: false });
  writer.flush();
} catch (error) {
  report({ type: 'error', message: `cannot write the capture file ${out}: ${(error as Error).message}`, hint: 'check that the run directory exists and is writable' });
  process.exit(3);
}
// node_pcap's header: tv_sec, tv_usec, caplen, len (little-endian); `buf` is reused for the next packet.
session.on('packet', (raw: { buf: Buffer; header: Buffer }) => {
  const capLen = raw.header.readUInt32LE(8);
  const origLen = raw.header.readUInt32LE(12);
  const at = writer.reserve(capLen);
  writer.buffer.set(raw.buf.subarray(0, capLen), at);
  writer.commit(raw.header.readUInt32LE(0), raw.header.readUInt32LE(4) * 1000, origLen, capLen);
  packets++;
  bytes += origLen;
});
const flusher = setInterval(() => writer.flush(), FLUSH_MS);

function stats(type: string): void {
  const s = session.stats() as { ps_recv: number; ps_drop: number; ps_ifdrop: number };
  report({ type, packets, bytes, received: s.ps_recv, dropped: s.ps_drop, ifDropped: s.ps_ifdrop, elapsedMs: Date.now() - started });
}

const timer = setInterval(() => stats('stats'), 250);
report({ type: 'ready', iface, out, snaplen: Number(values.snaplen), filter: values.filter, libpcap: pcap.lib_version });

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  // Let libpcap deliver what is already in its ring buffer before closing.
  setTimeout(() => {
    stats('final');
    session.close();
    clearInterval(flusher);
    writer.close();
    process.exit(0);
  }, 300);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.stdin.on('end', stop); // the engine died: its pipe closed
process.stdin.resume();
