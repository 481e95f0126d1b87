// README.md of a merged dataset: which runs it holds, the train/test split by run, the files,
// and how to load the training and test rows apart. Per-run details stay in runs/<name>/README.md.

import type { MergedManifest } from './merge-runs.ts';
import { renderParquetSection } from './data-card-parquet.ts';

export function renderMergedCard(m: Omit<MergedManifest, 'format'> & { format: string }): string {
  const count = (rec: Record<string, number> | null) => (rec ? Object.entries(rec).map(([k, v]) => `${v} ${k}`).join(', ') : 'unlabelled');
  const runs = m.runs.map((r) => `| ${r.name} | ${r.split} | ${r.scenario ?? ''} | ${r.seed} | ${r.packets} (${count(r.packetsByLabel)}) | ${r.flows} (${count(r.flowsByLabel)}) |`).join('\n');
  const files = Object.entries(m.files).map(([f, v]) => `| ${f} | ${v.bytes} | \`${v.sha256}\` |`).join('\n');
  return `# scanlab dataset: ${m.runs.length} runs merged

${m.runs.length} scanlab runs, each anonymized and checked with verify-anon on its own
(\`runs/<name>/\` is that run's whole dataset, with its capture and data card), then merged
into one table per kind with two columns in front: \`run\` (the run directory's name) and
\`split\`.

## Train/test split: by run

Training runs: ${m.split.train.join(', ')}. Test runs: ${m.split.test.join(', ')}.
A run is wholly in one split, so no packet, flow or label of a test run is in the training
rows: flows are built within a run (no flow spans two runs), and each run has its own address
mapping (a host's fake address in one run says nothing about another run). Fit scalers,
thresholds and models on \`split == "train"\` only.

| run | split | scenario | seed | packets | flows |
|---|---|---|---:|---:|---:|
${runs}

## Files

| file | bytes | sha256 |
|---|---:|---|
${files}

- \`packets.csv\`, \`flows.csv\`, \`labels.csv\`: every run's file of that name, in the order of the
  table above, each line with \`run,split\` in front. Packet numbers (\`No.\`, \`no\`, \`First
  Packet\`) count within their run: join on (\`run\`, number). The columns are described in each
  run's data card (\`runs/<name>/README.md\`).
- \`partitioned/packets/\`, \`partitioned/flows/\`, \`partitioned/labels/\`: the same tables as
  Hive-partitioned Parquet, one folder per run (\`run=<name>/\`) and, for flows, one below it per
  UTC hour of the flow's first packet (\`hour=2026-11-28T05/\`), so a long capture is split by hour.
  The partition values live in the paths, not in the files: read the folder, not a file, and
  the reader adds \`run\` (and \`hour\`) back. \`split\` is a column inside each file.
- \`manifest.json\`: the runs, the split, checksums (every partition file too), tool versions.

pandas:

\`\`\`python
import pandas as pd
flows = pd.read_csv("flows.csv")
train, test = flows[flows.split == "train"], flows[flows.split == "test"]
\`\`\`

${renderParquetSection(m.files, true)}
The partitioned folders, in DuckDB (the flows of the training runs with their labels, by run and hour):

\`\`\`sql
SELECT run, hour, Label, count(*) AS flows
FROM read_parquet('partitioned/flows/**/*.parquet', hive_partitioning = true)
WHERE split = 'train' GROUP BY ALL ORDER BY run, hour, Label;
\`\`\`

and in Spark, which finds the partitions itself:

\`\`\`python
flows = spark.read.parquet("partitioned/flows")
flows.filter(flows.split == "train").groupBy("run", "hour", "Label").count().show()
\`\`\`
`;
}
