#!/usr/bin/env bash
# Every benchmark in bench/, one after the other (root; about 30 minutes). Each writes its own
# section of bench/RESULTS.md beside the reference tool it is measured against.
set -euo pipefail
cd "$(dirname "$0")/.."
node --import tsx bench/capture.bench.ts 3
node --import tsx bench/capture-topspeed.bench.ts 3
node --import tsx bench/analysis.bench.ts
node --import tsx bench/kmeans-features.bench.ts
node --import tsx bench/anonymize.bench.ts
node --import tsx bench/kmeans.bench.ts
node --import tsx bench/detect.bench.ts
node --import tsx bench/memory-scale.bench.ts   # 1M and 5M packets; MEMORY_SCALE_20M=1 adds 20M (long)
