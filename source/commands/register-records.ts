/**
 * The command line's record commands, their options and descriptions: past drills, a report's
 * signature, the custody log and the holder registry.
 * Like ./index.ts, this file imports only types and small modules without dependencies: each
 * action imports its command's module when that command runs.
 */
import type {Command} from 'commander';
import type {AddOptions} from './custody.js';
import type {RegisterOptions} from './holders.js';
import type {ReportVerifyOptions} from './report.js';

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('past drills, newest first, with each domain’s trend and next review date')
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: {json?: boolean}) => {
      (await import('./history.js')).historyAction(options);
    });
}

export function registerReport(program: Command): void {
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

export function registerCustody(program: Command): void {
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

export function registerHolders(program: Command): void {
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
