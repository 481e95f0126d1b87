// The >= 1,000,000-packet capture the analysis and k-means benchmarks share: the synthetic lab
// capture (test/fixtures/synthetic-lab.ts), 90 s repeated `repeat` times, made once and kept in `dir`.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { writeSyntheticLab } from '../test/fixtures/synthetic-lab.ts';

export const BENCH_CAPTURE_DIR = '/tmp/scanlab-bench-analysis';
export const BENCH_CAPTURE_REPEAT = 14;

export function benchCapture(repeat = BENCH_CAPTURE_REPEAT, dir = BENCH_CAPTURE_DIR): { pcap: string; labels: string } {
  mkdirSync(dir, { recursive: true });
  const pcap = join(dir, `lab-x${repeat}.pcap`);
  const labels = join(dir, `lab-x${repeat}.labels.csv`);
  if (!existsSync(pcap) || !existsSync(labels)) {
    const made = writeSyntheticLab(pcap, { seconds: 90, seed: 7, repeat, labelsPath: labels });
    process.stderr.write(`made ${pcap}: ${made.packets} packets, ${made.scanPackets} scan\n`);
  }
  return { pcap, labels };
}
