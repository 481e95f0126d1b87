// Test helper: write frames (annotated hex) into a temporary pcap and decode it, so every decoder
// test goes through the same path as a real capture.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapWriter } from '../../../src/capture/pcap-file.ts';
import { decodeCapture, type DecodedCapture } from '../../../src/capture/decode/decode-capture.ts';

/** Bytes from hex with whitespace and `# comments` allowed. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (clean.length % 2) throw new Error(`odd hex length in fixture: ${clean.length}`);
  return Uint8Array.from(clean.match(/../g)!.map((b) => parseInt(b, 16)));
}

export function decodeFrames(linkType: number, frames: Uint8Array[], options: { snaplen?: number } = {}): DecodedCapture {
  const dir = mkdtempSync(join(tmpdir(), 'scanlab-decode-'));
  try {
    const path = join(dir, 'frames.pcap');
    const writer = new PcapWriter(path, { linkType });
    frames.forEach((frame, i) => {
      const cut = options.snaplen ? frame.subarray(0, options.snaplen) : frame;
      writer.write(1_700_000_000 + i, 0, frame.length, cut);
    });
    writer.close();
    return decodeCapture(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
