import {useCallback, useState} from 'react';
import {Spinner} from '@inkjs/ui';
import {Box, Text, useInput} from 'ink';
import {MAX_PASSPHRASE_TRIES, type CeremonyState, type Custodian} from '../ceremony/types.js';
import {acceptedCount} from '../ceremony/reduce.js';
import {Choice} from '../components/choice.js';
import {HelpLine} from '../components/help-line.js';
import {HolderList} from '../components/holder-list.js';
import {Notice} from '../components/notice.js';
import {QuorumMeter} from '../components/quorum-meter.js';
import {SecretInput} from '../components/secret-input.js';
import {color} from '../components/theme.js';
import type {Binding} from '../components/keys.js';
import type {Stick} from '../media/stick.js';
import type {StickContents} from '../drill/stick-contents.js';
import {ABSENT_BINDINGS, AbsentChoice} from './absent-choice.js';
import {CUSTODIAN_BINDINGS, CustodianPrompt, type CustodianPhase} from './custodian-prompt.js';
import {REMOTE_BINDINGS, RemoteHolder, type RemoteActions} from './remote-holder.js';

export const DUTIES =
  'I am the custodian of this key. I keep it offline on its own stick, never share its passphrase, ' +
  'record every hand-off, and report its loss at once.';

export interface CollectActions {
  insert: (stick: Stick) => void;
  remove: (path: string) => void;
  acknowledge: (c: Custodian) => void;
  passphrase: (secret: Buffer) => void;
  /** The passphrase of an encrypted key with no certificate beside it, to learn whose it is. */
  identify: (secret: Buffer) => void;
  cancel: () => void;
  absent: (holderIndex: number) => void;
  reconstruct: () => void;
  back: () => void;
  /** Holders at other sites: call one, or read a contribution file by path. */
  remote?: RemoteActions;
}

/**
 * An onboarding practice holder's key: a stand-in sd-drill made for the practice drill. Nobody
 * keeps it, so no custodian is named: y takes its share.
 */
function PracticeHolder({
  holder,
  onDone,
  onCancel,
}: {
  holder: string;
  onDone: (c: Custodian) => void;
  onCancel: () => void;
}) {
  const name = holder.replace(/ \(holder \d+\)$/, '');
  useInput((input, key) => {
    if (key.escape) onCancel();
    else if (input.toLowerCase() === 'y')
      onDone({name: `stand-in for ${name}`, role: 'practice holder', from: 'practice'});
  });
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        <Text bold>{holder}</Text> is a practice holder: a stand-in key sd-drill made for this
        practice drill. It opens only this throw-away practice domain and is deleted when the drill
        ends, so nobody keeps it and no custodian is named.
      </Text>
      <Text bold>Press y to take its share.</Text>
    </Box>
  );
}

/**
 * Collect: one holder at a time — insert, match, acknowledge, passphrase, remove.
 *
 *   Quorum ■■□ 2 of 3 — 1 more needed
 *   ✓  1 alice  571e6437…8366  share accepted  Alice Ng, Security Architect
 *   ·  2 bob    223ed2c5…24da  waiting
 *   Insert the next stick: [ carol ]
 */
