import {useState} from 'react';
import {Box} from 'ink';
import {join} from 'node:path';
import type {CeremonyState} from '../ceremony/types.js';
import {RECOMMENDED_QUORUM, safeQuorum} from '../ceremony/uses/rotation.js';
import {Choice} from '../components/choice.js';
import {Notice} from '../components/notice.js';
import {Spinner} from '../components/spinner.js';
import {Text} from '../components/text.js';
import {TextField} from '../components/text-field.js';
import {color} from '../components/theme.js';
import {useKeys} from '../hooks/use-keys.js';
import type {Stick} from '../media/stick.js';
import type {StickContents} from '../drill/stick-contents.js';

/** A stick as a place for the new file. */
interface StickPlace {
  /** Whose departed key it carries ("erin (holder 5)"): never offered. */
  departed?: string;
  holdsKey: boolean;
}

/**
 * Where the new file may go, stick by stick: never a stick that carries a departed holder's
 * key or certificate, or that they presented today — it leaves with them, to be destroyed.
 */
function placesFor(
  state: CeremonyState,
  sticks: readonly Stick[],
  contents: ReadonlyMap<string, StickContents>,
  departedHolder: ((fps: readonly string[]) => string | undefined) | undefined,
): Map<string, StickPlace> {
  const presentedBy = new Map<string, string>();
  for (const {old} of state.rotation?.change?.departed ?? []) {
    const path = state.holders.find((h) => h.index === old.index)?.stick?.path;
    if (path)
      presentedBy.set(path, old.name ? `${old.name} (holder ${old.index})` : `holder ${old.index}`);
  }
  const places = new Map<string, StickPlace>();
  for (const stick of sticks) {
    const c = contents.get(stick.path);
    const departed =
      presentedBy.get(stick.path) ?? (c ? departedHolder?.(c.fingerprints) : undefined);
    places.set(stick.path, {...(departed ? {departed} : {}), holdsKey: (c?.keys ?? 0) > 0});
  }
  return places;
}

export interface RewrapActions {
  /** `confirmed`: a quorum below the safe default, confirmed on screen. */
  quorum: (required: number, confirmed?: boolean) => void;
  write: (file: string) => void;
  back: () => void;
  /** Whose departed key this is, by fingerprint: their stick is not offered for the file. */
  departedHolder?: (fingerprints: readonly string[]) => string | undefined;
}

/**
 * The quorum choices, the safe one first (the current quorum, never below 3 where n allows),
 * then higher ones, then the lower ones — each of which is confirmed before it is taken.
 */
export function quorumOptions(
  current: number,
  n: number,
): Array<{label: string; value: string; lower: boolean; key?: string}> {
  const safe = safeQuorum(current, n);
  const order = [
    ...Array.from({length: n - safe + 1}, (_, i) => safe + i),
    ...Array.from({length: safe - 2}, (_, i) => safe - 1 - i),
  ];
  return order.map((m) => {
    const notes = [
      m === current ? 'the current quorum' : '',
      m < safe ? 'lower: asks first' : '',
      m < RECOMMENDED_QUORUM ? `${RECOMMENDED_QUORUM} or more recommended` : '',
    ].filter(Boolean);
    return {
      label: `${m} of ${n}${notes.length ? ` — ${notes.join('; ')}` : ''}`,
      value: String(m),
      lower: m < safe,
      // The number picks the quorum itself: 3 is "3 of n", never the third line.
      ...(m <= 9 ? {key: String(m)} : {}),
    };
  });
}

/** The "type a path" choice: no path is a colon alone. */
const TYPE = ':';

/** A name for the new file that says what it is and never is the old file's. */
export function newFileName(state: CeremonyState): string {
  const d = state.domain;
  if (state.mode === 'compromise') return 'security-domain-new-hsm.json';
  return d?.format === 'native'
    ? `security-domain-gen${(d.generation ?? 1) + 1}.json`
    : 'security-domain-rotated.json';
}

/**
 * Rewrap: the new quorum, then where the new file goes (a stick, or a typed path). It is
 * written beside nothing — never over a file — and checked before the new holders prove.
 *
 *   How many of the 4 new holders must come to open the new file?
 *   ❯ 3 of 4
 *   Where does the new file go? ❯ on stick BACKUP as security-domain-gen2.json
 */
