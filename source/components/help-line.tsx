import {Box, Text} from 'ink';
import {color} from './theme.js';
import {helpText, type Binding} from './keys.js';

/** The last line of every screen: which keys work here. */
export function HelpLine({bindings}: {bindings: readonly Binding[]}) {
  return (
    <Box
      borderStyle="single"
      borderTop
      borderBottom={false}
      borderLeft={false}
      borderRight={false}
      width={80}
    >
      <Text color={color('muted')} wrap="truncate-end">
        {helpText(bindings)}
      </Text>
    </Box>
  );
}
