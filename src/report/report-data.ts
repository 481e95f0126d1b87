// The report's data: everything the plots show, computed from the decoded capture, the labels and
// each feature set's rows and clusters. Pure; big captures are downsampled for the plots
// (MAX_POINTS per scatter), counts and histograms always use every packet.

import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import type { Metrics } from '../score/metrics.ts';
import type { DetectorResult } from '../analysis/detect-capture.ts';
import type { ReportDetection } from './report-detection.ts';
import { pca2 } from '../cluster/pca.ts';
import type { LiveAlert } from '../detect/online/live-record.ts';

export const MAX_POINTS = 20_000;
export const MAX_PCA_POINTS = 5_000;
const TOP_TALKERS = 15;
const GRAPH_NODES = 40;

export interface FeatureSetData {
  readonly name: string;
  readonly k: number;
  readonly rows: number;
  readonly columns: readonly string[];
  /** Row-major rows x cols, as the clustering saw it. */
  readonly matrix: Float64Array;
  readonly cols: number;
  readonly assignments: Int32Array;
  readonly rowOfPacket: Int32Array;
  readonly rowPackets: Uint32Array;
  readonly metrics: Metrics | null;
  readonly metricsByRows: Metrics | null;
  readonly rating: number | null;
}

export interface ReportInput {
  readonly title: string;
  readonly runDir: string;
  readonly status?: string;
  readonly dropped?: number;
  readonly decoded: DecodedCapture;
  /** 1 scan, 0 benign per packet; undefined without labels. */
  readonly labels?: Uint8Array;
  readonly sets: readonly FeatureSetData[];
  /** Detection: every detector's scores and the decisions the timeline shows. */
  readonly detection?: ReportDetection;
  /** The run's live alerts (live.json), for the timeline. */
  readonly alerts?: readonly LiveAlert[];
  readonly notes: readonly string[];
}

/** One detector as the report's detection table shows it. */
export type ReportDetector = Pick<
  DetectorResult,
  'kind' | 'description' | 'training' | 'rule' | 'notes' | 'judgedPackets' | 'flaggedPackets' | 'packets' | 'hosts' | 'timeToDetectMs' | 'falseAlarmsPerHour' | 'falseAlarms'
> & { name: string };

/** A live alert on the timeline: times in seconds since the first packet. */
export interface TimelineAlert {
  detector: string;
  from: number;
  to: number;
  raised: number;
  src: string;
  dst: string | null;
  score: number;
}

/** At most this many alerts are drawn (the first ones: the ones that say how soon). */
export const MAX_TIMELINE_ALERTS = 2_000;

export interface ReportData {
  title: string;
  runDir: string;
  status: string | null;
  generated: string;
  labelled: boolean;
  summary: { packets: number; scan: number; benign: number; durationS: number; bytes: number; dropped: number | null };
  sizes: { edges: number[]; scan: number[]; benign: number[] };
  counts: { binS: number; start: number[]; scan: number[]; benign: number[] };
  /** Detection first: every detector (none ranked), and the one whose decisions the timeline shows. */
  detection: { training: string; detectors: ReportDetector[]; shown: string | null; why: string | null };
  /** `flagged`, per shown packet: 1 flagged, 0 not, -1 in the training part (not judged); null without detection. */
  timeline: { step: number; t: number[]; len: number[]; label: number[]; flagged: number[] | null; clusters: Record<string, number[]>; alerts: TimelineAlert[] };
  pca: Record<string, { step: number; x: number[]; y: number[]; cluster: number[]; label: number[] }>;
  confusion: Record<string, { cluster: number; scan: number; benign: number }[]>;
  talkers: { address: string; sent: number; received: number; bytes: number; scanShare: number }[];
  graph: { nodes: { address: string; packets: number; inDegree: number; outDegree: number; scanShare: number }[]; edges: { source: string; target: string; packets: number; scanShare: number }[] };
  scores: { name: string; k: number; rows: number; byPackets: Metrics | null; byRows: Metrics | null; rating: number | null }[];
  notes: string[];
}

const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

function timelineAlerts(decoded: DecodedCapture, alerts: readonly LiveAlert[]): TimelineAlert[] {
  if (alerts.length === 0) return [];
  const startMs = decoded.start.sec * 1000 + decoded.start.nsec / 1e6;
  const s = (ms: number) => round((ms - startMs) / 1000, 3);
  return alerts.slice(0, MAX_TIMELINE_ALERTS).map((a) => ({ detector: a.detector, from: s(a.firstPacketTime), to: s(a.lastPacketTime), raised: s(a.raisedAt), src: a.src, dst: a.dst, score: round(a.score, 2) }));
}