export function RewrapScreen({
  state,
  sticks,
  actions,
  contents,
}: {
  state: CeremonyState;
  sticks: Stick[];
  actions: RewrapActions;
  /** What is on each stick present; undefined while it is being looked at. */
  contents?: ReadonlyMap<string, StickContents> | undefined;
}) {
  const [typing, setTyping] = useState(false);
  const [confirming, setConfirming] = useState<number>();
  // Each stick as a place for the file: a departed holder's (never), or whether it holds a key.
  const places = contents ? placesFor(state, sticks, contents, actions.departedHolder) : undefined;
  // A fresh field for each path tried: a refusal names the path, and the next is typed anew.
  const [tries, setTries] = useState(0);
  const r = state.rotation;
  const n = r?.newHolders.length ?? 0;
  const asking = !r?.writing && confirming !== undefined;
  useKeys({
    yes:
      asking &&
      (() => {
        setConfirming(undefined);
        if (confirming !== undefined) actions.quorum(confirming, true);
      }),
    no: asking && (() => setConfirming(undefined)),
    cancel: asking && (() => setConfirming(undefined)),
    back: !r?.writing && !asking && (() => (typing ? setTyping(false) : actions.back())),
  });
  const current = state.domain?.required ?? 0;
  const c = r?.change;
  const summary = c
    ? `${n} new holders: ${c.kept.length} kept, ${c.added.length} added, ${c.departed.length} departed.`
    : '';
  let body: React.ReactNode;
  if (r?.writing) {
    body = (
      <Spinner
        label={
          state.mode === 'compromise'
            ? 'Provisioning the new HSM: writing its new security domain and checking it…'
            : 'Writing the new file and checking it against the domain…'
        }
      />
    );
  } else if (r?.required === undefined && confirming !== undefined) {
    const safe = safeQuorum(current, n);
    body = (
      <Box flexDirection="column">
        <Text color={color('warning')}>
          Lower the quorum to {confirming} of {n}? Today {current} of {state.domain?.total ?? '?'}{' '}
          holders are needed
          {safe > current ? `; the domain document recommends ${safe} or more` : ''}. With{' '}
          {confirming}, fewer holders — or fewer lost or stolen keys — open the new file.
        </Text>
        <Text bold>
          Press y to lower it (the report records it as quorum-lowered), n to choose again.
        </Text>
      </Box>
    );
  } else if (r?.required === undefined) {
    const options = quorumOptions(current, n);
    body = (
      <Box flexDirection="column">
        <Text>How many of the {n} new holders must come to open the new file?</Text>
        <Choice
          options={options.map(({label, value, key}) => ({label, value, ...(key ? {key} : {})}))}
          onChoose={(v) => {
            const m = Number(v);
            if (options.find((o) => o.value === v)?.lower) setConfirming(m);
            else actions.quorum(m);
          }}
        />
      </Box>
    );
  } else if (typing) {
    body = (
      <Box flexDirection="column">
        <Text>Path of the new file (it must not exist yet):</Text>
        <TextField
          key={tries}
          placeholder={`e.g. /media/backup/${newFileName(state)}`}
          onSubmit={(v) => {
            if (!v.trim()) return;
            setTries((t) => t + 1);
            actions.write(v.trim());
          }}
        />
      </Box>
    );
  } else if (!places) {
    body = <Spinner label="Looking at the sticks present…" />;
  } else {
    const name = newFileName(state);
    const gone = sticks.filter((s) => places.get(s.path)?.departed);
    // Sticks that hold no private key (a backup stick) first; a departed holder's not at all.
    const keyless = (s: Stick) => Number(places.get(s.path)?.holdsKey === true);
    const options = [
      ...sticks
        .filter((s) => !places.get(s.path)?.departed)
        .sort((a, b) => keyless(a) - keyless(b))
        .map((s) => ({
          label: `on stick ${s.label} as ${name}${places.get(s.path)?.holdsKey ? ' (a holder’s key stick)' : ''}`,
          value: join(s.path, name),
        })),
      {label: 'Type a path…', value: TYPE},
    ];
    body = (
      <Box flexDirection="column">
        <Text>
          Quorum {r.required} of {n}. Where does the new file go?
        </Text>
        <Choice
          options={options}
          onChoose={(v) => (v === TYPE ? setTyping(true) : actions.write(v))}
        />
        {gone.map((s) => (
          <Text key={s.path} color={color('muted')}>
            Not offered: stick {s.label}, which carries the key of departed{' '}
            {places.get(s.path)?.departed} (to be destroyed).
          </Text>
        ))}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" gap={1}>
      <Text>{summary}</Text>
      {body}
      <Notice notice={state.notice} />
    </Box>
  );
}