export function CollectScreen({
  state,
  sticks,
  actions,
  registry,
  contents,
}: {
  state: CeremonyState;
  sticks: Stick[];
  actions: CollectActions;
  /** The holder registry: certificate fingerprint → custodian (a holder's turn in seconds). */
  registry?: ReadonlyMap<string, Custodian>;
  /** What is on each stick present: one with no key on it is listed after those with one. */
  contents?: ReadonlyMap<string, StickContents> | undefined;
}) {
  const [choosingAbsent, setChoosingAbsent] = useState(false);
  const [remoteOpen, setRemoteOpen] = useState(false);
  // The keys that work inside a panel or prompt that has steps of its own.
  const [panelKeys, setPanelKeys] = useState<readonly Binding[]>();
  const custodianPhase = useCallback(
    (ph: CustodianPhase) => setPanelKeys(CUSTODIAN_BINDINGS[ph]),
    [],
  );
  const closePanel = () => {
    setRemoteOpen(false);
    setChoosingAbsent(false);
    setPanelKeys(undefined);
  };
  const p = state.presenting;
  const required = state.domain?.required ?? 0;
  const held = acceptedCount(state);
  const idle = !p && !state.awaitingRemoval && !choosingAbsent && !remoteOpen;
  // A rotation's new holders present here too (./prove-screen.tsx): there r checks every new
  // share rather than reconstructing, every holder is needed, and nobody is called remotely.
  const proving = state.step === 'prove';
  const holderOf = (i: number) => {
    const h = state.holders.find((x) => x.index === i);
    return h?.name ? `${h.name} (holder ${i})` : `holder ${i}`;
  };

  useInput((input, key) => {
    if (choosingAbsent || remoteOpen || state.identifying || (p && p.phase !== 'opening')) return;
    if (state.awaitingRemoval && input === 'x') actions.remove(state.awaitingRemoval);
    else if (idle && input === 'a') {
      setPanelKeys(ABSENT_BINDINGS.list);
      setChoosingAbsent(true);
    } else if (idle && input === 'c' && actions.remote && !proving) {
      setPanelKeys(REMOTE_BINDINGS);
      setRemoteOpen(true);
    } else if (idle && input === 'r') actions.reconstruct();
    else if (idle && key.escape && held === 0 && !proving) actions.back();
  });

  let bindings: Binding[];
  let body: React.ReactNode;
  if (remoteOpen && actions.remote) {
    bindings = [...(panelKeys ?? REMOTE_BINDINGS)];
    body = (
      <RemoteHolder
        state={state}
        sticks={sticks}
        actions={actions.remote}
        registry={registry}
        onClose={closePanel}
        onBindings={setPanelKeys}
      />
    );
  } else if (choosingAbsent) {
    bindings = [...(panelKeys ?? ABSENT_BINDINGS.list)];
    body = (
      <AbsentChoice
        state={state}
        onChoose={(i) => {
          closePanel();
          actions.absent(i);
        }}
        onCancel={closePanel}
        onBindings={setPanelKeys}
      />
    );
  } else if (state.identifying) {
    const id = state.identifying;
    bindings = ['submit', 'cancel', 'abort'];
    body = (
      <Box flexDirection="column">
        <Text>
          Custodian of the key on stick <Text bold>{id.stick.label}</Text>: type its passphrase to
          identify it (you will not be asked again). Try {id.attempts + 1} of {MAX_PASSPHRASE_TRIES}
          .
        </Text>
        <SecretInput
          key={`${id.file}:${id.attempts}`}
          label="Passphrase: "
          onSubmit={actions.identify}
          onCancel={actions.cancel}
        />
      </Box>
    );
  } else if (p?.phase === 'acknowledge') {
    const h = state.holders.find((x) => x.index === p.holderIndex);
    const practice =
      state.mode === 'onboarding' &&
      state.newcomer !== undefined &&
      h?.certFingerprint !== state.newcomer.certFingerprint;
    bindings = practice ? ['yes', 'cancel', 'abort'] : [...(panelKeys ?? CUSTODIAN_BINDINGS.name)];
    body = practice ? (
      <PracticeHolder
        key={p.file}
        holder={holderOf(p.holderIndex)}
        onDone={actions.acknowledge}
        onCancel={actions.cancel}
      />
    ) : (
      <Box flexDirection="column">
        <Text>
          Key found for <Text bold>{holderOf(p.holderIndex)}</Text>.
          {h && registry?.get(h.certFingerprint) ? '' : ' Custodian, identify yourself:'}
        </Text>
        <CustodianPrompt
          key={p.file}
          registered={h ? registry?.get(h.certFingerprint) : undefined}
          duties={DUTIES}
          onPhase={custodianPhase}
          onDone={actions.acknowledge}
          onCancel={actions.cancel}
        />
      </Box>
    );
  } else if (p?.phase === 'passphrase') {
    bindings = ['submit', 'cancel', 'abort'];
    body = (
      <Box flexDirection="column">
        {p.custodian?.from === 'ceremony' ? (
          <Text color={color('muted')}>
            {p.custodian.name}, {p.custodian.role}: identified earlier in this ceremony.
          </Text>
        ) : null}
        <Text>
          {p.custodian?.name ?? 'Custodian'}, type the passphrase of your key (
          {p.file.split('/').pop()}). Try {p.attempts + 1} of {MAX_PASSPHRASE_TRIES}.
        </Text>
        <SecretInput label="Passphrase: " onSubmit={actions.passphrase} onCancel={actions.cancel} />
      </Box>
    );
  } else if (p?.phase === 'opening') {
    bindings = ['abort'];
    body = <Spinner label={`Opening the share of ${holderOf(p.holderIndex)}…`} />;
  } else if (state.awaitingRemoval) {
    bindings = ['eject', 'abort'];
    body = (
      <Text>
        Remove the stick <Text bold>{state.awaitingRemoval.split('/').pop()}</Text> now
        {sticks.find((s) => s.path === state.awaitingRemoval)?.source === 'folder'
          ? ' (a folder standing in for a stick: press x)'
          : ' (or press x once it is out)'}
        .
      </Text>
    );
  } else {
    // The stick list's pointer shows ↑↓; the line keeps room for what else can be done.
    bindings = proving
      ? ['insert', 'absent', 'check', 'abort']
      : [
          'insert',
          'absent',
          ...(actions.remote ? ['remote' as const] : []),
          'reconstruct',
          ...(held === 0 ? ['back' as const] : []),
          'abort',
        ];
    // Sticks whose share is already taken go last, marked, so the pointer starts on one that
    // is still to come (demo folders stay listed after their "removal"); a stick with no key
    // (nor a remote holder's contribution) on it comes just before them, marked too.
    const taken = new Set(
      state.holders.filter((h) => h.state === 'accepted' && h.stick).map((h) => h.stick?.path),
    );
    const keyless = (s: Stick) => {
      const c = contents?.get(s.path);
      return c !== undefined && c.keys === 0 && c.contributions === 0;
    };
    const rank = (s: Stick) => (taken.has(s.path) ? 2 : keyless(s) ? 1 : 0);
    const options = [...sticks]
      .sort((a, b) => rank(a) - rank(b))
      .map((s) => ({
        label: `${s.label}${s.source === 'folder' ? ' (folder)' : ''}${taken.has(s.path) ? ' — share taken' : keyless(s) ? ' — no key on it' : ''}`,
        value: s.path,
      }));
    body = (
      <Box flexDirection="column">
        <Text>
          {held < required
            ? 'Next holder: insert your stick.'
            : proving
              ? 'Every new holder has opened their share: press r to check every share against the new file.'
              : 'Quorum reached: press r to reconstruct, or take more shares.'}
          {options.length > 0
            ? ' Sticks present (choose one to insert):'
            : ' No stick detected yet.'}
        </Text>
        {options.length > 0 ? (
          <Choice
            visibleOptionCount={4}
            options={options}
            onChoose={(v) => {
              const stick = sticks.find((s) => s.path === v);
              if (stick) actions.insert(stick);
            }}
          />
        ) : null}
      </Box>
    );
  }

  return (
    <Box flexDirection="column">
      <QuorumMeter held={held} required={required} everyone={proving} />
      <HolderList holders={state.holders} />
      <Box marginTop={1} flexDirection="column">
        {body}
      </Box>
      <Notice notice={state.notice} />
      {state.mode === 'restore' || !state.hsm.recovery ? null : (
        <Text color={color('muted')} wrap="truncate-end">
          New HSM in recovery mode: {state.hsm.recovery?.id.slice(0, 18) ?? '…'}
        </Text>
      )}
      <HelpLine bindings={bindings} />
    </Box>
  );
}
