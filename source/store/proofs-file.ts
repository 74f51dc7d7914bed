/**
 * The store's proofs file written directly, for the commands that only record a proof
 * (`verify`, `rotate`, `check`): loading the whole store (conf, its schema checker and five
 * other files) cost `verify` ~100 ms here for one file. The same file, lock, mode, checks and
 * setting-aside of a damaged file as the store's own (./store-file.ts), so the two agree.
 */
import {existsSync, renameSync} from 'node:fs';
import {join} from 'node:path';
import {inputError} from '../errors.js';
import {writeFileAtomic} from '../fs/atomic-write.js';
import {makeDirs} from '../fs/make-dirs.js';
import {readSmallFileSync} from '../fs/read-file.js';
import {storeDirectory} from './location.js';
import {withLock} from './lock.js';
import {assertStoreTrusted} from './permissions.js';
import {
  ProofsFileSchema,
  type CommitmentRecord,
  type HolderProofRecord,
  type ProofsFile,
} from './proofs-schema.js';
import {withCommitments, withHolderProofs} from './proofs.js';

export const proofsFile = (dir: string): string => join(dir, 'proofs.json');

/** Reads the proofs file: empty when missing; `damaged` says why it could not be used. */
export function readProofsFile(file: string): {proofs: ProofsFile; damaged?: string} {
  const empty = ProofsFileSchema.parse({});
  if (!existsSync(file)) return {proofs: empty};
  const bytes = readSmallFileSync(file, 64 * 1024 * 1024, 'proofs file');
  if (!bytes.ok) return {proofs: empty, damaged: bytes.error.message};
  let json: unknown;
  try {
    json = JSON.parse(bytes.value.toString('utf8'));
  } catch {
    return {proofs: empty, damaged: 'it is not valid JSON'};
  }
  const parsed = ProofsFileSchema.safeParse(json);
  return parsed.success
    ? {proofs: parsed.data}
    : {proofs: empty, damaged: 'it does not match the expected format'};
}

/**
 * Adds a proof to the store's proofs file under the store's lock. Returns the warnings to
 * show (a damaged file set aside); throws an SdError when the store cannot be written.
 */
export function appendProofs(
  commitments: CommitmentRecord | null,
  holders: readonly HolderProofRecord[],
  dir: string = storeDirectory(),
): string[] {
  const warnings: string[] = [];
  try {
    makeDirs(dir, 0o700);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw inputError(
      'store-unwritable',
      `${dir}: cannot create the sd-drill store folder (${code})`,
      dir,
    );
  }
  // The store is trusted only while it is the user's own (./permissions.ts).
  assertStoreTrusted(dir);
  const file = proofsFile(dir);
  withLock(join(dir, 'store.lock'), () => {
    const read = readProofsFile(file);
    if (read.damaged) {
      const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      try {
        renameSync(file, aside);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
        throw inputError(
          'store-unwritable',
          `${file}: the proofs of holders are damaged (${read.damaged}) and could not be set aside (${code})`,
          file,
        );
      }
      warnings.push(
        `${file}: the proofs of holders could not be used because ${read.damaged}; set aside as ${aside}, starting afresh`,
      );
    }
    const base = commitments ? withCommitments(read.proofs, commitments) : read.proofs;
    const next = ProofsFileSchema.parse(withHolderProofs(base, holders));
    const written = writeFileAtomic(file, `${JSON.stringify(next, null, '\t')}\n`, {
      mode: 0o600,
      overwrite: true,
    });
    if (!written.ok) throw written.error;
  });
  return warnings;
}
