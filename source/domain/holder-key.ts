/**
 * A holder's key pair and certificate written to their stick: `sd-drill keygen` and
 * onboarding (which makes the newcomer's key and the practice holders') both use it.
 */
import {join} from 'node:path';
import {unwrap} from '../errors.js';
import {makeDirs} from '../fs/make-dirs.js';
import {writeFileAtomic} from '../fs/atomic-write.js';
import {parseCertificate} from './key-file.js';
import {makeHolderKeyPair, privateKeyPem} from './make-key.js';

export interface HolderKeyFiles {
  keyFile: string;
  certFile: string;
  certFingerprint: string;
  spkiFingerprint: string;
}

/** Makes a holder's key pair and certificate in `dir`; the passphrase is the caller's to wipe. */
export async function writeHolderKey(
  dir: string,
  holder: string,
  bits: number,
  passphrase: Buffer | undefined,
): Promise<HolderKeyFiles> {
  makeDirs(dir);
  const pair = await makeHolderKeyPair(holder, bits);
  const keyFile = join(dir, `${holder}.key`);
  const certFile = join(dir, `${holder}.cer`);
  unwrap(writeFileAtomic(keyFile, await privateKeyPem(pair.privateKey, passphrase), {mode: 0o600}));
  unwrap(writeFileAtomic(certFile, pair.certificatePem));
  const cert = unwrap(parseCertificate(certFile, Buffer.from(pair.certificatePem)));
  return {
    keyFile,
    certFile,
    certFingerprint: cert.certFingerprint,
    spkiFingerprint: cert.spkiFingerprint,
  };
}
