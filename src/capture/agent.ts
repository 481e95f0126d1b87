// The capture agent: runs inside the victim's namespace (started by capture/session.ts through
// `ip netns exec`), captures with libpcap through node_pcap, and lets libpcap write the pcap
// natively. It prints one JSON line on stdout per report: a "ready" line once the capture is
// live, "stats" lines every 250 ms and a "final" line after SIGINT/SIGTERM, when it closes the
// session (pcap_dump_close flushes the file) and exits 0. The pcap on disk is complete even if
// the engine reads these lines slowly.

import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';

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
let session: InstanceType<typeof pcap.PcapSession>;
try {
  // PcapSession(is_live, device, filter, buffer_size, snap_length, outfile, is_monitor, buffer_timeout, warningHandler?, promiscuous)
  session = new pcap.PcapSession(true, iface, values.filter, Number(values['buffer-mib']) * 1024 * 1024, Number(values.snaplen), out, false, 10);
} catch (error) {
  report({ type: 'error', message: `libpcap could not open ${iface}: ${(error as Error).message}` });
  process.exit(3);
}
session.on('packet', (raw: { header: Buffer }) => {
  packets++;
  bytes += raw.header.readUInt32LE(12);
});

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
    process.exit(0);
  }, 300);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.stdin.on('end', stop); // the engine died: its pipe closed
process.stdin.resume();