export function buildReportData(input: ReportInput): ReportData {
  const { decoded, labels } = input;
  const n = decoded.packets;
  const c = decoded.columns;
  let scan = 0;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    if (labels?.[i]) scan++;
    bytes += c.wireLen[i];
  }
  const durationS = n > 0 ? c.time[n - 1] : 0;
  const step = Math.max(1, Math.ceil(n / MAX_POINTS));
  const sampled: number[] = [];
  for (let i = 0; i < n; i += step) sampled.push(i);

  const detection = input.detection;
  const shown = detection?.shown;
  const timelineClusters: Record<string, number[]> = {};
  const pca: ReportData['pca'] = {};
  const confusion: ReportData['confusion'] = {};
  for (const set of input.sets) {
    timelineClusters[set.name] = sampled.map((i) => (set.rowOfPacket[i] >= 0 ? set.assignments[set.rowOfPacket[i]] : -1));
    pca[set.name] = projection(set, labels);
    confusion[set.name] = clusterByLabel(set, labels);
  }
  return {
    title: input.title,
    runDir: input.runDir,
    status: input.status ?? null,
    generated: new Date().toISOString(),
    labelled: labels !== undefined,
    summary: { packets: n, scan, benign: n - scan, durationS: round(durationS, 3), bytes, dropped: input.dropped ?? null },
    sizes: sizeHistogram(decoded, labels),
    counts: countHistogram(decoded, labels),
    detection: {
      training: detection?.training ?? 'none',
      detectors: Object.entries(detection?.detectors ?? {}).map(([name, d]) => reportDetector(name, d)),
      shown: shown?.name ?? null,
      why: shown?.why ?? null,
    },
    timeline: {
      step,
      t: sampled.map((i) => round(c.time[i])),
      len: sampled.map((i) => c.wireLen[i]),
      label: sampled.map((i) => labels?.[i] ?? 0),
      flagged: shown ? sampled.map((i) => (shown.judged[i] ? shown.flagged[i] : -1)) : null,
      clusters: timelineClusters,
      alerts: timelineAlerts(decoded, input.alerts ?? []),
    },
    pca,
    confusion,
    ...hosts(decoded, labels),
    scores: input.sets.map((s) => ({ name: s.name, k: s.k, rows: s.rows, byPackets: s.metrics, byRows: s.metricsByRows, rating: s.rating })),
    notes: [...input.notes],
  };
}

function reportDetector(name: string, d: DetectorResult): ReportDetector {
  const { kind, description, training, rule, notes, judgedPackets, flaggedPackets, packets, hosts, timeToDetectMs, falseAlarmsPerHour, falseAlarms } = d;
  return { name, kind, description, training, rule, notes, judgedPackets, flaggedPackets, packets, hosts, timeToDetectMs, falseAlarmsPerHour, falseAlarms };
}

/** Packet sizes in 50-byte bins up to the largest packet (bins widen past 1600 bytes). */
export function sizeHistogram(decoded: DecodedCapture, labels?: Uint8Array): ReportData['sizes'] {
  const n = decoded.packets;
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, decoded.columns.wireLen[i]);
  const width = max > 1600 ? Math.ceil(max / 32 / 50) * 50 : 50;
  const bins = Math.max(1, Math.ceil((max + 1) / width));
  const scan = new Array<number>(bins).fill(0);
  const benign = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.floor(decoded.columns.wireLen[i] / width));
    if (labels?.[i]) scan[b]++;
    else benign[b]++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, b) => b * width), scan, benign };
}

/** Packets per time bin (1 s, or wider so there are at most 600 bins), by label. */
export function countHistogram(decoded: DecodedCapture, labels?: Uint8Array): ReportData['counts'] {
  const n = decoded.packets;
  const duration = n > 0 ? decoded.columns.time[n - 1] : 0;
  const binS = Math.max(1, Math.ceil(duration / 600));
  const bins = Math.max(1, Math.floor(duration / binS) + 1);
  const scan = new Array<number>(bins).fill(0);
  const benign = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.floor(decoded.columns.time[i] / binS));
    if (labels?.[i]) scan[b]++;
    else benign[b]++;
  }
  return { binS, start: Array.from({ length: bins }, (_, b) => b * binS), scan, benign };
}

