import {Box, Text} from 'ink';
import {STEP_TITLES, type Mode, type Step} from '../ceremony/types.js';
import {color} from './theme.js';

const FLOW: Record<Mode, Step[]> = {
  rehearsal: ['load', 'inspect', 'disaster', 'collect', 'reconstruct', 'restore', 'report'],
  restore: ['load', 'inspect', 'disaster', 'collect', 'reconstruct', 'restore', 'report'],
  onboarding: [
    'enrol',
    'load',
    'inspect',
    'disaster',
    'collect',
    'reconstruct',
    'restore',
    'report',
  ],
  rotation: ['load', 'inspect', 'collect', 'enlist', 'rewrap', 'prove', 'report'],
};

const MODE_TITLE: Record<Mode, string> = {
  rehearsal: 'Quarterly rehearsal',
  restore: 'Restore after a purge',
  onboarding: 'Onboarding',
  rotation: 'Rotation',
};

/**
 * Where the operator is:
 *   sd-drill · Quarterly rehearsal · demo-hsm (3 of 5)
 *   Step 4/7 Collect shares   load › inspect › disaster › [collect] › …
 */
export function StepHeader({step, mode, domain}: {step: Step; mode?: Mode; domain?: string}) {
  const flow = mode ? FLOW[mode] : [];
  const i = flow.indexOf(step);
  const position = i >= 0 ? `Step ${i + 1}/${flow.length} ` : '';
  return (
    <Box flexDirection="column" width={80}>
      <Text wrap="truncate-end">
        <Text bold color={color('accent')}>
          sd-drill
        </Text>
        {mode ? ` · ${MODE_TITLE[mode]}` : ' · HSM security-domain recovery drill'}
        {domain ? ` · ${domain}` : ''}
      </Text>
      <Text wrap="truncate-end">
        <Text bold>
          {position}
          {STEP_TITLES[step]}
        </Text>
        <Text color={color('muted')}>
          {flow.length > 0 ? '  ' + flow.map((s) => (s === step ? `[${s}]` : s)).join(' › ') : ''}
        </Text>
      </Text>
    </Box>
  );
}
