import {Box, Text, useInput} from 'ink';
import type {CeremonyState} from '../ceremony/types.js';
import {Choice} from '../components/choice.js';
import {HelpLine} from '../components/help-line.js';
import {Notice} from '../components/notice.js';
import {color} from '../components/theme.js';
import {KEYS, type Binding} from '../components/keys.js';
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

const short = (fp: string): string => `${fp.slice(0, 8)}…${fp.slice(-4)}`;

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
  useInput((input) => {
    if (input === KEYS.drop.keys && last) actions.drop(last.certFingerprint);
    else if (input === KEYS.done.keys && list.length >= MIN_HOLDERS) actions.done();
  });
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
  const bindings: Binding[] = [
    'move',
    'choose',
    ...(list.length >= MIN_HOLDERS ? (['done'] as const) : []),
    ...(last ? (['drop'] as const) : []),
    'abort',
  ];
  return (
    <Box flexDirection="column">
      <Text>
        New holders ({MIN_HOLDERS} to {MAX_HOLDERS}), in share order — the new file is wrapped to
        their certificates:
      </Text>
      {list.length === 0 ? (
        <Text color={color('muted')}> none yet</Text>
      ) : (
        list.map((h, i) => (
          <Text key={h.certFingerprint} wrap="truncate-end">
            {` ${String(i + 1).padStart(2)} ${h.name.padEnd(10).slice(0, 10)} ${short(h.certFingerprint)}  `}
            <Text color={color('muted')}>
              {h.from}
              {h.keeps !== undefined ? ` — keeps holder ${h.keeps}` : ''}
            </Text>
          </Text>
        ))
      )}
      <Box marginTop={1} flexDirection="column">
        <Text>
          {options.length === 0
            ? 'Insert a new holder’s stick…'
            : list.length >= MIN_HOLDERS
              ? 'Insert the next new holder’s stick, or when all are in press d (done):'
              : 'Insert a new holder’s stick to read their certificate, or choose:'}
        </Text>
        {options.length > 0 ? (
          <Choice
            visibleOptionCount={5}
            options={options}
            onChoose={(v) => {
              if (v === 'done') return actions.done();
              if (v.startsWith('keep:')) return actions.keep(Number(v.slice(5)));
              const stick = sticks.find((s) => `stick:${s.path}` === v);
              if (stick) actions.read(stick);
            }}
          />
        ) : null}
        {readIn.length > 0 ? (
          <Text color={color('muted')} wrap="wrap">
            Already in (their certificates are new holders): stick
            {readIn.length > 1 ? 's' : ''} {readIn.map((s) => s.label).join(', ')}.
          </Text>
        ) : null}
      </Box>
      <Notice notice={state.notice} />
      <HelpLine bindings={bindings} />
    </Box>
  );
}
