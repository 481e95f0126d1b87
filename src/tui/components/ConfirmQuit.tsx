import { Box, Text } from 'ink';

export function ConfirmQuit() {
  return (
    <Box borderStyle="round" borderColor="yellow" paddingX={1} flexDirection="column">
      <Text bold color="yellow">
        Stop the run?
      </Text>
      <Text>The lab is torn down, the capture so far is kept and the run is marked interrupted.</Text>
      <Text>
        <Text bold color="cyan">y</Text> stop   <Text bold color="cyan">n</Text> keep running
      </Text>
    </Box>
  );
}
