import {Text} from 'ink';
import {color} from './theme.js';

/**
 * The quorum at a glance:
 *   Quorum ■■□ 2 of 3 — 1 more needed
 * or, where every holder must prove their key (a rotation's new holders), no quorum at all:
 *   Proven ■■□□□ 2 of 5 — every new holder proves their key: 3 still to come
 */
export function QuorumMeter({
  held,
  required,
  everyone = false,
}: {
  held: number;
  required: number;
  /** Every holder is needed, not a quorum. */
  everyone?: boolean;
}) {
  const more = Math.max(0, required - held);
  const boxes = Array.from({length: required}, (_, i) => (i < held ? '■' : '□')).join('');
  return (
    <Text>
      <Text bold>{everyone ? 'Proven ' : 'Quorum '}</Text>
      <Text color={color(more === 0 ? 'ok' : 'warning')}>{boxes}</Text>
      {` ${Math.min(held, required)} of ${required} — `}
      {everyone ? (
        more === 0 ? (
          <Text color={color('ok')}>every new holder has opened their share</Text>
        ) : (
          `every new holder proves their key: ${more} still to come`
        )
      ) : more === 0 ? (
        <Text color={color('ok')}>quorum reached</Text>
      ) : (
        `${more} more needed`
      )}
    </Text>
  );
}
