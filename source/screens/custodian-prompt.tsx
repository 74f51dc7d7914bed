import {useState} from 'react';
import {Box} from 'ink';
import type {Custodian} from '../ceremony/types.js';
import {Text} from '../components/text.js';
import {TextField} from '../components/text-field.js';
import {color} from '../components/theme.js';
import {useKeys} from '../hooks/use-keys.js';

/** Where the custodian prompt is. */
export type CustodianPhase = 'confirm' | 'name' | 'role' | 'duties';

/**
 * Who a holder is: the holder registry's custodian confirmed with one key (y), or — someone
 * else, or nobody registered — a name and a role typed; then, where `duties` is given, the
 * duties acknowledged with y. Esc cancels. Its keys are on the footer as each phase honours
 * them (y and n only where they do something; Enter only while a field is open).
 *
 *   The holder registry has Alice Ng, Security Architect as this key's custodian.
 *   “I am the custodian of this key. …”
 *   Alice Ng: press y if that is you and you acknowledge these duties, n if you are someone else.
 */
export function CustodianPrompt({
  registered,
  duties,
  onDone,
  onCancel,
}: {
  /** The registry's custodian of this key, if it has one. */
  registered?: Custodian | undefined;
  /** The duties to acknowledge (a holder at the machine); none for a holder called remotely. */
  duties?: string;
  onDone: (c: Custodian) => void;
  onCancel: () => void;
}) {
  const [typing, setTyping] = useState(!registered);
  const [name, setName] = useState<string | undefined>();
  const [role, setRole] = useState<string | undefined>();
  const [refused, setRefused] = useState<string>();
  const phase: CustodianPhase = !typing
    ? 'confirm'
    : name === undefined
      ? 'name'
      : role === undefined
        ? 'role'
        : 'duties';
  useKeys({
    cancel: onCancel,
    yes:
      phase === 'confirm' && registered
        ? () => onDone({name: registered.name, role: registered.role, from: 'registry'})
        : phase === 'duties' && name !== undefined && role !== undefined
          ? () => onDone({name, role})
          : undefined,
    no: phase === 'confirm' && (() => setTyping(true)),
  });
  const field = (what: 'name' | 'role', v: string): void => {
    const t = v.trim();
    if (!t) return setRefused(`Type your ${what}, then Enter (Esc cancels).`);
    setRefused(undefined);
    if (what === 'name') setName(t);
    else if (duties) setRole(t);
    else if (name) onDone({name, role: t});
  };
  if (phase === 'confirm' && registered)
    return (
      <Box flexDirection="column">
        <Text>
          The holder registry has{' '}
          <Text bold>
            {registered.name}, {registered.role}
          </Text>{' '}
          as this key’s custodian.
        </Text>
        {duties ? <Text>“{duties}”</Text> : null}
        <Text bold>
          {duties
            ? `${registered.name}: press y if that is you and you acknowledge these duties, n if you are someone else.`
            : `Press y if ${registered.name} is the one taking part, n if it is someone else.`}
        </Text>
      </Box>
    );
  return (
    <Box flexDirection="column">
      {registered ? (
        <Text color={color('muted')}>
          Not {registered.name}: type who you are (the report names both).
        </Text>
      ) : null}
      {phase === 'name' ? (
        <Box>
          <Text>{duties ? 'Your name: ' : 'Their name: '}</Text>
          <TextField key="name" placeholder="full name" onSubmit={(v) => field('name', v)} />
        </Box>
      ) : phase === 'role' ? (
        <Box>
          <Text>{duties ? 'Your role: ' : 'Their role: '}</Text>
          <TextField
            key="role"
            placeholder="e.g. Security Architect"
            onSubmit={(v) => field('role', v)}
          />
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text>“{duties}”</Text>
          <Text bold>
            {name}, {role}: press y to acknowledge these duties.
          </Text>
        </Box>
      )}
      {refused ? <Text color={color('warning')}>{refused}</Text> : null}
    </Box>
  );
}
