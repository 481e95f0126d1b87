// manifest.json: what the dataset holds and how it was made. Never holds the key or the mapping.

import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

export interface Manifest {
  readonly format: 'scanlab-dataset/1';
  readonly scenario: { readonly name: string | null; readonly sha256: string | null };
  readonly seed: number;
  readonly anonymization: {
    readonly mode: 'faker' | 'prefix';
    readonly keySource: 'file' | 'seed' | null;
    readonly payload: 'cut' | 'kept';
    readonly dns: 'rewrite' | 'cut';
    readonly fakeRanges: { readonly ipv4: string; readonly ipv6: string } | null;
    readonly mappedAddresses: { readonly ipv4: number; readonly ipv6: number; readonly mac: number };
    readonly packetsCut: number;
    readonly mappingReused: boolean;
  };
  readonly packets: number;
  readonly linkType: number;
  /** The run's warm-up: packets before this many seconds after the first one are attack-free
   *  (what scanlab's learning detectors train on); null when not recorded. */
  readonly attackFreeUntilSeconds: number | null;
  readonly counts: { readonly byLabel: Record<string, number> | null; readonly byStep: Record<string, number> | null; readonly byProtocol: Record<string, number> };
  /** Rows of flows.csv, and by flow label (null without labels). */
  readonly flows: { readonly count: number; readonly byLabel: Record<string, number> | null };
  readonly files: Record<string, { readonly bytes: number; readonly sha256: string }>;
  readonly tools: Record<string, string>;
}

export function sha256File(path: string): { bytes: number; sha256: string } {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  let bytes = 0;
  try {
    for (let got; (got = readSync(fd, buf, 0, buf.length, bytes)) > 0; bytes += got) hash.update(buf.subarray(0, got));
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}
