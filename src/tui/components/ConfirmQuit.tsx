import { Box, Text } from 'ink';

export interface ConfirmQuitProps {
  title?: string;
  consequence?: string;
  keep?: string;
}

export function ConfirmQuit({
  title = 'Stop the run?',
  consequence = 'The lab is torn down, the capture so far is kept and the run is marked interrupted.',
  keep = 'keep running',
}: ConfirmQuitProps = {}) {
  return (
    <Box borderStyle="round" borderColor="yellow" paddingX={1} flexDirection="column">
      <Text bold color="yellow">
        {title}
      </Text>
      <Text>{consequence}</Text>
      <Text>
        <Text bold color="cyan">y</Text> stop   <Text bold color="cyan">n</Text> {keep}
      </Text>
    </Box>
  );
}
