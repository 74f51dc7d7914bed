import {Box, Text} from 'ink';
import type {HolderStatus} from '../ceremony/types.js';
import {shortFingerprint} from '../domain/key-file.js';
import {color, type Tone} from './theme.js';

const STATUS: Record<HolderStatus['state'], {mark: string; text: string; tone: Tone}> = {
  waiting: {mark: '·', text: 'waiting', tone: 'muted'},
  presenting: {mark: '▸', text: 'at the machine', tone: 'accent'},
  accepted: {mark: '✓', text: 'share accepted', tone: 'ok'},
  absent: {mark: '–', text: 'absent', tone: 'warning'},
  failed: {mark: '✗', text: 'could not present', tone: 'error'},
};

/**
 * The holders and where each one is in the ceremony:
 *   ✓ 1 alice   571e6437…8366  share accepted   Alice Ng, Security Architect
 *   · 2 bob     223ed2c5…24da  waiting          (registered: Bob Li)
 */
export function HolderList({
  holders,
  registered,
}: {
  holders: HolderStatus[];
  registered?: Map<string, string>;
}) {
  return (
    <Box flexDirection="column">
      {holders.map((h) => {
        const s = STATUS[h.state];
        const who = h.custodian
          ? `${h.custodian.name}, ${h.custodian.role}`
          : registered?.get(h.certFingerprint)
            ? `(registered: ${registered.get(h.certFingerprint)})`
            : '';
        return (
          <Text key={h.index} wrap="truncate-end">
            <Text color={color(s.tone)}>{s.mark}</Text>
            {` ${String(h.index).padStart(2)} ${(h.name ?? '').padEnd(10).slice(0, 10)} ${shortFingerprint(h.certFingerprint)}  `}
            <Text color={color(s.tone)}>{s.text.padEnd(17)}</Text>
            <Text color={color('muted')}>{who}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
