import {display} from './display.js';
import {glyphs} from './glyphs.js';
import {useLayout} from './layout.js';
import {Text} from './text.js';
import {color} from './theme.js';

/** The meter's words: "2 of 3 — 1 more needed", "3 of 3 — quorum reached". */
export function quorumWords(held: number, required: number): string {
  const more = Math.max(0, required - held);
  return `${Math.min(held, required)} of ${required} — ${more === 0 ? 'quorum reached' : `${more} more needed`}`;
}

/**
 * The quorum at a glance, and in words:
 *   Quorum ■■□ 2 of 3 — 1 more needed
 * `after` goes on the same line (the new HSM, where the width allows: the collect step's rows
 * are few with ten holders).
 */
export function QuorumMeter({
  held,
  required,
  after,
}: {
  held: number;
  required: number;
  after?: string;
}) {
  const {screenReader} = useLayout();
  const more = Math.max(0, required - held);
  const g = glyphs();
  if (screenReader)
    return <Text>{`Quorum ${quorumWords(held, required)}.${after ? ` ${after}` : ''}`}</Text>;
  const marks = Array.from({length: required}, (_, i) => (i < held ? g.held : g.needed)).join('');
  const boxes = display().ascii ? `[${marks}]` : marks;
  return (
    <Text>
      <Text bold>Quorum </Text>
      <Text color={color(more === 0 ? 'ok' : 'warning')}>{boxes}</Text>
      {` ${Math.min(held, required)} of ${required} — `}
      {more === 0 ? <Text color={color('ok')}>quorum reached</Text> : `${more} more needed`}
      {after ? <Text color={color('muted')}>{` ${g.sep} ${after}`}</Text> : null}
    </Text>
  );
}
