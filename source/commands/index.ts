/**
 * The command line's surface: every command, its options and their descriptions, and nothing
 * else. Each action imports its command's module only when that command runs, so `--version`,
 * `--help` and a headless command never load (nor, in the bundle, evaluate) what they do not
 * use: Ink and React for the TUI, node-forge for key generation, conf for the store, and so on.
 * Keep this file's imports to type-only imports and small modules without dependencies.
 */
import type {Command} from 'commander';
import {MAX_HOLDERS, MAX_INVENTORY_KEYS, MIN_HOLDERS} from '../limits.js';
import {defaultMountRoots} from '../media/mount-roots.js';
import type {AssessOptions} from './assess.js';
import type {CheckOptions} from './check.js';
import type {ContributeOptions} from './contribute.js';
import type {AddOptions} from './custody.js';
import type {DrillOptions} from './drill.js';
import type {RegisterOptions} from './holders.js';
import type {ReportVerifyOptions} from './report.js';
import type {InitOptions} from './init.js';
import {collect} from './io.js';
import type {KeygenOptions} from './keygen.js';
import type {MediaOptions} from './media.js';
import type {RestoreBlobOptions} from './restore-blob.js';
import type {RotateOptions} from './rotate.js';
import type {VerifyOptions} from './verify.js';

/** Each command registers itself; cli.tsx only parses and dispatches. Order is --help order. */
export type Register = (program: Command) => void;

function registerDrill(program: Command): void {
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

function registerInit(program: Command): void {
  program
    .command('init')
    .description("provision a simulated HSM: a security-domain file and the holders' sticks")
    .requiredOption('--out <dir>', 'where to write security-domain.json, hsm/ and sticks/')
    .option(
      '--holders <n>',
      `generate key pairs for N holders (${MIN_HOLDERS}..${MAX_HOLDERS}; required unless --cert)`,
    )
    .option(
      '--cert <file>',
      "a holder's certificate (repeat; holders made their own keys; required unless --holders)",
      collect,
      [],
    )
    .requiredOption('--quorum <m>', 'shares needed to reconstruct (2..N)')
    .option('--holder-names <a,b,…>', 'holder names, comma-separated')
    .option('--keys <k>', `keys in the simulated HSM (0..${MAX_INVENTORY_KEYS})`, '25')
    .option('--key-bits <bits>', 'RSA size of generated wrapping keys: 2048, 3072 or 4096', '3072')
    .option(
      '--passphrase-file <file>',
      'one passphrase per holder, one per line (with --holders: this or --no-passphrase)',
    )
    .option('--no-passphrase', 'write unencrypted keys (practice only)')
    .option('--name <name>', "the simulated HSM's name", 'drill-hsm')
    .option('--force', 'overwrite an existing security domain and key files')
    .action(async (options: InitOptions) => {
      await (await import('./init.js')).initAction(options);
    });
}

function registerKeygen(program: Command): void {
  program
    .command('keygen')
    .description("a holder's key pair and certificate onto a stick")
    .requiredOption('--out <dir>', 'the stick (or folder) to write to')
    .requiredOption('--holder <name>', "the holder's name (file names and certificate subject)")
    .option('--bits <bits>', 'RSA size: 2048, 3072 or 4096', '3072')
    .option(
      '--passphrase-file <file>',
      'the passphrase on its first line (otherwise a masked prompt)',
    )
    .option('--no-passphrase', 'write an unencrypted key (practice only)')
    .option('--allow-fixed-disk', 'allow writing to a fixed disk instead of a removable stick')
    .action(async (options: KeygenOptions) => {
      await (await import('./keygen.js')).keygenAction(options);
    });
}

function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('headless: do these keys reconstruct this security domain?')
    .requiredOption('--sd <file>', 'the security-domain file (sd-drill or Azure format)')
    .option(
      '--key <file>',
      'a wrapping private key (repeat for each holder; required: at least the quorum)',
      collect,
      [],
    )
    .option(
      '--passphrase-file <file>',
      'one passphrase per line, in --key order; an empty line for an unencrypted key',
    )
    .option(
      '--all',
      'every holder must prove their key (all n, each share checked), not only a quorum',
    )
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: VerifyOptions) => {
      await (await import('./verify.js')).verifyAction(options);
    });
}

function registerRestoreBlob(program: Command): void {
  program
    .command('restore-blob')
    .description(
      'Recover an Azure Managed HSM security domain offline and write the upload payload for a recovering HSM',
    )
    .requiredOption(
      '--sd <file>',
      'the security-domain file (az keyvault security-domain download)',
    )
    .requiredOption(
      '--exchange-key <file>',
      "the recovering HSM's exchange key: certificate PEM/DER (init-recovery) or JWK with x5c",
    )
    .requiredOption(
      '--key <file>',
      'a wrapping private key (PEM); its certificate is found beside it as <name>.cer; repeat for each holder',
      collect,
      [],
    )
    .option(
      '--passphrase-file <file>',
      'one passphrase per --key, in order; an empty line for an unencrypted key',
    )
    .requiredOption('--out <file>', 'where to write the restore blob (never overwritten)')
    .option('--json', 'print the result as JSON')
    .action(async (options: RestoreBlobOptions) => {
      await (await import('./restore-blob.js')).restoreBlobAction(options);
    });
}

