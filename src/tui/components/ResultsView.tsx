// The results view: detection first (each label-free detector's scores per packet, the base rate
// beside precision, hosts), then separation apart (each feature set's clustering when the labels
// name its scan clusters: not a detection score) with the chosen set's cluster-by-label matrix,
// and where the run directory, dataset and report are.

import { Box, Text } from 'ink';
import type { RunResults } from '../results.ts';
import { formatCount, formatDate, score, truncate } from '../format.ts';

export interface ResultsViewProps {
  results: RunResults;
  /** Index of the feature set whose clusters are shown. */
  setIndex: number;
  width: number;
  height: number;
  /** A line about the report (being written, written, failed). */
  reportNote?: string;
}

export function ResultsView({ results, setIndex, width, height, reportNote }: ResultsViewProps) {
  const sets = results.featureSets;
  const chosen = sets.length > 0 ? sets[((setIndex % sets.length) + sets.length) % sets.length] : undefined;
  const statusColor = results.status === 'ok' ? 'green' : results.status === 'interrupted' ? 'yellow' : 'red';
  const clusterRows = Math.max(3, height - sets.length - results.detectors.length - 21);
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text>
        <Text bold color="cyan">
          {results.scenario}
        </Text>{' '}
        <Text dimColor>{formatDate(results.date)}</Text>  run <Text bold color={statusColor}>{results.status}</Text>
        {results.packets !== undefined ? (
          <Text>
            {'   '}
            {formatCount(results.packets)} packets
            {results.scan !== undefined ? (
              <Text>
                {' '}
                (<Text color="red">{formatCount(results.scan)} scan</Text>, <Text color="green">{formatCount(results.benign ?? results.packets - results.scan)} benign</Text>)
              </Text>
            ) : null}
          </Text>
        ) : null}
        {results.dropped ? <Text color="red" bold>{`   ${formatCount(results.dropped)} dropped by libpcap`}</Text> : null}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text>
          <Text bold>Detection</Text>
          <Text dimColor> (no detector reads labels; scored per packet after the training part)</Text>
        </Text>
        {results.training ? <Text dimColor>  training part: {truncate(results.training, width - 20)}</Text> : null}
        {results.detectors.length === 0 ? (
          <Text dimColor>  no analysis.json in this run directory (the run stopped before the analysis, or run scanlab analyze on it)</Text>
        ) : (
          <DetectionTable results={results} />
        )}
      </Box>
      {sets.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>
            <Text bold>Separation</Text>
            <Text dimColor> (k-means on every row; the labels name the scan clusters: not a detection score)</Text>
          </Text>
          <SeparationTable results={results} chosen={chosen?.name} />
        </Box>
      ) : null}
      {chosen ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>
            <Text bold>Clusters × labels</Text> <Text dimColor>for</Text> <Text color="cyan">{chosen.name}</Text>
            <Text dimColor>  (k = {chosen.k}, {formatCount(chosen.rows)} rows; packets per cluster)</Text>
          </Text>
          <Confusion clusters={chosen.clusters} rows={clusterRows} width={width} />
        </Box>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        <Text>
          <Text dimColor>run directory </Text>
          {truncate(results.runDir, width - 16)}
        </Text>
        <Text>
          <Text dimColor>dataset       </Text>
          {results.dataset ? truncate(results.dataset, width - 16) : <Text dimColor>not exported</Text>}
        </Text>
        <Text>
          <Text dimColor>report        </Text>
          {results.report ? truncate(results.report, width - 16) : <Text dimColor>not written yet (r writes it)</Text>}
          {reportNote ? <Text color="yellow"> {reportNote}</Text> : null}
        </Text>
      </Box>
    </Box>
  );
}

const tone = (v: number | null | undefined) => (v === null || v === undefined ? undefined : v >= 0.9 ? 'green' : v >= 0.6 ? 'yellow' : 'red');

