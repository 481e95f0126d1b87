// flows.csv's rows built while the capture streams past in chunks equal the rows built from the
// whole capture in memory: same flows, same order, every value, with labels; with chunks of a
// few packets and a flow timeout short enough to end flows by the clock. A capture whose clock
// goes back is noticed (it is assembled whole: streaming could not know when a flow is over).
import { afterAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { LINKTYPE, PcapWriter } from '../../src/capture/pcap-file.ts';
import { buildFlowTable, forEachFlowRow } from '../../src/dataset/flows-csv.ts';
import type { FlowValue } from '../../src/dataset/flow-values.ts';
import { writeSyntheticLab } from '../fixtures/synthetic-lab.ts';
import { udpFrame } from '../fixtures/packet-builder.ts';
import { tempDir } from '../helpers/tools.ts';
import { PROJECT_ROOT } from '../helpers/env.ts';

const tmp = tempDir('flow-stream');
afterAll(() => tmp.remove());

/** Each row as text (every value as String gives it: exact for numbers, NaN and Infinity kept). */
function rows(table: ReturnType<typeof buildFlowTable>, options: Parameters<typeof forEachFlowRow>[2]): string[] {
  const out: string[] = [];
  forEachFlowRow(table, (r: FlowValue[]) => out.push(r.map(String).join(',')), options);
  return out;
}

describe('streamed flows equal whole-capture flows', () => {
  const pcap = join(tmp.path, 'lab.pcap');
  const labels = join(tmp.path, 'labels.csv');
  writeSyntheticLab(pcap, { seconds: 12, scanStart: 2, seed: 11, labelsPath: labels });
  const table = buildFlowTable(pcap, labels);

  test.each([
    [7, undefined],
    [1000, 2],
    [100_000, 0.05],
  ])('chunks of %i packets, flow timeout %s s', (chunkPackets, flowTimeout) => {
    expect(table.inTimeOrder).toBe(true);
    const whole = rows(table, { whole: true, flowTimeout });
    const streamed = rows(table, { chunkPackets, flowTimeout });
    expect(whole.length).toBeGreaterThan(100);
    expect(streamed.length).toBe(whole.length);
    // Row by row: the first difference, if any, names its flow.
    const f = streamed.findIndex((r, k) => r !== whole[k]);
    expect(f, f >= 0 ? `flow ${f + 1}: ${streamed[f]} vs ${whole[f]}` : '').toBe(-1);
  });

  test('the real lab fixtures too (fragments, TLS, scans)', () => {
    for (const name of ['lo-mixed.pcap', 'fragmented-syn.pcap']) {
      const t = buildFlowTable(join(PROJECT_ROOT, 'test/fixtures/captures', name));
      expect(rows(t, { chunkPackets: 3 }), name).toEqual(rows(t, { whole: true }));
    }
  });
});

test('a capture whose clock goes back is not streamed', () => {
  const path = join(tmp.path, 'back.pcap');
  const w = new PcapWriter(path, { linkType: LINKTYPE.ETHERNET });
  const a = { ip: '198.18.0.10', port: 5000 };
  const b = { ip: '198.18.0.20', port: 53 };
  for (const [sec, frame] of [[100, udpFrame(a, b, 10)], [99, udpFrame(b, a, 10)]] as const) w.write(sec, 0, frame.length, frame);
  w.close();
  const t = buildFlowTable(path);
  expect(t.inTimeOrder).toBe(false);
  expect(t.packets).toBe(2);
  expect(rows(t, {})).toHaveLength(1);
});
