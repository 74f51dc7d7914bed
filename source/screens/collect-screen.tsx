import {useState} from 'react';
import {Box} from 'ink';
import {MAX_PASSPHRASE_TRIES, type CeremonyState, type Custodian} from '../ceremony/types.js';
import {acceptedCount} from '../ceremony/reduce.js';
import {Choice} from '../components/choice.js';
import {TextField} from '../components/text-field.js';
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

function Acknowledge({
  holder,
  onDone,
  onCancel,
}: {
  holder: string;
  onDone: (c: Custodian) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState<string | undefined>();
  const [role, setRole] = useState<string | undefined>();
  useKeys({
    cancel: onCancel,
    yes: name !== undefined && role !== undefined && (() => onDone({name, role})),
  });
  return (
    <Box flexDirection="column">
      <Text>
        Key found for <Text bold>{holder}</Text>. Custodian, identify yourself:
      </Text>
      {name === undefined ? (
        <Box>
          <Text>Your name: </Text>
          <TextField
            key="name"
            placeholder="full name"
            onSubmit={(v) => v.trim() && setName(v.trim())}
          />
        </Box>
      ) : role === undefined ? (
        <Box>
          <Text>Your role: </Text>
          <TextField
            key="role"
            placeholder="e.g. Security Architect"
            onSubmit={(v) => v.trim() && setRole(v.trim())}
          />
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text wrap="wrap">“{DUTIES}”</Text>
          <Text bold>
            {name}, {role}: press y to acknowledge these duties.
          </Text>
        </Box>
      )}
    </Box>
  );
}

function ChooseAbsent({
  state,
  rows,
  onChoose,
  onCancel,
}: {
  state: CeremonyState;
  rows: number;
  onChoose: (i: number) => void;
  onCancel: () => void;
}) {
  useKeys({cancel: onCancel});
  // Numbered by holder: 3 is holder 3, whichever line it is on.
  const options = state.holders
    .filter((h) => h.state === 'waiting' || h.state === 'absent')
    .map((h) => ({
      label: `${h.name ?? `holder ${h.index}`} — ${h.state === 'absent' ? 'mark present again' : 'mark absent'}`,
      value: String(h.index),
      ...(h.index <= 9 ? {key: String(h.index)} : {}),
    }));
  return (
    <Box flexDirection="column">
      <Text>Which holder is absent? (the number is the holder's)</Text>
      <Choice options={options} rows={rows} onChoose={(v) => onChoose(Number(v))} />
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
}: {
  state: CeremonyState;
  sticks: Stick[];
  actions: CollectActions;
}) {
  const [choosingAbsent, setChoosingAbsent] = useState(false);
  const [remoteOpen, setRemoteOpen] = useState(false);
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
    reconstruct: free && idle && !proving && actions.reconstruct,
    check: free && idle && proving && actions.reconstruct,
    back: free && idle && held === 0 && !proving && actions.back,
  });

  const layout = useLayout();
  const {width} = layout;
  const recovery =
    state.mode === 'restore' || !state.hsm.recovery
      ? undefined
      : `New HSM in recovery mode: ${state.hsm.recovery.id.slice(0, 18)}`;
  // The new HSM shares the meter's line when both fit: rows are few with ten holders.
  const meterWidth = widthOf(`Quorum ${'#'.repeat(required + 2)} ${quorumWords(held, required)}`);
  const recoveryBeside = recovery !== undefined && meterWidth + 3 + widthOf(recovery) <= width;

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
        rows={listRows(rows)}
        onClose={() => setRemoteOpen(false)}
      />
    );
  } else if (choosingAbsent) {
    bodyRows = 1;
    listNeed = state.holders.filter((h) => h.state === 'waiting' || h.state === 'absent').length;
    renderBody = (rows) => (
      <ChooseAbsent
        state={state}
        rows={listRows(rows)}
        onChoose={(i) => {
          setChoosingAbsent(false);
          actions.absent(i);
        }}
        onCancel={() => setChoosingAbsent(false)}
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
    bodyRows = 1 + rowsOf(`“${DUTIES}”`, width) + 2;
    renderBody = () => (
      <Acknowledge
        key={p.file}
        holder={holderOf(p.holderIndex)}
        onDone={actions.acknowledge}
        onCancel={actions.cancel}
      />
    );
  } else if (p?.phase === 'passphrase') {
    const text = `${p.custodian?.name ?? 'Custodian'}, type the passphrase of your key (${p.file.split('/').pop()}). Try ${p.attempts + 1} of ${MAX_PASSPHRASE_TRIES}.`;
    bodyRows = rowsOf(text, width) + 1;
    renderBody = () => (
      <Box flexDirection="column">
        <Text>{text}</Text>
        <SecretInput label="Passphrase: " onSubmit={actions.passphrase} onCancel={actions.cancel} />
      </Box>
    );
  } else if (p?.phase === 'opening') {
    bodyRows = 1;
    renderBody = () => <Spinner label={`Opening the share of ${holderOf(p.holderIndex)}…`} />;
  } else if (state.awaitingRemoval) {
    const removing = state.awaitingRemoval;
    const text = `Remove the stick ${removing.split('/').pop()} now${
      sticks.find((s) => s.path === removing)?.source === 'folder'
        ? ' (demo stick: press x)'
        : ' (or press x once it is out)'
    }.`;
    bodyRows = rowsOf(text, width);
    renderBody = () => (
      <Text>
        Remove the stick <Text bold>{removing.split('/').pop()}</Text>
        {text.slice(`Remove the stick ${removing.split('/').pop()}`.length)}
      </Text>
    );
  } else {
    // Sticks keep their places (and numbers) once their share is taken, marked so; the pointer
    // starts on the first one still to come (demo folders stay listed after their "removal").
    const taken = new Set(
      state.holders.filter((h) => h.state === 'accepted' && h.stick).map((h) => h.stick?.path),
    );
    const options = sticks.map((s) => ({
      label: `${s.label}${s.source === 'folder' ? ' (demo folder)' : ''}${taken.has(s.path) ? ' — share taken' : ''}`,
      value: s.path,
    }));
    const first = sticks.find((s) => !taken.has(s.path))?.path;
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
  const fixed = 1 + 1 + bodyRows + noticeRows + (recovery && !recoveryBeside ? 1 : 0);
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
