/**
 * The command line's domain commands, their options and descriptions: provisioning a simulated
 * HSM, a holder's key, and the headless checks and changes of a security-domain file (verify,
 * the Azure restore blob, rotation, what a loss means).
 * Like ./index.ts, this file imports only types and small modules without dependencies: each
 * action imports its command's module when that command runs.
 */
import type {Command} from 'commander';
import {MAX_HOLDERS, MAX_INVENTORY_KEYS, MIN_HOLDERS} from '../limits.js';
import type {AssessOptions} from './assess.js';
import type {InitOptions} from './init.js';
import {collect} from './io.js';
import type {KeygenOptions} from './keygen.js';
import type {RestoreBlobOptions} from './restore-blob.js';
import type {RotateOptions} from './rotate.js';
import type {VerifyOptions} from './verify.js';

export function registerInit(program: Command): void {
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

export function registerKeygen(program: Command): void {
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

export function registerVerify(program: Command): void {
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

export function registerRestoreBlob(program: Command): void {
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

export function registerRotate(program: Command): void {
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

export function registerAssess(program: Command): void {
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
