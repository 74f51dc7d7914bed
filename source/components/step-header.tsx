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
  compromise: ['load', 'inspect', 'collect', 'enlist', 'rewrap', 'prove', 'migrate', 'report'],
};

const MODE_TITLE: Record<Mode, string> = {
  rehearsal: 'Quarterly rehearsal',
  restore: 'Restore after a purge',
  onboarding: 'Onboarding',
  rotation: 'Rotation',
  compromise: 'Compromise rehearsal',
};

/**
 * The steps around the current one, as many as fit in `width` columns: steps far from the
 * current one give way first, shown as "…", so the current step is always on screen.
 */
export function stepTrail(flow: readonly Step[], step: Step, width: number): string {
  const at = flow.indexOf(step);
  const name = (s: Step) => (s === step ? `[${s}]` : s);
  let from = 0;
  let to = flow.length;
  for (;;) {
    const parts = flow.slice(from, to).map(name);
    if (from > 0) parts.unshift('…');
    if (to < flow.length) parts.push('…');
    const text = parts.join(' › ');
    if (text.length <= width || to - from <= 1) return text;
    // Drop the end farther from the current step (the past first when equally far).
    if (at - from >= to - 1 - at) from++;
    else to--;
  }
}

/**
 * Where the operator is:
 *   sd-drill · Quarterly rehearsal · demo-hsm (3 of 5)
 *   Step 4/7 Collect shares   load › inspect › disaster › [collect] › …
 */
export function StepHeader({step, mode, domain}: {step: Step; mode?: Mode; domain?: string}) {
  const flow = mode ? FLOW[mode] : [];
  const i = flow.indexOf(step);
  const position = i >= 0 ? `Step ${i + 1}/${flow.length} ` : '';
  const head = `${position}${STEP_TITLES[step]}  `;
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
          {flow.length > 0 ? '  ' + stepTrail(flow, step, 80 - head.length) : ''}
        </Text>
      </Text>
    </Box>
  );
}
