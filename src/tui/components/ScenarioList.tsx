// The scenario picker: the list on the left, the chosen scenario's description, hosts, traffic,
// attack steps and expected duration on the right.

import { Box, Text } from 'ink';
import type { ScenarioEntry } from '../scenarios.ts';
import { formatDuration } from '../../scenario/duration.ts';
import { truncate } from '../format.ts';

export interface ScenarioListProps {
  entries: readonly ScenarioEntry[];
  selected: number;
  width: number;
  height: number;
}

export function ScenarioList({ entries, selected, width, height }: ScenarioListProps) {
  if (entries.length === 0) {
    return (
      <Box flexDirection="column" paddingX={1}>
        <Text color="yellow">No scenario files found.</Text>
        <Text>Put scenario .yaml files in ./scenarios, or set SCANLAB_SCENARIOS to files or folders (':'-separated).</Text>
      </Box>
    );
  }
  const listWidth = Math.min(30, Math.max(20, Math.floor(width * 0.28)));
  const detailWidth = width - listWidth - 4;
  const first = Math.max(0, Math.min(selected - Math.floor(height / 2), entries.length - height));
  const visible = entries.slice(first, first + height);
  const entry = entries[selected];
  return (
    <Box flexDirection="row" height={height}>
      <Box flexDirection="column" width={listWidth} marginRight={2}>
        {visible.map((e, i) => {
          const index = first + i;
          const on = index === selected;
          const right = e.error ? 'error' : formatDuration(e.plannedMs);
          const name = truncate(e.name, listWidth - right.length - 4);
          return (
            <Text key={e.path} inverse={on} color={e.error ? 'red' : undefined}>
              {on ? '▸ ' : '  '}
              {name.padEnd(listWidth - right.length - 3)} {right}
            </Text>
          );
        })}
      </Box>
      <Box flexDirection="column" width={detailWidth}>
        <ScenarioDetail entry={entry} width={detailWidth} />
      </Box>
    </Box>
  );
}

function ScenarioDetail({ entry, width }: { entry: ScenarioEntry; width: number }) {
  if (entry.error) {
    return (
      <Box flexDirection="column">
        <Text bold>{entry.path}</Text>
        <Text color="red">{entry.error}</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color="cyan">
          {entry.name}
        </Text>
        <Text dimColor>  {truncate(entry.path, width - entry.name.length - 2)}</Text>
      </Text>
      <Text>
        expected duration <Text bold>{formatDuration(entry.plannedMs)}</Text> of traffic and scans, plus lab set-up and analysis
      </Text>
      <Box marginTop={1}>
        <Text wrap="wrap">{entry.description}</Text>
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text bold>Hosts</Text>
        {entry.hosts.map((h) => (
          <Text key={h.name}>
            {'  '}
            {h.name.padEnd(10)} <Text color={h.role === 'attacker' ? 'red' : h.role === 'victim' ? 'yellow' : undefined}>{h.role.padEnd(9)}</Text>{' '}
            <Text dimColor>{h.address.padEnd(14)}</Text> {h.services.join(' ')}
          </Text>
        ))}
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text bold>Benign traffic</Text>
        <Box paddingLeft={2}>
          <Text wrap="wrap">{entry.traffic.map((t) => `${t.kind} ${t.from}→${t.to}`).join(' · ') || 'none'}</Text>
        </Box>
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text bold>Attack steps</Text>
        {entry.steps.map((s, i) => (
          <Text key={s.name}>
            {'  '}
            {i + 1}. {s.name.padEnd(16)} <Text dimColor>{truncate(`nmap ${s.nmap} ${s.targets.join(' ')}`, width - 22)}</Text>
          </Text>
        ))}
      </Box>
    </Box>
  );
}
