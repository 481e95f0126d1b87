// The report's data from a decoded capture: histograms count every packet, plots are downsampled.
import { describe, expect, test } from 'vitest';
import { buildReportData, MAX_POINTS, MAX_PCA_POINTS, type FeatureSetData } from '../../src/report/report-data.ts';
import type { DecodedCapture } from '../../src/capture/decode/decode-capture.ts';

/** A decoded capture of n packets: host 1 talks to host 2, every third packet is scan from host 3. */
function fakeCapture(n: number): { decoded: DecodedCapture; labels: Uint8Array } {
  const time = new Float64Array(n);
  const wireLen = new Uint32Array(n);
  const src = new Uint32Array(n);
  const dst = new Uint32Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    time[i] = i / 1000;
    const scan = i % 3 === 0;
    labels[i] = scan ? 1 : 0;
    wireLen[i] = scan ? 60 : 1000 + (i % 400);
    src[i] = scan ? 3 : 1;
    dst[i] = 2;
  }
  const decoded = { packets: n, columns: { time, wireLen, src, dst }, addresses: { text: (id: number) => `10.0.0.${id}` } } as unknown as DecodedCapture;
  return { decoded, labels };
}

function oneClusterPerLabel(n: number, labels: Uint8Array): FeatureSetData {
  const rowOfPacket = Int32Array.from({ length: n }, (_, i) => i);
  const matrix = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    matrix[i * 2] = labels[i] ? 5 + (i % 7) : i % 11;
    matrix[i * 2 + 1] = labels[i];
  }
  return { name: 'fake', k: 2, rows: n, columns: ['a', 'b'], matrix, cols: 2, assignments: Int32Array.from(labels), rowOfPacket, rowPackets: new Uint32Array(n).fill(1), metrics: null, metricsByRows: null, rating: null };
}

describe('buildReportData', () => {
  test('a big capture is downsampled for the plots, while counts and histograms use every packet', () => {
    // Given 100 000 packets
    const n = 100_000;
    const { decoded, labels } = fakeCapture(n);
    // When the report data is built
    const data = buildReportData({ title: 't', runDir: '/r', decoded, labels, sets: [oneClusterPerLabel(n, labels)], notes: [] });
    // Then the scatter plots hold at most their budget of points
    expect(data.timeline.t.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(data.timeline.clusters.fake.length).toBe(data.timeline.t.length);
    expect(data.pca.fake.x.length).toBeLessThanOrEqual(MAX_PCA_POINTS);
    // And every packet is counted
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    expect(sum(data.sizes.scan) + sum(data.sizes.benign)).toBe(n);
    expect(sum(data.counts.scan)).toBe(data.summary.scan);
    expect(data.summary.scan).toBe(Math.ceil(n / 3));
    expect(data.confusion.fake).toEqual([
      { cluster: 0, scan: 0, benign: n - Math.ceil(n / 3) },
      { cluster: 1, scan: Math.ceil(n / 3), benign: 0 },
    ]);
  });

  test('talkers and the host graph give packets and in/out degree per address', () => {
    const { decoded, labels } = fakeCapture(30);
    const data = buildReportData({ title: 't', runDir: '/r', decoded, labels, sets: [], notes: [] });
    expect(data.talkers[0]).toMatchObject({ address: '10.0.0.2', sent: 0, received: 30 });
    const scanner = data.graph.nodes.find((x) => x.address === '10.0.0.3')!;
    expect(scanner).toMatchObject({ outDegree: 1, inDegree: 0, scanShare: 1 });
    expect(data.graph.nodes.find((x) => x.address === '10.0.0.2')).toMatchObject({ inDegree: 2, outDegree: 0 });
  });

  test('the timeline carries the shown detector\'s decisions, with the training part apart', () => {
    // Given 30 packets, the first 10 the training part, a detector flagging every scan packet after it
    const n = 30;
    const { decoded, labels } = fakeCapture(n);
    const judged = Uint8Array.from({ length: n }, (_, i) => (i < 10 ? 0 : 1));
    const flagged = Uint8Array.from(labels, (l, i) => (i < 10 ? 1 : l));
    const detection = { training: 'the first 10 ms', detectors: {}, shown: { name: 'd', why: 'best', flagged, judged }, notes: [] };
    // When the report data is built
    const data = buildReportData({ title: 't', runDir: '/r', decoded, labels, sets: [], detection, notes: [] });
    // Then each packet is -1 in the training part (whatever the detector said there), else its decision
    expect(data.timeline.flagged).toEqual(Array.from({ length: n }, (_, i) => (i < 10 ? -1 : labels[i])));
    expect(data.detection).toMatchObject({ training: 'the first 10 ms', shown: 'd', why: 'best', detectors: [] });
    // And without detection there is nothing to show
    expect(buildReportData({ title: 't', runDir: '/r', decoded, labels, sets: [], notes: [] }).timeline.flagged).toBeNull();
  });

  test('without labels every packet counts as benign', () => {
    const { decoded } = fakeCapture(10);
    const data = buildReportData({ title: 't', runDir: '/r', decoded, sets: [], notes: [] });
    expect(data.labelled).toBe(false);
    expect(data.summary).toMatchObject({ scan: 0, benign: 10 });
  });
});
