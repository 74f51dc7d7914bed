/**
 * The command line's ceremony commands, their options and descriptions: the drill itself, the
 * sticks it would see, and what a holder runs alone (a remote holder's contribution, the solo
 * check).
 * Like ./index.ts, this file imports only types and small modules without dependencies: each
 * action imports its command's module when that command runs.
 */
import type {Command} from 'commander';
import type {CheckOptions} from './check.js';
import type {ContributeOptions} from './contribute.js';
import type {DrillOptions} from './drill.js';
import {collect} from './io.js';
import type {MediaOptions} from './media.js';
import {defaultMountRoots} from '../media/mount-roots.js';

export function registerDrill(program: Command): void {
  program
    .command('drill', {isDefault: true})
    .description('the interactive recovery ceremony (Ink TUI), or a scripted drill with --plan')
    .option('--sd <file>', 'the security-domain file')
    .option(
      '--media <dir>',
      'every subfolder of DIR acts as a stick (demo, training); repeatable',
      collect,
      [],
    )
    .option(
      '--mount-root <dir>',
      'look for sticks mounted under DIR instead of /media, /run/media, /mnt; repeatable',
      collect,
      [],
    )
    .option(
      '--mode <mode>',
      'rehearsal, restore, onboarding, rotation, compromise, or check (one holder checks their key alone)',
    )
    .option(
      '--lost <holder>',
      'compromise mode: a holder whose stick was reported lost (their number); repeatable',
      collect,
      [],
    )
    .option(
      '--exchange-key <cert>',
      "restore mode: the new HSM's exchange certificate (PEM or JWK JSON)",
    )
    .option(
      '--restore-blob-out <file>',
      'restore mode: where to write the restore blob (required with --exchange-key)',
    )
    .option('--plan <file>', 'run a reviewed drill plan without a terminal')
    .option(
      '--report-dir <dir>',
      "where reports are written (default ./drill-reports, or the plan's reportDir)",
    )
    .option('--idle-minutes <m>', 'abort and wipe shares after this long idle (default 10)')
    .option(
      '--ascii',
      'plain ASCII glyphs (default on TERM=linux or dumb, or a locale that is not UTF-8)',
    )
    .option('--unicode', 'Unicode glyphs even where ASCII would be chosen')
    .option('--no-color', 'no colour (also NO_COLOR, FORCE_COLOR=0, TERM=dumb)')
    .option(
      '--screen-reader',
      'linear text for a screen reader: each step said once, choices numbered (also INK_SCREEN_READER=true)',
    )
    .action(async (options: DrillOptions) => {
      await (await import('./drill.js')).drillAction(options);
    });
}

export function registerMedia(program: Command): void {
  program
    .command('media')
    .description('list detected sticks and the key files on them')
    .option('--media <dir>', 'every subfolder of DIR acts as a stick (repeatable)', collect, [])
    .option(
      '--mount-root <dir>',
      `look for mounted sticks under DIR instead of ${defaultMountRoots().join(', ')} (repeatable)`,
      collect,
      [],
    )
    .option('--json', 'print one JSON document')
    .action(async (options: MediaOptions) => {
      await (await import('./media.js')).mediaAction(options);
    });
}

export function registerContribute(program: Command): void {
  program
    .command('contribute')
    .description(
      "a holder at another site: seal your share to a ceremony's request, on your own offline machine",
    )
    .requiredOption('--request <file>', 'the request the ceremony wrote (request-….json)')
    .requiredOption('--sd <file>', 'your copy of the security-domain file (the same file)')
    .requiredOption('--key <file>', 'your wrapping private key (its certificate beside it)')
    .option('--passphrase-file <file>', 'its passphrase on the first line (otherwise a prompt)')
    .requiredOption('--out <file>', 'where to write the contribution (never overwritten)')
    .option('--expect-code <code>', 'the code the ceremony read to you: refuse if it differs')
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: ContributeOptions) => {
      await (await import('./contribute.js')).contributeAction(options);
    });
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description(
      'one holder, alone and offline: does my key open my share, and is it the share last proven? (--import: collect holders’ attestations)',
    )
    .requiredOption('--sd <file>', 'your copy of the security-domain file')
    .option('--key <file>', 'your wrapping private key (its certificate beside it)')
    .option('--passphrase-file <file>', 'its passphrase on the first line (otherwise a prompt)')
    .option(
      '--report <file>',
      'a drill report (drill-<id>.json) whose commitments to check against',
    )
    .option(
      '--expect-key <base64>',
      'the domain’s report key on record (to pin a report or header)',
    )
    .option('--out <file>', 'write your attestation, signed with your key, for the ceremony lead')
    .option('--import <files...>', 'ceremony lead: verify and record holders’ attestations')
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: CheckOptions) => {
      await (await import('./check.js')).checkAction(options);
    });
}
