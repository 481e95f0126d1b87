// One run of scanlab's analysis pipeline, stage by stage, for bench/analysis.bench.ts: decode,
// labels, then per feature set features, k-means and scores. Prints one JSON object; run in its
// own process so its peak RSS is its own.
import { decodeCapture } from '../src/capture/decode/decode-capture.ts';
import { readLabelsCsv } from '../src/analysis/labels.ts';
import { analyzeFeatureSet } from '../src/analysis/analyze-capture.ts';
import { FEATURE_SETS } from '../src/features/registry.ts';

const [pcap, labelsPath, seedText] = process.argv.slice(2);
const seed = Number(seedText ?? 1);
const t0 = performance.now();
const decoded = decodeCapture(pcap);
const t1 = performance.now();
const { labels } = readLabelsCsv(labelsPath, decoded.packets);
const t2 = performance.now();
const sets: Record<string, unknown> = {};
for (const set of FEATURE_SETS) {
  const { result } = analyzeFeatureSet(set, decoded, labels, {}, seed);
  sets[set.name] = {
    rows: result.rows,
    cols: result.columns.length,
    k: result.k,
    inertia: result.inertia,
    iterations: result.iterations,
    featuresMs: result.timings.featuresMs,
    kmeansMs: result.timings.kmeansMs,
    scoreMs: result.timings.scoreMs,
    metrics: result.metrics,
    metricsByPackets: result.metricsByPackets,
  };
}
const t3 = performance.now();
process.stdout.write(
  JSON.stringify({
    packets: decoded.packets,
    decodeMs: t1 - t0,
    labelsMs: t2 - t1,
    totalMs: t3 - t0,
    featureSets: sets,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  }) + '\n',
);
