import {Box} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {Choice} from '../components/choice.js';
import {glyphs} from '../components/glyphs.js';
import {useLayout} from '../components/layout.js';
import {Notice} from '../components/notice.js';
import {Text} from '../components/text.js';
import {color} from '../components/theme.js';
import {rowsOf} from '../components/wrap.js';
import {useKeys} from '../hooks/use-keys.js';
import {MAX_HOLDERS, MIN_HOLDERS} from '../limits.js';
import type {Stick} from '../media/stick.js';
import type {StickContents} from '../drill/stick-contents.js';

export interface EnlistActions {
  /** Reads the certificates on a stick. */
  read: (stick: Stick) => void;
  /** Native: keeps an old holder's certificate, from the old file. */
  keep: (holderIndex: number) => void;
  drop: (certFingerprint: string) => void;
  done: () => void;
}

const short = (fp: string): string => `${fp.slice(0, 8)}${glyphs().ellipsis}${fp.slice(-4)}`;

/**
 * Enlist: the certificates the new file will be wrapped to — from the new holders' sticks
 * (keygen or onboarding wrote the .cer beside their key), or kept from the old file.
 *
 *   New holders (3 to 10), in share order:
 *    1 alice   748c7d74…2165  the old file (holder 1) — keeps holder 1
 *    2 frank   a91f92a9…a029  frank.cer on stick frank
 *   ❯ read stick frank (folder)
 *     keep holder 2 (bob) from the old file
 *     done: these 2 are the new holders
 */
export function EnlistScreen({
  state,
  sticks,
  actions,
  contents,
}: {
  state: CeremonyState;
  sticks: Stick[];
  actions: EnlistActions;
  /** What is on each stick present: one whose certificates are all in already is not offered. */
  contents?: ReadonlyMap<string, StickContents> | undefined;
}) {
  const list = state.rotation?.newHolders ?? [];
  const last = list[list.length - 1];
  // `d`: done, one key away however long the list; `u` takes the last one back.
  useKeys({
    done: list.length >= MIN_HOLDERS && actions.done,
    drop: last !== undefined && (() => actions.drop(last.certFingerprint)),
  });
  const {width, bodyRows} = useLayout();
  // A compromise never keeps a key reported lost: it is not offered.
  const chosen = new Set([...list.map((h) => h.keeps), ...(state.compromise?.lost ?? [])]);
  const keepable =
    state.domain?.format === 'native'
      ? state.holders.filter((h) => !chosen.has(h.index) && list.length < MAX_HOLDERS)
      : [];
  // A stick whose certificates are all new holders already has nothing more to read; one with
  // no certificate on it can give none (it is listed last, and says so).
  const inList = new Set(list.flatMap((h) => [h.certFingerprint, h.spkiFingerprint]));
  const certs = (s: Stick) => contents?.get(s.path)?.certificates;
  const readIn = sticks.filter((s) => {
    const c = contents?.get(s.path);
    return c !== undefined && c.certificates > 0 && c.fingerprints.every((f) => inList.has(f));
  });
  const toRead = sticks
    .filter((s) => !readIn.includes(s))
    .sort((a, b) => Number(certs(a) === 0) - Number(certs(b) === 0));
  // Remaining holders first: most of a rotation's new holders are old ones kept.
  const options = [
    ...keepable.map((h) => ({
      label: `keep holder ${h.index}${h.name ? ` (${h.name})` : ''} from the old file`,
      value: `keep:${h.index}`,
    })),
    ...toRead.map((s) => ({
      label: `read stick ${s.label}${s.source === 'folder' ? ' (folder)' : ''}${certs(s) === 0 ? ' — no certificate on it' : ''}`,
      value: `stick:${s.path}`,
    })),
    ...(list.length >= MIN_HOLDERS
      ? [{label: `done: these ${list.length} are the new holders`, value: 'done'}]
      : []),
  ];
  const title = `New holders (${MIN_HOLDERS} to ${MAX_HOLDERS}), in share order — the new file is wrapped to their certificates:`;
  const prompt =
    options.length === 0
      ? 'Insert a new holder’s stick…'
      : list.length >= MIN_HOLDERS
        ? 'Insert the next new holder’s stick, or when all are in press d (done):'
        : 'Insert a new holder’s stick to read their certificate, or choose:';
  const already =
    readIn.length > 0
      ? `Already in (their certificates are new holders): stick${readIn.length > 1 ? 's' : ''} ${readIn.map((s) => s.label).join(', ')}.`
      : '';
  const nameWidth = Math.min(16, Math.max(5, ...list.map((h) => h.name.length)));
  const lines = list.map((h, i) => ({
    h,
    left: ` ${String(i + 1).padStart(2)} ${h.name.padEnd(nameWidth)} ${short(h.certFingerprint)}  `,
    from: `${h.from}${h.keeps !== undefined ? ` — keeps holder ${h.keeps}` : ''}`,
  }));
  // Rows: the new holders in full unless the list to choose from would lose its window; then
  // the latest ones, and a line saying how many are above.
  const room =
    bodyRows -
    rowsOf(title, width) -
    1 -
    rowsOf(prompt, width) -
    rowsOf(already, width) -
    (state.notice ? rowsOf(`! ${state.notice.text}`, width) : 0);
  const listWants = Math.min(options.length, 5) + (options.length > 5 ? 2 : 0);
  const heights = lines.map((l) =>
    width - l.left.length >= 24 ? Math.max(1, rowsOf(l.from, width - l.left.length)) : 2,
  );
  const all = heights.reduce((a, b) => a + b, 0);
  let first = 0;
  if (all + listWants > room) {
    let used = 1;
    first = lines.length;
    while (first > 0 && used + (heights[first - 1] ?? 1) <= Math.max(2, room - listWants))
      used += heights[--first] ?? 1;
  }
  const shownRows =
    list.length === 0 ? 1 : heights.slice(first).reduce((a, b) => a + b, 0) + (first > 0 ? 1 : 0);
  return (
    <Box flexDirection="column">
      <Text>{title}</Text>
      {list.length === 0 ? (
        <Text color={color('muted')}> none yet</Text>
      ) : (
        <>
          {first > 0 ? (
            <Text color={color('muted')}>
              {` ${glyphs().above} ${first} more above (new holders 1 to ${first})`}
            </Text>
          ) : null}
          {lines.slice(first).map(({h, left, from}) => (
            <Box
              key={h.certFingerprint}
              flexDirection={width - left.length >= 24 ? 'row' : 'column'}
            >
              <Text>{left}</Text>
              <Box flexShrink={1} marginLeft={width - left.length >= 24 ? 0 : 4}>
                <Text color={color('muted')}>{from}</Text>
              </Box>
            </Box>
          ))}
        </>
      )}
      <Box marginTop={1} flexDirection="column">
        <Text>{prompt}</Text>
        {options.length > 0 ? (
          <Choice
            rows={Math.max(3, room - shownRows)}
            options={options}
            onChoose={(v) => {
              if (v === 'done') return actions.done();
              if (v.startsWith('keep:')) return actions.keep(Number(v.slice(5)));
              const stick = sticks.find((s) => `stick:${s.path}` === v);
              if (stick) actions.read(stick);
            }}
          />
        ) : null}
        {already ? <Text color={color('muted')}>{already}</Text> : null}
      </Box>
      <Notice notice={state.notice} />
    </Box>
  );
}
