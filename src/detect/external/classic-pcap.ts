// The captures an external detector reads: classic pcap, which every pcap tool reads (p0f and
// older tools read no pcapng). A classic pcap input is handed over as it is; a pcapng one, or a
// part of a capture (the training part), is written into the detector's scratch folder.
import { closeSync, openSync, readSync } from 'node:fs';
import { PcapWriter, readCapture } from '../../capture/pcap-file.ts';
import { UserError } from '../../errors.ts';

const CLASSIC_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);

export function isClassicPcap(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && CLASSIC_MAGICS.has(head.readUInt32LE(0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies the packets of `from` for which `keep(index, secondsSinceFirst)` holds into a classic
 * pcap at `to` (nanosecond timestamps, exact); returns how many it wrote. One link type only.
 */
export function writeClassicPcap(from: string, to: string, keep: (index: number, seconds: number) => boolean = () => true): number {
  let writer: PcapWriter | undefined;
  let link = -1;
  let sec0 = 0;
  let nsec0 = 0;
  try {
    readCapture(from, (r) => {
      if (r.index === 0) {
        sec0 = r.tsSec;
        nsec0 = r.tsNsec;
      }
      if (!keep(r.index, (r.tsSec - sec0) + (r.tsNsec - nsec0) / 1e9)) return;
      if (!writer) {
        writer = new PcapWriter(to, { linkType: r.linkType });
        link = r.linkType;
      } else if (r.linkType !== link) {
        throw new UserError(`${from} mixes link types (${link} and ${r.linkType}); a classic pcap holds one`, 'give an external detector a capture of one interface (tshark -r FILE -w OUT.pcap -F pcap shows which)');
      }
      writer.write(r.tsSec, r.tsNsec, r.origLen, r.data);
    });
    // Even an empty part is a valid pcap (header only); Ethernet is as good a link type as any.
    writer ??= new PcapWriter(to, { linkType: 1 });
    return writer.packets;
  } finally {
    writer?.close();
  }
}
