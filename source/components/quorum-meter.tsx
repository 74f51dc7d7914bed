import {display} from './display.js';
import {glyphs} from './glyphs.js';
import {useLayout} from './layout.js';
import {Text} from './text.js';
import {color} from './theme.js';

/**
 * The meter's words: "2 of 3 — 1 more needed", "3 of 3 — quorum reached"; where every holder
 * must prove their key (a rotation's new holders), no quorum at all: "2 of 5 — every new holder
 * proves their key: 3 still to come".
 */
export function quorumWords(held: number, required: number, everyone = false): string {
  const more = Math.max(0, required - held);
  const what = everyone
    ? more === 0
      ? 'every new holder has opened their share'
      : `every new holder proves their key: ${more} still to come`
    : more === 0
      ? 'quorum reached'
      : `${more} more needed`;
  return `${Math.min(held, required)} of ${required} — ${what}`;
}

/**
 * The quorum at a glance, and in words:
 *   Quorum ■■□ 2 of 3 — 1 more needed
 * or, where every holder must prove their key (a rotation's new holders), no quorum at all:
 *   Proven ■■□□□ 2 of 5 — every new holder proves their key: 3 still to come
 * `after` goes on the same line (the new HSM, where the width allows: the collect step's rows
 * are few with ten holders).
 */
export function QuorumMeter({
  held,
  required,
  everyone = false,
  after,
}: {
  held: number;
  required: number;
  /** Every holder is needed, not a quorum. */
  everyone?: boolean;
  after?: string;
}) {
  const {screenReader} = useLayout();
  const more = Math.max(0, required - held);
  const g = glyphs();
  const title = everyone ? 'Proven' : 'Quorum';
  if (screenReader)
    return (
      <Text>{`${title} ${quorumWords(held, required, everyone)}.${after ? ` ${after}` : ''}`}</Text>
    );
  const marks = Array.from({length: required}, (_, i) => (i < held ? g.held : g.needed)).join('');
  const boxes = display().ascii ? `[${marks}]` : marks;
  return (
    <Text>
      <Text bold>{`${title} `}</Text>
      <Text color={color(more === 0 ? 'ok' : 'warning')}>{boxes}</Text>
      {` ${Math.min(held, required)} of ${required} — `}
      {more === 0 ? (
        <Text color={color('ok')}>
          {everyone ? 'every new holder has opened their share' : 'quorum reached'}
        </Text>
      ) : everyone ? (
        `every new holder proves their key: ${more} still to come`
      ) : (
        `${more} more needed`
      )}
      {after ? <Text color={color('muted')}>{` ${g.sep} ${after}`}</Text> : null}
    </Text>
  );
}
