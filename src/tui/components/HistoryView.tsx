// Past runs: date, scenario, status, packets and the best detection F1 (a label-free detector's,
// never a separation score), newest first.

import { Box, Text } from 'ink';
import { bestDetection, type RunResults } from '../results.ts';
import { formatCount, formatDate, truncate } from '../format.ts';

export interface HistoryViewProps {
  runs: readonly RunResults[];
  selected: number;
  root: string;
  width: number;
  height: number;
}

export function HistoryView({ runs, selected, root, width, height }: HistoryViewProps) {
  if (runs.length === 0) {
    return (
      <Box flexDirection="column" paddingX={1}>
        <Text>No runs in {root} yet.</Text>
        <Text dimColor>Runs are written there by scanlab run (SCANLAB_RUNS changes where the history looks).</Text>
      </Box>
    );
  }
  const rows = Math.max(1, height - 2);
  const first = Math.max(0, Math.min(selected - Math.floor(rows / 2), runs.length - rows));
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text>
        <Text bold>History</Text> <Text dimColor>{truncate(root, width - 12)}</Text>
      </Text>
      <Text dimColor>  {'date'.padEnd(18)}{'scenario'.padEnd(18)}{'status'.padEnd(13)}{'packets'.padStart(9)}   best detection F1</Text>
      {runs.slice(first, first + rows).map((run, i) => {
        const index = first + i;
        const best = bestDetection(run);
        const color = run.status === 'ok' ? 'green' : run.status === 'interrupted' ? 'yellow' : 'red';
        return (
          <Text key={run.runDir} inverse={index === selected}>
            {index === selected ? '▸ ' : '  '}
            {formatDate(run.date).padEnd(18)}
            {truncate(run.scenario, 17).padEnd(18)}
            <Text color={color}>{run.status.padEnd(13)}</Text>
            {(run.packets === undefined ? '-' : formatCount(run.packets)).padStart(9)}
            {'   '}
            {best ? `${best.f1.toFixed(3)} (${best.name})` : <Text dimColor>-</Text>}
          </Text>
        );
      })}
    </Box>
  );
}