function DetectionTable({ results }: { results: RunResults }) {
  const head = `${'detector'.padEnd(16)}${['base', 'prec', 'recall', 'F1', 'ROC-AUC'].map((h) => h.padStart(8)).join('')}${'attackers'.padStart(11)}${'false hosts'.padStart(13)}${'FA/h'.padStart(7)}`;
  return (
    <Box flexDirection="column">
      <Text dimColor>  {head}</Text>
      {results.detectors.map((d) => {
        const p = d.packets;
        const h = d.hosts;
        const attackers = h ? `${h.detected}/${h.attackers}` : '-';
        return (
          <Text key={d.name}>
            {'  '}
            {d.name.padEnd(16)}
            <Text dimColor>{score(p?.baseRate).padStart(8)}</Text>
            {[p?.precision, p?.recall].map((v) => score(v).padStart(8)).join('')}
            <Text bold color={tone(p?.f1)}>
              {score(p?.f1).padStart(8)}
            </Text>
            <Text color={tone(p?.rocAuc)}>{score(p?.rocAuc ?? undefined).padStart(8)}</Text>
            <Text color={h && h.detected < h.attackers ? 'red' : undefined}>{attackers.padStart(11)}</Text>
            <Text color={h && h.falselyFlagged > 0 ? 'red' : undefined}>{(h ? String(h.falselyFlagged) : '-').padStart(13)}</Text>
            {(d.falseAlarmsPerHour === null ? '-' : d.falseAlarmsPerHour.toFixed(0)).padStart(7)}
          </Text>
        );
      })}
    </Box>
  );
}

function SeparationTable({ results, chosen }: { results: RunResults; chosen?: string }) {
  const head = `${'feature set'.padEnd(14)}${'rows'.padStart(7)}${'k'.padStart(4)}  ${['ARI', 'NMI', 'V', 'purity', 'maj. F1'].map((h) => h.padStart(8)).join('')}${'rating'.padStart(8)}`;
  return (
    <Box flexDirection="column">
      <Text dimColor>  {head}</Text>
      {results.featureSets.map((set) => {
        const m = set.metrics;
        const cells = [m?.ari, m?.nmi, m?.vMeasure, m?.purity, m?.scanF1].map((v) => score(v).padStart(8)).join('');
        return (
          <Text key={set.name} inverse={set.name === chosen}>
            {set.name === chosen ? '▸ ' : '  '}
            {set.name.padEnd(14)}
            {formatCount(set.rows).padStart(7)}
            {String(set.k).padStart(4)}{'  '}
            {cells}
            {(set.rating === null ? '-' : set.rating.toFixed(1)).padStart(8)}
          </Text>
        );
      })}
      <Text dimColor>  maj. F1: clusters mostly scan called scan; rating: seed 000's centre rule, 0-10</Text>
    </Box>
  );
}

function Confusion({ clusters, rows, width }: { clusters: RunResults['featureSets'][number]['clusters']; rows: number; width: number }) {
  const shown = clusters.slice(0, rows);
  const rest = clusters.slice(rows);
  const max = Math.max(1, ...clusters.map((c) => c.packets));
  const barWidth = Math.max(10, Math.min(50, width - 44));
  return (
    <Box flexDirection="column">
      <Text dimColor>  {'cluster'.padEnd(9)}{'scan'.padStart(9)}{'benign'.padStart(9)}  {'majority'.padEnd(9)}</Text>
      {shown.map((c) => {
        const scanCells = Math.round((c.scan / max) * barWidth);
        const benignCells = Math.round((c.benign / max) * barWidth);
        const majority = c.scan * 2 > c.packets ? 'scan' : 'benign';
        return (
          <Text key={c.cluster}>
            {'  '}
            {`#${c.cluster}`.padEnd(9)}
            <Text color={c.scan > 0 ? 'red' : 'gray'}>{formatCount(c.scan).padStart(9)}</Text>
            <Text color={c.benign > 0 ? 'green' : 'gray'}>{formatCount(c.benign).padStart(9)}</Text>
            {'  '}
            {majority.padEnd(9)}
            <Text color="red">{'█'.repeat(scanCells)}</Text>
            <Text color="green">{'█'.repeat(benignCells)}</Text>
          </Text>
        );
      })}
      {rest.length > 0 ? (
        <Text dimColor>
          {'  '}… {rest.length} smaller clusters: {formatCount(rest.reduce((s, c) => s + c.scan, 0))} scan, {formatCount(rest.reduce((s, c) => s + c.benign, 0))} benign packets
        </Text>
      ) : null}
    </Box>
  );
}


