import {Box} from 'ink';
import {glyphs} from '../components/glyphs.js';
import {useLayout} from '../components/layout.js';
import {itemRows, ScrollList, type ScrollItem} from '../components/scroll-list.js';
import {Text} from '../components/text.js';
import {color} from '../components/theme.js';
import type {FirstPinFacts} from '../drill/first-pin.js';
import {useKeys} from '../hooks/use-keys.js';

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
  useKeys({yes: () => onDecide(true), no: () => onDecide(false)});
  const {width, bodyRows, screenReader} = useLayout();
  const g = glyphs();
  const items: ScrollItem[] = [
    {
      key: 'title',
      text: `The drill passed. First drill of "${facts.label}" on this machine: pin its key?`,
      node: (
        <Text bold>
          The drill passed. First drill of &quot;{facts.label}&quot; on this machine: pin its key?
        </Text>
      ),
    },
    {
      key: 'why',
      text: `No key is on record here for this domain. Pinned, later drills of it must reconstruct this same key, and \`report verify\` accepts its reports; not pinned, its reports verify only with${facts.header ? ' its file (--sd) or' : ''} the key on record (--expect-key).`,
    },
    {key: 'file', text: `Domain file ${facts.file} (${facts.format})`},
    {key: 'sha', text: `SHA-256 ${facts.fileSha256 ?? 'unknown'}`},
    {
      key: 'key',
      text: `Report key ${facts.reportKey}${facts.header ? " (the key its file's header carries)" : ''}`,
    },
    ...facts.lookalikes.map((l, i) => ({
      key: `like ${i}`,
      text: `${g.warning} Note: ${l}.`,
      node: <Text color={color('warning')}>{`${g.warning} Note: ${l}.`}</Text>,
    })),
    {
      key: 'ask',
      text: "Compare the file's SHA-256 and the key with the ones on record before you answer. Pin this key as the domain's?",
    },
  ];
  // Everything here is read before the answer: when it outgrows the rows it scrolls (↑↓),
  // each line whole, rather than being cut.
  if (!screenReader && itemRows(items, width) + 2 > bodyRows)
    return <ScrollList items={items} rows={bodyRows} />;
  const [title, why, file, sha, key, ...rest] = items;
  const ask = rest.pop();
  const show = (i: ScrollItem | undefined) => (i ? (i.node ?? <Text>{i.text}</Text>) : null);
  return (
    <Box flexDirection="column">
      {show(title)}
      {show(why)}
      <Box marginTop={1} flexDirection="column">
        {show(file)}
        {show(sha)}
        {show(key)}
      </Box>
      {rest.map((i) => (
        <Box key={i.key}>{show(i)}</Box>
      ))}
      <Box marginTop={1}>{show(ask)}</Box>
    </Box>
  );
}
