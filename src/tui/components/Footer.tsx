import { Box, Text } from 'ink';

export function Footer({ keys, note }: { keys: readonly [string, string][]; note?: string }) {
  return (
    <Box paddingX={1} justifyContent="space-between">
      <Text>
        {keys.map(([key, what], i) => (
          <Text key={key}>
            {i > 0 ? '   ' : ''}
            <Text bold color="cyan">
              {key}
            </Text>{' '}
            <Text dimColor>{what}</Text>
          </Text>
        ))}
      </Text>
      {note ? <Text dimColor>{note}</Text> : null}
    </Box>
  );
}
