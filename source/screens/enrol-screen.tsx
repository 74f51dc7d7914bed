import {useEffect, useRef, useState} from 'react';
import {Box} from 'ink';
import {Choice} from '../components/choice.js';
import {Spinner} from '../components/spinner.js';
import {Text} from '../components/text.js';
import {TextField} from '../components/text-field.js';
import {SecretInput} from '../components/secret-input.js';
import {color} from '../components/theme.js';
import {useKeys} from '../hooks/use-keys.js';
import type {Stick} from '../media/stick.js';
import {HOLDER_NAME, holderNameLike} from '../domain/holder-name.js';
import {MIN_NEW_PASSPHRASE, newPassphraseProblem} from '../domain/new-passphrase.js';

export interface EnrolRequest {
  holder: string;
  stick: Stick;
  /** Wiped by the receiver. */
  passphrase: Buffer;
}

/**
 * Onboarding, first step: the newcomer makes their key pair onto their own stick. The
 * passphrase is typed twice; only the certificate's fingerprint is shown.
 */
export function EnrolScreen({
  sticks,
  busy,
  error,
  onEnrol,
  onBack,
}: {
  sticks: Stick[];
  busy: boolean;
  error?: string;
  onEnrol: (r: EnrolRequest) => void;
  onBack: () => void;
}) {
  const [name, setName] = useState<string>();
  const [stick, setStick] = useState<Stick>();
  // The first passphrase waits in a ref, not in state: React state must never hold a secret.
  const first = useRef<Buffer | undefined>(undefined);
  const [haveFirst, setHaveFirst] = useState(false);
  // Why the last name or passphrase was refused, said on screen (never silently).
  const [refusal, setRefusal] = useState<string>();
  useEffect(
    () => () => {
      first.current?.fill(0);
    },
    [],
  );
  useKeys({back: !name && !busy && onBack});
  let body: React.ReactNode;
  if (busy) {
    body = <Spinner label="Generating your RSA-3072 key pair and certificate onto your stick…" />;
  } else if (!name) {
    body = (
      <Box>
        <Text>Your name (letters, digits, . _ -): </Text>
        <TextField
          placeholder="e.g. frank"
          onSubmit={(v) => {
            const t = v.trim();
            if (HOLDER_NAME.test(t)) {
              setRefusal(undefined);
              return setName(t);
            }
            setRefusal(
              t
                ? `“${t}” cannot be used: your name names your key file and certificate, so letters, digits, . _ - only, no spaces — e.g. ${holderNameLike(t)}.`
                : 'Type your name, then Enter.',
            );
          }}
        />
      </Box>
    );
  } else if (!stick) {
    body =
      sticks.length === 0 ? (
        <Text>Insert your stick…</Text>
      ) : (
        <Box flexDirection="column">
          <Text>Which stick is yours? Your private key is written there and nowhere else.</Text>
          <Choice
            options={sticks.map((s) => ({label: s.label, value: s.path}))}
            onChoose={(v) => setStick(sticks.find((s) => s.path === v))}
          />
        </Box>
      );
  } else if (!haveFirst) {
    body = (
      <Box flexDirection="column">
        <Text>
          It protects your real wrapping key: {MIN_NEW_PASSPHRASE} characters or more. You will type
          it twice.
        </Text>
        <SecretInput
          label={`Choose a passphrase (${MIN_NEW_PASSPHRASE}+ characters): `}
          onSubmit={(b) => {
            if (b.length === 0) return;
            const problem = newPassphraseProblem(b);
            if (problem) {
              b.fill(0);
              return setRefusal(`${problem[0]?.toUpperCase()}${problem.slice(1)}. Choose another.`);
            }
            setRefusal(undefined);
            first.current = b;
            setHaveFirst(true);
          }}
        />
      </Box>
    );
  } else {
    body = (
      <SecretInput
        label="Type it again:      "
        onSubmit={(again) => {
          const chosen = first.current;
          const same = chosen !== undefined && again.equals(chosen);
          again.fill(0);
          first.current = undefined;
          setHaveFirst(false);
          if (!chosen || !same) {
            chosen?.fill(0);
            setRefusal('The two passphrases differed. Choose one again.');
            return;
          }
          setRefusal(undefined);
          onEnrol({holder: name, stick, passphrase: chosen});
        }}
      />
    );
  }
  return (
    <Box flexDirection="column" gap={1}>
      <Text>Welcome to the quorum. First, make your own wrapping key on your own stick.</Text>
      {body}
      {refusal ? <Text color={color('error')}>{refusal}</Text> : null}
      {error ? <Text color={color('error')}>{error}</Text> : null}
    </Box>
  );
}
