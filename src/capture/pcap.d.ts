// The parts of node_pcap (package "pcap", no bundled types) that scanlab uses.
declare module 'pcap' {
  import { EventEmitter } from 'node:events';
  export class PcapSession extends EventEmitter {
    constructor(
      isLive: boolean, device: string, filter: string | undefined, bufferSize: number, snapLength: number,
      outfile: string | null, isMonitor: boolean, bufferTimeout: number, warningHandler?: (x: string) => void, promiscuous?: boolean,
    );
    /** "LINKTYPE_ETHERNET" and the like, or "Unknown linktype N". */
    readonly link_type: string;
    stats(): { ps_recv: number; ps_drop: number; ps_ifdrop: number };
    close(): void;
  }
  export const lib_version: string;
}
