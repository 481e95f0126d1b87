import { Box, Text } from 'ink';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text color="yellow">Terminal too small: {columns}×{rows}.</Text>
      <Text>scanlab needs at least {MIN_COLUMNS}×{MIN_ROWS}; enlarge the window (q quits).</Text>
    </Box>
  );
}
