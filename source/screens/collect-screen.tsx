import {useState} from 'react';
import {Box} from 'ink';
import {MAX_PASSPHRASE_TRIES, type CeremonyState, type Custodian} from '../ceremony/types.js';
import {acceptedCount} from '../ceremony/reduce.js';
import {Choice} from '../components/choice.js';
import {holderRows, HolderList} from '../components/holder-list.js';
import {useLayout} from '../components/layout.js';
import {Notice} from '../components/notice.js';
import {QuorumMeter, quorumWords} from '../components/quorum-meter.js';
import {SecretInput} from '../components/secret-input.js';
import {Spinner} from '../components/spinner.js';
import {Text} from '../components/text.js';
import {color} from '../components/theme.js';
import {rowsOf, widthOf} from '../components/wrap.js';
import {useKeys} from '../hooks/use-keys.js';
import type {Stick} from '../media/stick.js';
import type {StickContents} from '../drill/stick-contents.js';
import {AbsentChoice} from './absent-choice.js';
import {CustodianPrompt} from './custodian-prompt.js';
import {REMOTE_PROMPTS, RemoteHolder, type RemoteActions} from './remote-holder.js';

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
  useKeys({
    yes: () => onDone({name: `stand-in for ${name}`, role: 'practice holder', from: 'practice'}),
    cancel: onCancel,
  });
  return (
    <Box flexDirection="column">
      <Text>
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
 *   Next holder: insert your stick. Sticks present (choose one to insert):
 *   ❯ 2  bob (folder)
 *
 * The rows are shared out from the terminal's: the holders in full while the stick list keeps
 * a window of a few entries, else in two columns (ten holders at 80×24).
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
  /** What is on each stick present: one with no key on it is marked so. */
  contents?: ReadonlyMap<string, StickContents> | undefined;
}) {
  const [choosingAbsent, setChoosingAbsent] = useState(false);
  const [remoteOpen, setRemoteOpen] = useState(false);
  const closePanel = () => {
    setRemoteOpen(false);
    setChoosingAbsent(false);
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

  // The screen's own keys, while no panel or field has the keyboard (x also while a share opens).
  const free = !(choosingAbsent || remoteOpen || state.identifying || (p && p.phase !== 'opening'));
  const removal = state.awaitingRemoval;
  useKeys({
    eject: free && removal !== undefined && (() => actions.remove(removal)),
    absent: free && idle && (() => setChoosingAbsent(true)),
    remote: free && idle && actions.remote !== undefined && !proving && (() => setRemoteOpen(true)),
    // r only once it can go on: before the quorum the meter says how many are still needed.
    reconstruct: free && idle && !proving && held >= required && actions.reconstruct,
    check: free && idle && proving && held >= required && actions.reconstruct,
    back: free && idle && held === 0 && !proving && actions.back,
  });

  const layout = useLayout();
  const {width} = layout;
  const recovery =
    state.mode === 'restore' || !state.hsm.recovery
      ? undefined
      : `New HSM in recovery mode: ${state.hsm.recovery.id.slice(0, 18)}`;
  // The new HSM shares the meter's line when both fit: rows are few with ten holders.
  const meter = `Quorum ${'#'.repeat(required + 2)} ${quorumWords(held, required, proving)}`;
  const recoveryBeside = recovery !== undefined && widthOf(meter) + 3 + widthOf(recovery) <= width;
  // The meter's own rows: a rotation's "every new holder proves their key" wraps at 60.
  const meterRows = rowsOf(meter, width);

  // Rows the body takes besides a list in it; the list gets what the holders leave.
  let bodyRows: number;
  let listNeed = 0;
  const listRows = (rows: number) => Math.max(3, rows);
  let renderBody: (listBudget: number) => React.ReactNode;
  if (remoteOpen && actions.remote) {
    const remote = actions.remote;
    bodyRows = Math.max(...REMOTE_PROMPTS.map((t) => rowsOf(t, width)));
    listNeed = Math.max(2, sticks.length + 1, state.holders.length);
    renderBody = (rows) => (
      <RemoteHolder
        state={state}
        sticks={sticks}
        actions={remote}
        registry={registry}
        rows={listRows(rows)}
        onClose={closePanel}
      />
    );
  } else if (choosingAbsent) {
    bodyRows = Math.max(
      rowsOf("Which holder is absent? (the number is the holder's)", width),
      // Its question when the mark would end the drill.
      rowsOf(
        `Mark ${holderOf(state.holders.length)} absent? Only 2 holders could still come, fewer than the quorum of ${required}: the drill ends now as FAIL.`,
        width,
      ) + 1,
    );
    listNeed = state.holders.filter((h) => h.state === 'waiting' || h.state === 'absent').length;
    renderBody = (rows) => (
      <AbsentChoice
        state={state}
        rows={listRows(rows)}
        onChoose={(i) => {
          closePanel();
          actions.absent(i);
        }}
        onCancel={closePanel}
      />
    );
  } else if (state.identifying) {
    const id = state.identifying;
    const text = `Custodian of the key on stick ${id.stick.label}: type its passphrase to identify it (you will not be asked again). Try ${id.attempts + 1} of ${MAX_PASSPHRASE_TRIES}.`;
    bodyRows = rowsOf(text, width) + 1;
    renderBody = () => (
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
    const known = h ? registry?.get(h.certFingerprint) : undefined;
    // The key found, the registry's custodian, the duties, the question (and a refusal).
    bodyRows =
      rowsOf(`Key found for ${holderOf(p.holderIndex)}. Custodian, identify yourself:`, width) +
      (known
        ? rowsOf(
            `The holder registry has ${known.name}, ${known.role} as this key’s custodian.`,
            width,
          )
        : 0) +
      rowsOf(`“${DUTIES}”`, width) +
      2 +
      (practice ? 2 : 0);
    renderBody = () =>
      practice ? (
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
            {known ? '' : ' Custodian, identify yourself:'}
          </Text>
          <CustodianPrompt
            key={p.file}
            registered={known}
            duties={DUTIES}
            onDone={actions.acknowledge}
            onCancel={actions.cancel}
          />
        </Box>
      );
  } else if (p?.phase === 'passphrase') {
    const earlier =
      p.custodian?.from === 'ceremony'
        ? `${p.custodian.name}, ${p.custodian.role}: identified earlier in this ceremony.`
        : undefined;
    const text = `${p.custodian?.name ?? 'Custodian'}, type the passphrase of your key (${p.file.split('/').pop()}). Try ${p.attempts + 1} of ${MAX_PASSPHRASE_TRIES}.`;
    bodyRows = (earlier ? rowsOf(earlier, width) : 0) + rowsOf(text, width) + 1;
    renderBody = () => (
      <Box flexDirection="column">
        {earlier ? <Text color={color('muted')}>{earlier}</Text> : null}
        <Text>{text}</Text>
        <SecretInput label="Passphrase: " onSubmit={actions.passphrase} onCancel={actions.cancel} />
      </Box>
    );
  } else if (p?.phase === 'opening') {
    bodyRows = 1;
    renderBody = () => <Spinner label={`Opening the share of ${holderOf(p.holderIndex)}…`} />;
  } else if (state.awaitingRemoval) {
    const removing = state.awaitingRemoval;
    const stick = removing.split('/').pop() ?? removing;
    const rest = ` now${
      sticks.find((s) => s.path === removing)?.source === 'folder'
        ? ' (a folder standing in for a stick: press x)'
        : ' (or press x once it is out)'
    }.`;
    bodyRows = rowsOf(`Remove the stick ${stick}${rest}`, width);
    renderBody = () => (
      <Text>
        Remove the stick <Text bold>{stick}</Text>
        {rest}
      </Text>
    );
  } else {
    // Sticks keep their places (and numbers, in natural order) once their share is taken, and
    // say so; a stick with no key (nor a remote holder's contribution) on it says so too. The
    // pointer starts on the first one still to come that has a key.
    const taken = new Set(
      state.holders.filter((h) => h.state === 'accepted' && h.stick).map((h) => h.stick?.path),
    );
    const keyless = (s: Stick) => {
      const c = contents?.get(s.path);
      return c !== undefined && c.keys === 0 && c.contributions === 0;
    };
    const options = sticks.map((s) => ({
      label: `${s.label}${s.source === 'folder' ? ' (folder)' : ''}${taken.has(s.path) ? ' — share taken' : keyless(s) ? ' — no key on it' : ''}`,
      value: s.path,
    }));
    const first = (
      sticks.find((s) => !taken.has(s.path) && !keyless(s)) ??
      sticks.find((s) => !taken.has(s.path))
    )?.path;
    const prompt = `${
      held < required
        ? 'Next holder: insert your stick.'
        : proving
          ? 'Every new holder has opened their share: press r to check every share against the new file.'
          : 'Quorum reached: press r to reconstruct, or take more shares.'
    }${options.length > 0 ? ' Sticks present (choose one to insert):' : ' No stick detected yet.'}`;
    bodyRows = rowsOf(prompt, width);
    listNeed = options.length;
    renderBody = (rows) => (
      <Box flexDirection="column">
        {/* A screen reader hears where the quorum stands with each holder's call. */}
        <Text aria-label={`${held} of ${required} shares held. ${prompt}`}>{prompt}</Text>
        {options.length > 0 ? (
          <Choice
            options={options}
            rows={listRows(rows)}
            {...(first ? {initialValue: first} : {})}
            chooseBinding="insert"
            onChoose={(v) => {
              const stick = sticks.find((s) => s.path === v);
              if (stick) actions.insert(stick);
            }}
          />
        ) : null}
      </Box>
    );
  }

  // The rows: the meter, the holders, a gap, the body (and its list), the notice, the new HSM.
  const noticeRows = state.notice ? rowsOf(`! ${state.notice.text}`, width) : 0;
  const fixed = meterRows + 1 + bodyRows + noticeRows + (recovery && !recoveryBeside ? 1 : 0);
  const room = layout.bodyRows - fixed;
  const fullHolders = holderRows(state.holders, width);
  // The holders in full while a list below keeps a useful window (4 entries, or all it has).
  const listWants = listNeed === 0 ? 0 : Math.min(listNeed, 4) + (listNeed > 4 ? 2 : 0);
  const holderBudget =
    fullHolders + listWants <= room ? fullHolders : Math.max(2, room - listWants);
  const holdersUsed =
    fullHolders <= holderBudget
      ? fullHolders
      : Math.min(holderBudget, Math.ceil(state.holders.length / 2) + 1);
  const body = renderBody(room - holdersUsed);

  return (
    <Box flexDirection="column">
      <QuorumMeter
        held={held}
        required={required}
        everyone={proving}
        {...(recovery && recoveryBeside ? {after: recovery} : {})}
      />
      <HolderList holders={state.holders} maxRows={holderBudget} />
      <Box marginTop={1} flexDirection="column">
        {body}
      </Box>
      <Notice notice={state.notice} />
      {recovery && !recoveryBeside ? <Text color={color('muted')}>{recovery}</Text> : null}
    </Box>
  );
}
