import {Box} from 'ink';
import type {HolderStatus} from '../ceremony/types.js';
import {shortFingerprint} from '../domain/key-file.js';
import {glyphs, type Glyphs} from './glyphs.js';
import {useLayout} from './layout.js';
import {Text} from './text.js';
import {color, type Tone} from './theme.js';
import {rowsOf, widthOf} from './wrap.js';

type Mark = keyof Pick<
  Glyphs,
  'waiting' | 'presenting' | 'accepted' | 'absent' | 'failed' | 'remote' | 'expired'
>;

interface Shown {
  mark: Mark;
  text: string;
  /** The same in a compact column. */
  short: string;
  tone: Tone;
}

const STATUS: Record<HolderStatus['state'], Shown> = {
  waiting: {mark: 'waiting', text: 'waiting', short: 'waiting', tone: 'muted'},
  presenting: {mark: 'presenting', text: 'at the machine', short: 'presenting', tone: 'accent'},
  accepted: {mark: 'accepted', text: 'share accepted', short: 'accepted', tone: 'ok'},
  absent: {mark: 'absent', text: 'absent', short: 'absent', tone: 'warning'},
  failed: {mark: 'failed', text: 'could not present', short: 'failed', tone: 'error'},
};

/** A holder at another site: called and waiting, or their contribution accepted. */
const REMOTE: Record<'waiting' | 'accepted' | 'expired', Shown> = {
  waiting: {mark: 'remote', text: 'remote — waiting', short: 'remote, waiting', tone: 'accent'},
  accepted: {mark: 'accepted', text: 'remote — accepted', short: 'remote, accepted', tone: 'ok'},
  expired: {mark: 'expired', text: 'remote — expired', short: 'remote, expired', tone: 'warning'},
};

function remoteOf(h: HolderStatus): Shown | undefined {
  if (h.remote?.state === 'accepted' && h.state === 'accepted') return REMOTE.accepted;
  if (h.remote?.state === 'waiting' && h.state === 'waiting') return REMOTE.waiting;
  if (h.remote?.state === 'expired' && h.state === 'waiting') return REMOTE.expired;
  return undefined;
}

function describe(h: HolderStatus, registered?: Map<string, string>) {
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
  return {s, who, remoteWaiting: remote === REMOTE.waiting};
}

const STATUS_WIDTH = 17;
/** Below this many columns beside a row, its custodian goes on a line of its own. */
const WHO_MIN = 24;

/** The rows the holder list takes at `width`: one line per holder (and wrapped custodians). */
export function holderRows(
  holders: readonly HolderStatus[],
  width: number,
  registered?: Map<string, string>,
): number {
  const g = glyphs();
  const nameWidth = Math.min(16, Math.max(5, ...holders.map((h) => widthOf(h.name ?? ''))));
  return holders.reduce((a, h) => a + rowOf(h, g, nameWidth, width, registered).height, 0);
}

function rowOf(
  h: HolderStatus,
  g: Glyphs,
  nameWidth: number,
  width: number,
  registered?: Map<string, string>,
) {
  const d = describe(h, registered);
  const middle = ` ${String(h.index).padStart(2)} ${(h.name ?? '').padEnd(nameWidth)} ${shortFingerprint(h.certFingerprint)}  `;
  const status = d.s.text.length < STATUS_WIDTH ? d.s.text.padEnd(STATUS_WIDTH) : `${d.s.text} `;
  const leftWidth = widthOf(g[d.s.mark]) + widthOf(middle) + widthOf(status);
  const beside = width - leftWidth >= WHO_MIN;
  const height =
    1 +
    (d.who && !beside ? rowsOf(d.who, width - 5) : 0) +
    (d.who && beside ? Math.max(0, rowsOf(d.who, width - leftWidth) - 1) : 0);
  return {h, ...d, middle, status, beside, height};
}

/**
 * The holders and where each one is in the ceremony:
 *   ✓  1 alice      571e6437…8366  share accepted    Alice Ng, Security Architect
 *   ·  2 bob        223ed2c5…24da  waiting           (registered: Bob Li)
 *   ~  3 carol      b4f48ccd…67c9  remote — waiting  code NMNV-VZS6-RWD1-7J8A
 * A name or role too long for the line wraps under itself, never cut. When the rows given
 * (`maxRows`) cannot hold one line per holder, the list goes to two columns without the
 * fingerprints and custodians (a remote holder's code keeps a line of its own); when even that
 * does not fit, the first rows are shown and the last line says how many more, and how they
 * stand. A screen reader hears one sentence per holder.
 */
