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
  flow: readonly string[],
  step: string,
  width: number,
  g: {trail: string; ellipsis: string} = {trail: '›', ellipsis: '…'},
): string {
  const at = flow.indexOf(step);
  const name = (s: string) => (s === step ? `[${s}]` : s);
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

/**
 * What the header shows, for any use: the ceremony's modes (ceremonyHeader) and the solo check
 * (check-app.tsx) alike. `use` is the use's title; none on the start screen.
 */
export interface HeaderModel {
  use?: string;
  flow: readonly string[];
  step: string;
  stepTitle: string;
  domain?: string;
}

const TOOL = 'HSM security-domain recovery drill';

/** The header of a ceremony's step. */
export function ceremonyHeader({step, mode, domain}: HeaderProps): HeaderModel {
  return {
    ...(mode ? {use: MODE_TITLE[mode]} : {}),
    flow: mode ? FLOW[mode] : [],
    step,
    stepTitle: STEP_TITLES[step],
    ...(domain ? {domain} : {}),
  };
}

function position({flow, step}: HeaderModel, spoken: boolean): string {
  const i = flow.indexOf(step);
  if (i < 0) return '';
  return spoken ? `Step ${i + 1} of ${flow.length}: ` : `Step ${i + 1}/${flow.length} `;
}

/** The header's two lines as drawn at `width` columns; the trail only if it fits beside. */
export function headerLines(header: HeaderModel, width: number): [string, string] {
  const g = glyphs();
  const head = `${position(header, false)}${header.stepTitle}`;
  const room = width - head.length - 2;
  const trail =
    header.flow.length > 0 && room >= 12 ? `  ${stepTrail(header.flow, header.step, room, g)}` : '';
  const {use, domain} = header;
  const title = `sd-drill ${g.sep} ${use ?? TOOL}${domain ? ` ${g.sep} ${domain}` : ''}`;
  return [title, `${head}${trail}`];
}

/** What a screen reader hears first on each step: where we are, then whose domain. */
export function spokenHeader(header: HeaderModel): string {
  const what = header.use ?? `sd-drill, ${TOOL}`;
  const {domain} = header;
  return `${position(header, true)}${header.stepTitle}. ${what}${domain ? `, ${domain}` : ''}.`;
}

/**
 * Where the operator is:
 *   sd-drill · Quarterly rehearsal · demo-hsm (3 of 5)
 *   Step 4/7 Collect shares   load › inspect › disaster › [collect] › …
 * The first line wraps on a narrow terminal; the trail gives way before the step's name does.
 */
export function StepHeader({header}: {header: HeaderModel}) {
  const {width, screenReader} = useLayout();
  if (screenReader) return <Text>{`${STEP}${spokenHeader(header)}`}</Text>;
  const [title, second] = headerLines(header, width);
  const g = glyphs();
  const [first, ...rest] = title.split(` ${g.sep} `);
  const head = `${position(header, false)}${header.stepTitle}`;
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