function projection(set: FeatureSetData, labels?: Uint8Array): ReportData['pca'][string] {
  const scanPerRow = new Float64Array(set.rows);
  if (labels) for (let i = 0; i < set.rowOfPacket.length; i++) if (set.rowOfPacket[i] >= 0 && labels[i]) scanPerRow[set.rowOfPacket[i]]++;
  const xy = pca2(set.matrix, set.rows, set.cols);
  const step = Math.max(1, Math.ceil(set.rows / MAX_PCA_POINTS));
  const out = { step, x: [] as number[], y: [] as number[], cluster: [] as number[], label: [] as number[] };
  for (let r = 0; r < set.rows; r += step) {
    out.x.push(round(xy[r * 2]));
    out.y.push(round(xy[r * 2 + 1]));
    out.cluster.push(set.assignments[r]);
    out.label.push(2 * scanPerRow[r] > set.rowPackets[r] ? 1 : 0);
  }
  return out;
}

/** Packets per cluster and label (each packet takes its row's cluster), largest cluster first. */
export function clusterByLabel(set: FeatureSetData, labels?: Uint8Array): ReportData['confusion'][string] {
  const scan = new Array<number>(set.k).fill(0);
  const benign = new Array<number>(set.k).fill(0);
  for (let i = 0; i < set.rowOfPacket.length; i++) {
    const r = set.rowOfPacket[i];
    if (r < 0) continue;
    const j = set.assignments[r];
    if (labels?.[i]) scan[j]++;
    else benign[j]++;
  }
  return scan.map((s, cluster) => ({ cluster, scan: s, benign: benign[cluster] })).sort((a, b) => b.scan + b.benign - (a.scan + a.benign) || a.cluster - b.cluster);
}

/** Top talkers and the host graph (who sends to whom), as the seed's graph view. */
function hosts(decoded: DecodedCapture, labels?: Uint8Array): Pick<ReportData, 'talkers' | 'graph'> {
  const n = decoded.packets;
  const c = decoded.columns;
  const sent = new Map<number, number>();
  const received = new Map<number, number>();
  const bytesOf = new Map<number, number>();
  const scanOf = new Map<number, number>();
  const edges = new Map<string, { src: number; dst: number; packets: number; scan: number }>();
  const add = (m: Map<number, number>, k: number, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (let i = 0; i < n; i++) {
    const s = c.src[i];
    const d = c.dst[i];
    const isScan = labels?.[i] ? 1 : 0;
    if (s) {
      add(sent, s, 1);
      add(bytesOf, s, c.wireLen[i]);
      add(scanOf, s, isScan);
    }
    if (d) {
      add(received, d, 1);
      add(bytesOf, d, c.wireLen[i]);
      add(scanOf, d, isScan);
    }
    if (s && d) {
      const key = `${s}>${d}`;
      const e = edges.get(key) ?? { src: s, dst: d, packets: 0, scan: 0 };
      e.packets++;
      e.scan += isScan;
      edges.set(key, e);
    }
  }
  const ids = new Set([...sent.keys(), ...received.keys()]);
  const total = (id: number) => (sent.get(id) ?? 0) + (received.get(id) ?? 0);
  const ranked = [...ids].sort((a, b) => total(b) - total(a));
  const name = (id: number) => decoded.addresses.text(id);
  const talkers = ranked.slice(0, TOP_TALKERS).map((id) => ({
    address: name(id),
    sent: sent.get(id) ?? 0,
    received: received.get(id) ?? 0,
    bytes: bytesOf.get(id) ?? 0,
    scanShare: round((scanOf.get(id) ?? 0) / Math.max(1, total(id)), 3),
  }));
  const inDeg = new Map<number, number>();
  const outDeg = new Map<number, number>();
  for (const e of edges.values()) {
    add(outDeg, e.src, 1);
    add(inDeg, e.dst, 1);
  }
  const kept = new Set(ranked.slice(0, GRAPH_NODES));
  const nodes = ranked.slice(0, GRAPH_NODES).map((id) => ({
    address: name(id),
    packets: total(id),
    inDegree: inDeg.get(id) ?? 0,
    outDegree: outDeg.get(id) ?? 0,
    scanShare: round((scanOf.get(id) ?? 0) / Math.max(1, total(id)), 3),
  }));
  const graphEdges = [...edges.values()]
    .filter((e) => kept.has(e.src) && kept.has(e.dst))
    .map((e) => ({ source: name(e.src), target: name(e.dst), packets: e.packets, scanShare: round(e.scan / e.packets, 3) }));
  return { talkers, graph: { nodes, edges: graphEdges } };
}
