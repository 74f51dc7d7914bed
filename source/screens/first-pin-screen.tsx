import {Box, Text, useInput} from 'ink';
import {HelpLine} from '../components/help-line.js';
import {color} from '../components/theme.js';
import type {FirstPinFacts} from '../drill/first-pin.js';

/**
 * After a pass on a domain this machine has no record of: pin the key the drill reconstructed?
 * Nothing is chosen for the operator — y or n, Enter does nothing — because both answers cost
 * something: pinning a substitute's key makes it "the domain" here, and not pinning leaves the
 * report verifiable only with the key on record (`report verify --expect-key`).
 *
 *   First drill of "demo-hsm" on this machine: pin its key?
 *   Domain file  fixtures/demo/security-domain.json (native)
 *   SHA-256      1f0c…
 *   Report key   Qm9…=  (the key its file's header carries)
 *   Pin this key as the domain's?  y yes · n no
 */
export function FirstPinScreen({
  facts,
  onDecide,
}: {
  facts: FirstPinFacts;
  onDecide: (pin: boolean) => void;
}) {
  useInput((input) => {
    if (input === 'y' || input === 'Y') onDecide(true);
    else if (input === 'n' || input === 'N') onDecide(false);
  });
  return (
    <Box flexDirection="column">
      <Text bold wrap="wrap">
        The drill passed. First drill of &quot;{facts.label}&quot; on this machine: pin its key?
      </Text>
      <Text wrap="wrap">
        No key is on record here for this domain. Pinned, later drills of it must reconstruct this
        same key, and `report verify` accepts its reports; not pinned, its reports verify only with
        {facts.header ? ' its file (--sd) or' : ''} the key on record (--expect-key).
      </Text>
      <Box marginTop={1} flexDirection="column">
        <Text wrap="wrap">
          Domain file {facts.file} ({facts.format})
        </Text>
        <Text wrap="wrap">SHA-256 {facts.fileSha256 ?? 'unknown'}</Text>
        <Text wrap="wrap">
          Report key {facts.reportKey}
          {facts.header ? " (the key its file's header carries)" : ''}
        </Text>
      </Box>
      {facts.lookalikes.map((l, i) => (
        <Text key={i} color={color('warning')} wrap="wrap">
          ! Note: {l}.
        </Text>
      ))}
      <Box marginTop={1}>
        <Text wrap="wrap">
          Compare the file&apos;s SHA-256 and the key with the ones on record before you answer. Pin
          this key as the domain&apos;s?
        </Text>
      </Box>
      <HelpLine bindings={['yes', 'no']} />
    </Box>
  );
}
