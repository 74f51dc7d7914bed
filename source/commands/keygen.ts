import {lstatSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {inputError, unwrap, usageError} from '../errors.js';
import {writeHolderKey} from '../domain/holder-key.js';
import {readPassphraseFile} from '../domain/passphrase-file.js';
import {wipe} from '../secret.js';
import {isOnFixedDisk} from '../media/location.js';
import {out, warn} from './io.js';
import {promptPassphrase} from './passphrases.js';
import {MIN_NEW_PASSPHRASE, newPassphraseProblem} from '../domain/new-passphrase.js';
import {HOLDER_NAME, holderNameLike} from '../domain/holder-name.js';

export interface KeygenOptions {
  out: string;
  holder: string;
  bits: string;
  passphraseFile?: string;
  passphrase: boolean;
  allowFixedDisk?: boolean;
}

function existsAt(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

async function keygen(options: KeygenOptions): Promise<number> {
  if (!HOLDER_NAME.test(options.holder)) {
    throw usageError(
      'bad-name',
      `--holder ${JSON.stringify(options.holder)}: may use letters, digits, ".", "_" and "-" only (no spaces), e.g. ${holderNameLike(options.holder)}`,
    );
  }
  // Before anything is asked or made: the writes would refuse anyway, after a key was made.
  for (const file of [`${options.holder}.key`, `${options.holder}.cer`].map((n) =>
    join(options.out, n),
  )) {
    if (existsAt(file))
      throw inputError(
        'exists',
        `${file}: already exists; refusing to overwrite it (choose another --out or --holder)`,
        file,
      );
  }
  // The domain document: a wrapping key lives on its own removable device, never a computer's disk.
  const fixed = await isOnFixedDisk(resolve(options.out));
  if (fixed === true && !options.allowFixedDisk) {
    throw usageError(
      'fixed-disk',
      `${options.out}: is on a fixed disk; write the key to the holder's USB stick, or give --allow-fixed-disk for practice`,
    );
  }
  if (fixed === undefined && !options.allowFixedDisk) {
    warn(
      `could not tell whether ${options.out} is on removable media; make sure it is the holder's own stick`,
    );
  }
  const bits = Number(options.bits);
  if (![2048, 3072, 4096].includes(bits))
    throw usageError('bad-bits', '--bits must be 2048, 3072 or 4096');
  let passphrase: Buffer | undefined;
  if (options.passphraseFile) {
    const lines = unwrap(readPassphraseFile(options.passphraseFile));
    passphrase = lines[0];
    wipe(...lines.slice(1));
    if (!passphrase || passphrase.length === 0)
      throw usageError('empty-passphrase', `${options.passphraseFile}: the first line is empty`);
    const problem = newPassphraseProblem(passphrase);
    if (problem) {
      wipe(passphrase);
      throw usageError(
        'short-passphrase',
        `${options.passphraseFile}: ${problem}; nothing was written`,
      );
    }
  } else if (options.passphrase) {
    passphrase = unwrap(
      await promptPassphrase(
        `New passphrase for ${options.holder}'s key (${MIN_NEW_PASSPHRASE} characters or more): `,
      ),
    );
    const problem = newPassphraseProblem(passphrase);
    if (problem) {
      wipe(passphrase);
      throw usageError('short-passphrase', `${problem}; nothing was written`);
    }
    const again = unwrap(await promptPassphrase('Type it again: '));
    const same = passphrase.equals(again);
    wipe(again);
    if (!same) {
      wipe(passphrase);
      throw usageError('passphrase-mismatch', 'the two passphrases differ; nothing was written');
    }
  } else {
    warn('--no-passphrase: the key is written unencrypted — for practice only');
  }
  try {
    const r = await writeHolderKey(options.out, options.holder, bits, passphrase);
    out(
      `Wrote ${r.keyFile} (private key${passphrase ? ', encrypted' : ', UNENCRYPTED'}) and ${r.certFile}.`,
    );
    out(`Certificate fingerprint (SHA-256): ${r.certFingerprint}`);
    out('Send only the .cer file to the domain administrator; the key never leaves this stick.');
    return 0;
  } finally {
    wipe(passphrase);
  }
}

/** `sd-drill keygen` (registered in ./register-domain.ts). */
export async function keygenAction(options: KeygenOptions): Promise<void> {
  process.exitCode = await keygen(options);
}
