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

/** A holder at another site: called and waiting, or their contribution accepted. */
const REMOTE: Record<'waiting' | 'accepted' | 'expired', {mark: string; text: string; tone: Tone}> =
  {
    waiting: {mark: '~', text: 'remote — waiting', tone: 'accent'},
    accepted: {mark: '✓', text: 'remote — accepted', tone: 'ok'},
    expired: {mark: '!', text: 'remote — expired', tone: 'warning'},
  };

function remoteOf(h: HolderStatus): (typeof REMOTE)['waiting'] | undefined {
  if (h.remote?.state === 'accepted' && h.state === 'accepted') return REMOTE.accepted;
  if (h.remote?.state === 'waiting' && h.state === 'waiting') return REMOTE.waiting;
  if (h.remote?.state === 'expired' && h.state === 'waiting') return REMOTE.expired;
  return undefined;
}

/**
 * The holders and where each one is in the ceremony:
 *   ✓ 1 alice   571e6437…8366  share accepted   Alice Ng, Security Architect
 *   · 2 bob     223ed2c5…24da  waiting          (registered: Bob Li)
 *   ~ 3 carol   b4f48ccd…67c9  remote — waiting  code NMNV-VZS6-RWD1-7J8A
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
        const remote = remoteOf(h);
        const s = remote ?? STATUS[h.state];
        const who = remote
          ? h.remote?.state === 'accepted'
            ? `contribution ${shortFingerprint(h.remote.contributionSha256 ?? '')}`
            : `code ${h.remote?.code ?? ''}`
          : h.custodian
            ? `${h.custodian.name}, ${h.custodian.role}`
            : registered?.get(h.certFingerprint)
              ? `(registered: ${registered.get(h.certFingerprint)})`
              : '';
        return (
          <Text key={h.index} wrap="truncate-end">
            <Text color={color(s.tone)}>{s.mark}</Text>
            {` ${String(h.index).padStart(2)} ${(h.name ?? '').padEnd(10).slice(0, 10)} ${shortFingerprint(h.certFingerprint)}  `}
            <Text color={color(s.tone)}>
              {s.text.length < 17 ? s.text.padEnd(17) : `${s.text} `}
            </Text>
            <Text color={color('muted')}>{who}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
