// Synthesized captures for the detector tests: Ethernet/IPv4 frames with TCP, UDP or ICMP, written
// with PcapWriter and decoded by the real decoder, so the detectors see exactly what a capture
// gives them. Checksums are left 0 (nothing here checks them).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapWriter, LINKTYPE } from '../../src/capture/pcap-file.ts';
import { decodeCapture, type DecodedCapture } from '../../src/capture/decode/decode-capture.ts';

export const SYN = 0x02;
export const RST = 0x04;
export const ACK = 0x10;
export const SYN_ACK = SYN | ACK;
export const RST_ACK = RST | ACK;

export interface Frame {
  readonly time: number;
  readonly bytes: Uint8Array;
}

const ip = (text: string) => text.split('.').map(Number);

function frame(time: number, src: string, dst: string, proto: number, l4: number[]): Frame {
  const total = 20 + l4.length;
  const eth = [2, 0, ...ip(dst), 2, 0, ...ip(src), 0x08, 0x00];
  const ipv4 = [0x45, 0, total >> 8, total & 255, 0, 0, 0x40, 0, 64, proto, 0, 0, ...ip(src), ...ip(dst)];
  return { time, bytes: Uint8Array.from([...eth, ...ipv4, ...l4]) };
}

export function tcp(time: number, src: string, sport: number, dst: string, dport: number, flags: number): Frame {
  return frame(time, src, dst, 6, [sport >> 8, sport & 255, dport >> 8, dport & 255, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xfa, 0xf0, 0, 0, 0, 0]);
}

export function udp(time: number, src: string, sport: number, dst: string, dport: number): Frame {
  return frame(time, src, dst, 17, [sport >> 8, sport & 255, dport >> 8, dport & 255, 0, 12, 0, 0, 1, 2, 3, 4]);
}

/** ICMP type/code with an 8-byte body (a quoted header is not needed by the detectors). */
export function icmp(time: number, src: string, dst: string, type: number, code = 0): Frame {
  return frame(time, src, dst, 1, [type, code, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
}

/** A whole TCP handshake that succeeds: SYN, SYN-ACK, ACK (3 packets). */
export function openConnection(time: number, client: string, sport: number, server: string, dport: number): Frame[] {
  return [tcp(time, client, sport, server, dport, SYN), tcp(time + 0.001, server, dport, client, sport, SYN_ACK), tcp(time + 0.002, client, sport, server, dport, ACK)];
}

/** A refused TCP attempt: SYN, RST-ACK (2 packets). */
export function refusedConnection(time: number, client: string, sport: number, server: string, dport: number): Frame[] {
  return [tcp(time, client, sport, server, dport, SYN), tcp(time + 0.001, server, dport, client, sport, RST_ACK)];
}

/** Writes the frames (in the order given) to a pcap in a temp dir and decodes it. */
export function decodeFrames(frames: readonly Frame[]): DecodedCapture & { path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'scanlab-detect-')), 'capture.pcap');
  const writer = new PcapWriter(path, { linkType: LINKTYPE.ETHERNET });
  const base = 1_700_000_000;
  for (const f of frames) {
    const sec = Math.floor(f.time);
    writer.write(base + sec, Math.round((f.time - sec) * 1e9), f.bytes.length, f.bytes);
  }
  writer.close();
  return { ...decodeCapture(path), path };
}