export function HolderList({
  holders,
  registered,
  maxRows,
}: {
  holders: HolderStatus[];
  registered?: Map<string, string>;
  /** The rows the list may take (default: all it needs). */
  maxRows?: number;
}) {
  const {width, screenReader} = useLayout();
  const g = glyphs();
  if (screenReader)
    return (
      <Box flexDirection="column">
        {holders.map((h) => {
          const {s, who} = describe(h, registered);
          return (
            <Text key={h.index}>
              {`Holder ${h.index}${h.name ? `, ${h.name}` : ''}: ${s.text}${who ? `, ${who}` : ''}.`}
            </Text>
          );
        })}
      </Box>
    );

  const nameWidth = Math.min(16, Math.max(5, ...holders.map((h) => widthOf(h.name ?? ''))));
  const name = (h: HolderStatus) => (h.name ?? '').padEnd(nameWidth);
  const rows = holders.map((h) => rowOf(h, g, nameWidth, width, registered));
  const fullRows = rows.reduce((a, r) => a + r.height, 0);
  if (maxRows === undefined || fullRows <= maxRows)
    return (
      <Box flexDirection="column">
        {rows.map(({h, s, who, middle, status, beside}) => (
          <Box key={h.index} flexDirection={beside ? 'row' : 'column'}>
            <Text>
              <Text color={color(s.tone)}>{g[s.mark]}</Text>
              {middle}
              <Text color={color(s.tone)}>{beside ? status : s.text}</Text>
            </Text>
            {who ? (
              <Box flexShrink={1} marginLeft={beside ? 0 : 5}>
                <Text color={color('muted')}>{who}</Text>
              </Box>
            ) : null}
          </Box>
        ))}
      </Box>
    );

  // Compact: two columns of "✓  3 carol      accepted"; a waiting remote holder's code, which
  // is read out to them, keeps a full line.
  const alone = rows.filter((r) => r.remoteWaiting);
  const paired = rows.filter((r) => !r.remoteWaiting);
  const column = Math.floor(width / 2);
  const cellWidth = (r: (typeof rows)[number]) =>
    widthOf(`${g[r.s.mark]} ${String(r.h.index).padStart(2)} ${name(r.h)} ${r.s.short}`);
  const twoColumns = paired.every((r) => cellWidth(r) < column);
  const lines: Array<{key: string; cells: Array<(typeof rows)[number]>}> = [];
  for (const r of alone) lines.push({key: `a${r.h.index}`, cells: [r]});
  const per = twoColumns ? Math.ceil(paired.length / 2) : paired.length;
  for (let i = 0; i < per; i++) {
    const left = paired[i];
    const right = twoColumns ? paired[i + per] : undefined;
    if (left) lines.push({key: `p${left.h.index}`, cells: right ? [left, right] : [left]});
  }
  const room = Math.max(1, maxRows);
  const shown = lines.length <= room ? lines : lines.slice(0, room - 1);
  const hidden = lines.slice(shown.length).flatMap((l) => l.cells);
  const summary = [...new Set(hidden.map((r) => r.s.short))]
    .map((t) => `${hidden.filter((r) => r.s.short === t).length} ${t}`)
    .join(', ');
  return (
    <Box flexDirection="column">
      {shown.map(({key, cells}) => (
        <Box key={key}>
          {cells.map((r, i) => (
            <Box key={r.h.index} width={i === 0 && cells.length > 1 ? column : undefined}>
              <Text>
                <Text color={color(r.s.tone)}>{g[r.s.mark]}</Text>
                {` ${String(r.h.index).padStart(2)} ${name(r.h)} `}
                <Text color={color(r.s.tone)}>{r.remoteWaiting ? r.s.text : r.s.short}</Text>
                {r.remoteWaiting ? <Text color={color('muted')}>{` ${r.who}`}</Text> : null}
              </Text>
            </Box>
          ))}
        </Box>
      ))}
      {hidden.length > 0 ? (
        <Text color={color('muted')}>
          {`${g.below} ${hidden.length} more holder${hidden.length === 1 ? '' : 's'} not shown: ${summary}`}
        </Text>
      ) : null}
    </Box>
  );
}
