import {Text} from 'ink';
import {color} from './theme.js';

/**
 * The quorum at a glance:
 *   Quorum ■■□ 2 of 3 — 1 more needed
 */
export function QuorumMeter({held, required}: {held: number; required: number}) {
  const more = Math.max(0, required - held);
  const boxes = Array.from({length: required}, (_, i) => (i < held ? '■' : '□')).join('');
  return (
    <Text>
      <Text bold>Quorum </Text>
      <Text color={color(more === 0 ? 'ok' : 'warning')}>{boxes}</Text>
      {` ${Math.min(held, required)} of ${required} — `}
      {more === 0 ? <Text color={color('ok')}>quorum reached</Text> : `${more} more needed`}
    </Text>
  );
}
