// p0f 3 (Debian's p0f package, installed by lab/setup.sh) as a built-in external detector: it
// reads the capture with its stock fingerprint database (/etc/p0f/p0f.fp) and logs every SYN it
// fingerprints; the lines saying `NMap SYN scan` or `NMap OS detection` name the scanning host
// (src/detect/external/formats/p0f.ts). It does not learn, so it needs no {train}. It reads
// classic pcap and, through libpcap 1.10, pcapng too. Its log times are local: it inherits this
// process's TZ, which the reader uses.
import type { ExternalDetectorSpec } from './spec.ts';

export const P0F_DETECTOR: ExternalDetectorSpec = {
  name: 'p0f',
  command: ['p0f', '-r', '{pcap}', '-o', '{out}'],
  format: 'p0f',
  // p0f reads a 131070-packet full port scan in well under a second; this only stops a hang.
  timeoutSeconds: 120,
  description: 'p0f 3.09b with its stock fingerprints: names the hosts whose SYNs match NMap:SYN scan or NMap:OS detection (host-level)',
};
