import {Box} from 'ink';
import {STEP_TITLES, type Mode, type Step} from '../ceremony/types.js';
import {glyphs} from './glyphs.js';
import {STEP} from './screen-reader.js';
import {useLayout} from './layout.js';
import {Text} from './text.js';
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

export const MODE_TITLE: Record<Mode, string> = {
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
export function stepTrail(
  flow: readonly Step[],
  step: Step,
  width: number,
  g: {trail: string; ellipsis: string} = {trail: '›', ellipsis: '…'},
): string {
  const at = flow.indexOf(step);
  const name = (s: Step) => (s === step ? `[${s}]` : s);
  let from = 0;
  let to = flow.length;
  for (;;) {
    const parts = flow.slice(from, to).map(name);
    if (from > 0) parts.unshift(g.ellipsis);
    if (to < flow.length) parts.push(g.ellipsis);
    const text = parts.join(` ${g.trail} `);
    if (text.length <= width || to - from <= 1) return text;
    // Drop the end farther from the current step (the past first when equally far).
    if (at - from >= to - 1 - at) from++;
    else to--;
  }
}

export interface HeaderProps {
  step: Step;
  mode?: Mode;
  domain?: string;
}

/** The header's two lines as drawn at `width` columns; the trail only if it fits beside. */
export function headerLines({step, mode, domain}: HeaderProps, width: number): [string, string] {
  const g = glyphs();
  const flow = mode ? FLOW[mode] : [];
  const i = flow.indexOf(step);
  const position = i >= 0 ? `Step ${i + 1}/${flow.length} ` : '';
  const head = `${position}${STEP_TITLES[step]}`;
  const room = width - head.length - 2;
  const trail = flow.length > 0 && room >= 12 ? `  ${stepTrail(flow, step, room, g)}` : '';
  const title = `sd-drill ${g.sep} ${mode ? MODE_TITLE[mode] : 'HSM security-domain recovery drill'}${domain ? ` ${g.sep} ${domain}` : ''}`;
  return [title, `${head}${trail}`];
}

/** What a screen reader hears first on each step: where we are, then whose domain. */
export function spokenHeader({step, mode, domain}: HeaderProps): string {
  const flow = mode ? FLOW[mode] : [];
  const i = flow.indexOf(step);
  const position = i >= 0 ? `Step ${i + 1} of ${flow.length}: ` : '';
  const what = mode ? `${MODE_TITLE[mode]}` : 'sd-drill, HSM security-domain recovery drill';
  return `${position}${STEP_TITLES[step]}. ${what}${domain ? `, ${domain}` : ''}.`;
}

/**
 * Where the operator is:
 *   sd-drill · Quarterly rehearsal · demo-hsm (3 of 5)
 *   Step 4/7 Collect shares   load › inspect › disaster › [collect] › …
 * The first line wraps on a narrow terminal; the trail gives way before the step's name does.
 */
export function StepHeader(props: HeaderProps) {
  const {width, screenReader} = useLayout();
  if (screenReader) return <Text>{`${STEP}${spokenHeader(props)}`}</Text>;
  const [title, second] = headerLines(props, width);
  const g = glyphs();
  const [first, ...rest] = title.split(` ${g.sep} `);
  const flow = props.mode ? FLOW[props.mode] : [];
  const i = flow.indexOf(props.step);
  const head = `${i >= 0 ? `Step ${i + 1}/${flow.length} ` : ''}${STEP_TITLES[props.step]}`;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color={color('accent')}>
          {first}
        </Text>
        {rest.map((r) => ` ${g.sep} ${r}`).join('')}
      </Text>
      <Text>
        <Text bold>{head}</Text>
        <Text color={color('muted')}>{second.slice(head.length)}</Text>
      </Text>
    </Box>
  );
}
