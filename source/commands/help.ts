/**
 * What every `--help` ends with: the required options marked "(required)" (commander shows a
 * required option like any other), and one example to copy. Kept apart from the command table
 * (./index.ts, ./register-*.ts) so each command's registration stays what it registers.
 */
import type {Command} from 'commander';

/** One example per command, by its path ("report verify"), as run from a clone. */
const EXAMPLES: Record<string, string> = {
  drill: 'npx sd-drill drill --sd fixtures/demo/security-domain.json --media fixtures/demo/sticks',
  init: 'npx sd-drill init --out /tmp/drill --holders 5 --quorum 3 --passphrase-file pass.txt',
  keygen: 'npx sd-drill keygen --out /media/frank --holder frank',
  verify:
    'npx sd-drill verify --sd fixtures/demo/security-domain.json --key fixtures/demo/sticks/alice/alice.key --key fixtures/demo/sticks/bob/bob.key --key fixtures/demo/sticks/carol/carol.key --passphrase-file fixtures/demo/passphrases.txt',
  'restore-blob':
    'npx sd-drill restore-blob --sd fixtures/azure/security-domain.json --exchange-key fixtures/azure/exchange/exchange.pem --key fixtures/azure/holders/holder1.pem --key fixtures/azure/holders/holder2.pem --passphrase-file fixtures/azure/passphrases.txt --out /tmp/restore-blob.json',
  rotate:
    'npx sd-drill rotate --sd sd.json --key alice.key --key bob.key --key carol.key --passphrase-file old.txt --cert alice.cer --cert bob.cer --cert frank.cer --quorum 3 --out sd-new.json',
  media: 'npx sd-drill media --media fixtures/demo/sticks',
  history: 'npx sd-drill history',
  'report verify':
    'npx sd-drill report verify drill-reports/drill-<id>.json --sd security-domain.json',
  'custody add':
    'npx sd-drill custody add --from "Alice Ng" --to "Bob Li" --fingerprint <sha256> --note "stick 1 handed over"',
  'custody list': 'npx sd-drill custody list',
  'holders register':
    'npx sd-drill holders register --fingerprint <sha256> --custodian "Alice Ng" --role "Security Architect"',
  'holders list': 'npx sd-drill holders list',
  assess: 'npx sd-drill assess --sd fixtures/demo/security-domain.json --lost 2 --file-exposed',
  contribute:
    'npx sd-drill contribute --request request.json --sd security-domain.json --key /media/carol/carol.key --out contribution-3.json',
  check:
    'npx sd-drill check --sd fixtures/demo/security-domain.json --key fixtures/demo/sticks/carol/carol.key',
};

function path(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Marks required options and adds each command's example, on every command under `program`. */
export function finishHelp(program: Command): void {
  const visit = (cmd: Command): void => {
    for (const o of cmd.options)
      if (o.mandatory && !o.description.endsWith('(required)'))
        o.description = `${o.description} (required)`;
    const example = EXAMPLES[path(cmd)];
    if (example) cmd.addHelpText('after', `\nExample:\n  $ ${example}\n`);
    for (const sub of cmd.commands) visit(sub);
  };
  for (const sub of program.commands) visit(sub);
  program.addHelpText(
    'after',
    '\nRun from a clone after `npm ci && npm run build` as `npx sd-drill …`; `<command> --help` marks the required options and gives an example.\n',
  );
}

/** The commands that have an example (tests check every command has one). */
export const EXAMPLE_COMMANDS: readonly string[] = Object.keys(EXAMPLES);
