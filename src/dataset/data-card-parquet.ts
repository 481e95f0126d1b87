// The data card's Parquet section: the schema of each Parquet file (from parquet.ts, the schemas
// the writer declares) and how pandas, DuckDB and Spark load the flows with their labels.

import { FLOWS_SCHEMA, LABELS_SCHEMA, PACKETS_SCHEMA, type ParquetColumn } from './parquet.ts';

export function renderParquetSection(files: Record<string, unknown>, merged: boolean): string {
  const present = (f: string) => f in files;
  const schema = (name: string, cols: readonly ParquetColumn[], from: string) => present(name)
    ? `\`${name}\` (from ${from}):${merged ? ' first `run` (VARCHAR, the run directory\'s name) and `split` (VARCHAR, `train` or `test`), then' : ''}\n\n| column | type |\n|---|---|\n${cols.map((c) => `| ${c.name} | ${c.type} |`).join('\n')}\n`
    : '';
  return `## Parquet

The CSV files again as Parquet (snappy, what every Parquet reader reads), written by DuckDB from the CSVs with declared types, so
the values are the CSVs' own: empty CSV cells are NULL, \`Timestamp\` is a UTC timestamp with
microseconds. Column meanings are those of the CSVs above.

${schema('packets.parquet', PACKETS_SCHEMA, 'packets.csv')}
${schema('labels.parquet', LABELS_SCHEMA, 'labels.csv')}
${schema('flows.parquet', FLOWS_SCHEMA, 'flows.csv; the meaning of each column is in the Flows table')}
pandas (with pyarrow or fastparquet): \`pd.read_parquet("flows.parquet")\`.

DuckDB, the flows with their labels and the packets of each:

\`\`\`sql
SELECT Label, "Attack Step", count(*) AS flows, sum("Scan Packets") AS scan_packets
FROM 'flows.parquet' GROUP BY ALL ORDER BY flows DESC;
\`\`\`

Spark (PySpark) reads the same files, or a folder of them:

\`\`\`python
flows = spark.read.parquet("flows.parquet")
flows.groupBy("Label").count().show()
\`\`\`
`;
}
