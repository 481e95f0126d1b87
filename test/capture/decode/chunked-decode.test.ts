// Decoding in chunks (decodeCaptureInChunks, the bounded-memory path of analyze and the dataset
// export) gives every packet the same fields as decoding the whole capture at once, whatever the
// chunk size: state that spans packets (IP reassembly, HTTP/TLS message tracking for the protocol
// column, the address table) carries over from one chunk to the next.
import { afterAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { decodeCapture, decodeCaptureInChunks } from '../../../src/capture/decode/decode-capture.ts';
import type { PacketColumns } from '../../../src/capture/decode/columns.ts';
import { writeSyntheticLab } from '../../fixtures/synthetic-lab.ts';
import { PROJECT_ROOT } from '../../helpers/env.ts';
import { tempDir } from '../../helpers/tools.ts';

const tmp = tempDir('chunked-decode');
afterAll(() => tmp.remove());

const fixture = (name: string) => join(PROJECT_ROOT, 'test/fixtures/captures', name);
const captures: [string, () => string][] = [
  ['fragmented-syn.pcap (nmap -f: fragments reassembled across chunk boundaries)', () => fixture('fragmented-syn.pcap')],
  ['lo-mixed.pcap (HTTP, TLS, DNS, SSH, scans)', () => fixture('lo-mixed.pcap')],
  ['lo-any-sll2.pcap (Linux cooked v2)', () => fixture('lo-any-sll2.pcap')],
  ['synthetic lab (HTTP and TLS messages spanning segments)', () => {
    const path = join(tmp.path, 'lab.pcap');
    writeSyntheticLab(path, { seconds: 6, scanStart: 1, seed: 3 });
    return path;
  }],
];

/** The chunks glued back into whole columns, each chunk copied before the next overwrites it. */
function glued(path: string, chunkPackets: number, packets: number): { columns: PacketColumns; chunks: number[]; seen: number } {
  const whole = decodeCapture(path).columns;
  const out = {} as Record<string, ArrayLike<number> & { set(a: ArrayLike<number>, o: number): void; subarray(a: number, b: number): ArrayLike<number> }>;
  for (const [name, col] of Object.entries(whole)) out[name] = new (col.constructor as new (n: number) => typeof out[string])(packets);
  const chunks: number[] = [];
  let seen = 0;
  decodeCaptureInChunks(path, (chunk) => {
    expect(chunk.first).toBe(chunks.reduce((a, b) => a + b, 0));
    chunks.push(chunk.count);
    for (const [name, col] of Object.entries(chunk.columns)) out[name].set((col as Uint8Array).subarray(0, chunk.count), chunk.first);
  }, { chunkPackets, onPacket: () => seen++ });
  return { columns: out as unknown as PacketColumns, chunks, seen };
}

/** Index of the first packet where two columns differ, -1 when none. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe.each(captures)('%s', (_name, make) => {
  const path = make();
  const whole = decodeCapture(path);

  test.each([1, 7, 64, 1_000_000])('in chunks of %i packets: every column of every packet equals the whole decode', (size) => {
    // Given the whole decode; When decoded in chunks of `size`
    const { columns, chunks, seen } = glued(path, size, whole.packets);
    // Then: full chunks except maybe the last, every packet seen once, and the same values
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(whole.packets);
    expect(chunks.slice(0, -1).every((n) => n === size)).toBe(true);
    expect(seen).toBe(whole.packets);
    for (const name of Object.keys(whole.columns) as (keyof PacketColumns)[]) {
      expect(firstDifference(columns[name], whole.columns[name]), name).toBe(-1);
    }
  });

  test('the facts beside the columns (packets, addresses, protocols, fragments, warnings) are the same', () => {
    const facts = decodeCaptureInChunks(path, () => {}, { chunkPackets: 5 });
    expect(facts.packets).toBe(whole.packets);
    expect(facts.start).toEqual(whole.start);
    expect(facts.fragments).toEqual(whole.fragments);
    expect(facts.warnings).toEqual(whole.warnings);
    expect(facts.addresses.size).toBe(whole.addresses.size);
    for (let id = 1; id < whole.addresses.size; id++) expect(facts.addresses.text(id)).toBe(whole.addresses.text(id));
  });
});
