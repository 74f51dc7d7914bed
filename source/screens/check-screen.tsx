import {useState} from 'react';
import {Box} from 'ink';
import {Choice} from '../components/choice.js';
import {display} from '../components/display.js';
import {glyphs} from '../components/glyphs.js';
import {Notice} from '../components/notice.js';
import {SecretInput} from '../components/secret-input.js';
import {Spinner} from '../components/spinner.js';
import {Text} from '../components/text.js';
import {TextField} from '../components/text-field.js';
import {color} from '../components/theme.js';
import {useKeys} from '../hooks/use-keys.js';
import {SOLO_PASSPHRASE_TRIES, type SoloCheckSession, type SoloState} from '../drill/solo-check.js';
import {useSoloCheck} from '../hooks/use-solo-check.js';
import type {Stick} from '../media/stick.js';

const WHERE = {store: "this machine's store", report: 'the report', header: "the file's header"};

/** Which domain file: found on the sticks present, or typed. */
function ChooseDomain({
  candidates,
  onChoose,
}: {
  candidates: string[];
  onChoose: (f: string) => void;
}) {
  const [typing, setTyping] = useState(candidates.length === 0);
  useKeys({back: typing && candidates.length > 0 && (() => setTyping(false))});
  return typing ? (
    <Box flexDirection="column">
      <Text>Path to your copy of the security-domain file (sd-drill or Azure JSON):</Text>
      <TextField
        placeholder="e.g. /media/carol/SD/security-domain.json"
        onSubmit={(v) => v.trim() && onChoose(v.trim())}
      />
    </Box>
  ) : (
    <Box flexDirection="column">
      <Text>Which security-domain file? Found on the sticks:</Text>
      <Choice
        options={[
          ...candidates.map((c) => ({label: c, value: c})),
          {label: 'Type a path…', value: ':'},
        ]}
        onChoose={(v) => (v === ':' ? setTyping(true) : onChoose(v))}
      />
    </Box>
  );
}

/** "✓ PASS — "; in plain ASCII (where the marks are the words OK and FAIL) the word alone. */
function verdictWord(ok: boolean): string {
  const word = ok ? 'PASS' : 'FAIL';
  return display().ascii ? `${word} — ` : `${ok ? glyphs().ok : glyphs().fail} ${word} — `;
}

function Result({state}: {state: SoloState}) {
  const r = state.result;
  if (!r) return null;
  const tone = r.ok ? 'ok' : 'error';
  return (
    <Box flexDirection="column">
      <Text color={color(tone)} wrap="wrap">
        {verdictWord(r.ok)}
        {r.line}
      </Text>
      {r.matched.slice(1).map((m) => (
        <Text key={`${m.source}${m.at ?? ''}`} color={color('muted')} wrap="wrap">
          {`also agrees: ${WHERE[m.source]}`}
        </Text>
      ))}
      {r.notes.map((n) => (
        <Text key={n} color={color('warning')} wrap="wrap">
          {`! ${n}`}
        </Text>
      ))}
      {r.ok ? (
        <Text color={color('muted')} wrap="wrap">
          {`${state.recorded ? 'Recorded on this machine as your last proof. ' : ''}Nothing secret was written: the share was opened in memory, hashed and wiped.`}
        </Text>
      ) : null}
    </Box>
  );
}

/**
 * "Check my key": one holder, alone.
 *
 *   Check my key · demo-hsm · holder's stick CAROL
 *   ✓ PASS — your key and passphrase open holder 3's share (carol) of …
 *   Write your attestation for the ceremony lead to your stick? (y/n)
 */
export function CheckScreen({
  session,
  sticks,
  candidates,
  onBack,
  onQuit,
}: {
  session: SoloCheckSession;
  sticks: Stick[];
  candidates: string[];
  /** Back to the start screen. */
  onBack: () => void;
  onQuit: () => void;
}) {
  const state = useSoloCheck(session);
  const offered = state.attestation?.state === 'offered';
  const result = state.step === 'result';
  useKeys({
    back: state.step === 'stick' && onBack,
    yes: result && offered && (() => session.attest()),
    no: result && offered && (() => session.decline()),
    again: result && !offered && (() => session.again()),
    quit: result && !offered && onQuit,
  });
  let body: React.ReactNode;
  switch (state.step) {
    case 'domain':
      body = <ChooseDomain candidates={candidates} onChoose={(f) => session.chooseDomain(f)} />;
      break;
    case 'stick': {
      const options = sticks.map((s) => ({
        label: `${s.label}${s.source === 'folder' ? ' (folder)' : ''}`,
        value: s.path,
      }));
      body = (
        <Box flexDirection="column">
          <Text>
            Insert your stick.
            {options.length > 0
              ? ' Sticks present (choose one to insert):'
              : ' No stick detected yet.'}
          </Text>
          {options.length > 0 ? (
            <Choice
              chooseBinding="insert"
              options={options}
              onChoose={(v) => {
                const stick = sticks.find((s) => s.path === v);
                if (stick) void session.stickInserted(stick);
              }}
            />
          ) : null}
        </Box>
      );
      break;
    }
    case 'passphrase':
      body = (
        <Box flexDirection="column">
          <Text wrap="wrap">
            Type the passphrase of your key ({state.key?.name} on stick {state.stick?.label}). Try{' '}
            {state.failures + 1} of {SOLO_PASSPHRASE_TRIES}.
          </Text>
          <SecretInput
            key={`${state.key?.file}:${state.failures}`}
            label="Passphrase: "
            onSubmit={(b) => void session.submitPassphrase(b)}
            onCancel={() => session.cancel()}
          />
        </Box>
      );
      break;
    case 'checking':
      body = <Spinner label="Opening your share and comparing it with the one on record…" />;
      break;
    case 'result':
      body = (
        <Box flexDirection="column" gap={1}>
          <Result state={state} />
          {offered ? (
            <Text bold wrap="wrap">
              Write your attestation (signed with your key, nothing secret in it) for the ceremony
              lead to stick {state.stick?.label}? y / n
            </Text>
          ) : state.attestation?.state === 'written' ? (
            <Text wrap="wrap">{`Attestation written: ${state.attestation.file} — the lead imports it with sd-drill check --import.`}</Text>
          ) : null}
        </Box>
      );
      break;
  }
  return (
    <Box flexDirection="column">
      {state.domain ? (
        <Box flexDirection="column">
          <Text wrap="truncate-end">
            <Text bold>{state.domain.label}</Text>
            {` · ${state.domain.format === 'azure' ? 'Azure Managed HSM' : 'sd-drill simulated HSM'} · ${state.domain.total} holders`}
          </Text>
          <Text color={color('muted')} wrap="wrap">
            {state.domain.file}
          </Text>
        </Box>
      ) : (
        <Text wrap="wrap">
          One holder, alone: your key, your passphrase and your copy of the domain file — no quorum
          and no custodian of the whole domain needed.
        </Text>
      )}
      <Box marginTop={1} flexDirection="column">
        {body}
      </Box>
      <Notice notice={state.notice} />
    </Box>
  );
}