function registerRotate(program: Command): void {
  program
    .command('rotate')
    .description(
      "headless: the old quorum's keys open the domain; the same domain is written to a new file wrapped to new holders' certificates",
    )
    .requiredOption('--sd <file>', 'the current security-domain file (only read)')
    .option(
      '--key <file>',
      "an old holder's wrapping private key (repeat; required: the old quorum)",
      collect,
      [],
    )
    .option(
      '--passphrase-file <file>',
      'one passphrase per line, in --key order; an empty line for an unencrypted key',
    )
    .option(
      '--cert <file>',
      `a new holder's certificate, in share order (repeat; required: ${MIN_HOLDERS}..${MAX_HOLDERS})`,
      collect,
      [],
    )
    .requiredOption('--quorum <m>', 'shares the new file needs (2..number of --cert)')
    .option(
      '--lower-quorum',
      'allow a --quorum below the current one (or below 3 where the new holders allow 3)',
    )
    .requiredOption(
      '--out <file>',
      'where to write the new security-domain file (never overwritten)',
    )
    .option(
      '--holder-names <a,b,…>',
      'native: the new holders’ names (default: kept names, else the certificates’ common names)',
    )
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: RotateOptions) => {
      await (await import('./rotate.js')).rotateAction(options);
    });
}

function registerAssess(program: Command): void {
  program
    .command('assess')
    .description(
      'something was lost: rotate now, or treat the domain as compromised and move to a new HSM? (no keys needed)',
    )
    .requiredOption('--sd <file>', 'the security-domain file (only its public parts are read)')
    .option(
      '--lost <holder>',
      'a lost stick, by its holder: number (1..n), name in the file or the holder registry, or certificate SHA-256 fingerprint (or its first 8+ hex digits); repeat for each',
      collect,
      [],
    )
    .option('--file-exposed', 'a copy of the security-domain file itself was lost or exposed')
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: AssessOptions) => {
      (await import('./assess.js')).assessAction(options);
    });
}

function registerMedia(program: Command): void {
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

function registerHistory(program: Command): void {
  program
    .command('history')
    .description('past drills, newest first, with each domain’s trend and next review date')
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: {json?: boolean}) => {
      (await import('./history.js')).historyAction(options);
    });
}

function registerReport(program: Command): void {
  const report = program.command('report').description('drill reports');
  report
    .command('verify')
    .description(
      'check a drill report’s signature and that its key is pinned for its domain (--sd, --expect-key, or an earlier drill on this machine)',
    )
    .argument('<file>', 'the report’s JSON file (drill-<id>.json)')
    .option('--sd <file>', 'the domain file the report should be of (its header pins the key)')
    .option('--expect-key <base64>', 'the domain’s report key on record (an auditor’s pin)')
    .option('--json', 'print one JSON document on stdout')
    .action(async (file: string, options: ReportVerifyOptions) => {
      (await import('./report.js')).reportVerifyAction(file, options);
    });
}

function registerCustody(program: Command): void {
  const custody = program
    .command('custody')
    .description('the custody log: every hand-off of a wrapping key or its stick');
  custody
    .command('add')
    .description('record a hand-off')
    .requiredOption('--from <name>', 'who handed it over')
    .requiredOption('--to <name>', 'who took it')
    .option('--fingerprint <sha256>', 'the wrapping key’s certificate fingerprint')
    .option('--note <text>', 'what changed hands, and why')
    .option('--date <iso>', 'when (default: now)')
    .action(async (options: AddOptions) => {
      (await import('./custody.js')).custodyAddAction(options);
    });
  custody
    .command('list')
    .description('list recorded hand-offs, oldest first')
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: {json?: boolean}) => {
      (await import('./custody.js')).custodyListAction(options);
    });
}

function registerHolders(program: Command): void {
  const holders = program
    .command('holders')
    .description('the holder registry: who keeps which wrapping key, and where');
  holders
    .command('register')
    .description('register (or re-register) a wrapping key’s custodian')
    .requiredOption('--fingerprint <sha256>', 'the wrapping key’s certificate fingerprint')
    .requiredOption('--custodian <name>', 'the person who keeps the key')
    .requiredOption('--role <role>', 'their role, e.g. "Security Architect"')
    .option('--location <place>', 'where the key is kept, e.g. "Safe B, Zurich office"')
    .option('--since <iso>', 'since when (default: now)')
    .action(async (options: RegisterOptions) => {
      (await import('./holders.js')).holdersRegisterAction(options);
    });
  holders
    .command('list')
    .description('list registered holders')
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: {json?: boolean}) => {
      (await import('./holders.js')).holdersListAction(options);
    });
}

function registerContribute(program: Command): void {
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

function registerCheck(program: Command): void {
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

export const registrations: Register[] = [
  registerDrill,
  registerInit,
  registerKeygen,
  registerVerify,
  registerRestoreBlob,
  registerRotate,
  registerAssess,
  registerMedia,
  registerHistory,
  registerReport,
  registerCustody,
  registerHolders,
  registerContribute,
  registerCheck,
];
