// CaptureDecoder reads a file reader's record in place (its chunk at `offset`, no view made per
// packet) and a bare `data` view (live detection's tail) alike: the decoders read only
// data[offset, end), so the bytes around a record, here the rest of a frame cut by a snaplen and
// junk before and after it, never change a field.
import { afterAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { CaptureDecoder } from '../../../src/capture/decode/decode-capture.ts';
import type { PacketColumns } from '../../../src/capture/decode/columns.ts';
import { readCapture, type PacketFields } from '../../../src/capture/pcap-file.ts';
import { writeSyntheticLab } from '../../fixtures/synthetic-lab.ts';
import { PROJECT_ROOT } from '../../helpers/env.ts';
import { tempDir } from '../../helpers/tools.ts';

const tmp = tempDir('in-place-decode');
afterAll(() => tmp.remove());

const fixture = (name: string) => join(PROJECT_ROOT, 'test/fixtures/captures', name);
const captures: [string, () => string][] = [
  ['fragmented-syn.pcap (IPv4 fragments)', () => fixture('fragmented-syn.pcap')],
  ['lo-mixed.pcap (HTTP, TLS, DNS, SSH, scans)', () => fixture('lo-mixed.pcap')],
  ['lo-any-sll2.pcap (Linux cooked v2)', () => fixture('lo-any-sll2.pcap')],
  ['synthetic lab (HTTP and TLS messages spanning segments)', () => {
    const path = join(tmp.path, 'lab.pcap');
    writeSyntheticLab(path, { seconds: 2, scanStart: 0.5, seed: 5 });
    return path;
  }],
];

type Frame = Omit<PacketFields, 'data'> & { bytes: Uint8Array };

function framesOf(path: string): Frame[] {
  const frames: Frame[] = [];
  readCapture(path, (r) => frames.push({ tsSec: r.tsSec, tsNsec: r.tsNsec, capLen: r.capLen, origLen: r.origLen, linkType: r.linkType, bytes: r.data.slice() }));
  return frames;
}

const JUNK_BEFORE = 7;
const JUNK_AFTER = 300;

/** Every cut through the link, IP and transport headers, then a few payload lengths. */
const SNAPS = [...Array.from({ length: 121 }, (_, k) => k), 150, 300, 65535];
/** The cut of frame k in pass `pass`: over the passes each frame meets many cuts, each cut many frames. */
const snapOf = (k: number, pass: number) => SNAPS[(k * (2 * pass + 1) + pass * 17) % SNAPS.length];

/** Columns of the frames cut (snapOf), each handed as a view of exactly its bytes. */
function decodedAsViews(frames: Frame[], pass: number): PacketColumns {
  const decoder = new CaptureDecoder('views');
  for (const [k, f] of frames.entries()) {
    const capLen = Math.min(snapOf(k, pass), f.capLen);
    decoder.push({ ...f, capLen, data: f.bytes.subarray(0, capLen) });
  }
  return decoder.decoded().columns;
}

/** The same frames read in place: a buffer holding junk, the whole frame (past the cut), and more junk. */
function decodedInPlace(frames: Frame[], pass: number): PacketColumns {
  const decoder = new CaptureDecoder('in place');
  for (const [k, f] of frames.entries()) {
    const capLen = Math.min(snapOf(k, pass), f.capLen);
    const buffer = new Uint8Array(JUNK_BEFORE + f.capLen + JUNK_AFTER).fill(0x45);
    buffer.set(f.bytes, JUNK_BEFORE);
    decoder.push({ ...f, capLen, data: f.bytes.subarray(0, capLen), buffer, offset: JUNK_BEFORE });
  }
  return decoder.decoded().columns;
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe.each(captures)('%s', (_name, make) => {
  const frames = framesOf(make());

  test.each([0, 1, 2, 3, 4, 5])('frames cut to 0-120, 150, 300 or 65535 bytes (pass %i): every column equals the decode of exact views', (pass) => {
    // Given the frames cut to varying lengths; When decoded from exact views and in place
    const views = decodedAsViews(frames, pass);
    const inPlace = decodedInPlace(frames, pass);
    // Then every field of every packet is the same
    expect(views.time.length).toBe(frames.length);
    for (const name of Object.keys(views) as (keyof PacketColumns)[]) {
      expect(firstDifference(inPlace[name], views[name]), name).toBe(-1);
    }
  });
});
