/**
 * Provisioning a simulated HSM: its contents, the security domain wrapped to the holders'
 * certificates, and its (non-secret) state on disk. `init` and the onboarding practice
 * domain both come through here.
 */
import {randomUUID} from 'node:crypto';
import {join} from 'node:path';
import type {Result} from '../errors.js';
import type {LoadedCertificate} from '../domain/key-file.js';
import {createNativeDomain} from '../domain/native/writer.js';
import {writeFileAtomic} from '../fs/atomic-write.js';
import {wipe} from '../secret.js';
import {buildManifest, encodeContents, generateContents, wipeContents} from './inventory.js';
import {newHsmState, writeHsmState} from './simulated-hsm.js';
import {makeDirs} from '../fs/make-dirs.js';

export interface ProvisionInput {
  out: string;
  hsmName: string;
  required: number;
  holders: Array<{name: string; certificate: LoadedCertificate}>;
  keyCount: number;
  overwrite: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface Provisioned {
  id: string;
  sdFile: string;
  keyCount: number;
}

export async function provisionNativeDomain(input: ProvisionInput): Promise<Result<Provisioned>> {
  makeDirs(input.out);
  const id = randomUUID();
  const contents = await generateContents(
    {name: input.hsmName, id},
    input.keyCount,
    input.onProgress,
  );
  const payload = encodeContents(contents);
  const manifest = buildManifest(id, contents);
  wipeContents(contents);
  const json = createNativeDomain({
    hsmName: input.hsmName,
    id,
    required: input.required,
    holders: input.holders,
    payload,
    manifest,
  });
  wipe(payload);
  const sdFile = join(input.out, 'security-domain.json');
  const written = writeFileAtomic(sdFile, json, {overwrite: input.overwrite});
  if (!written.ok) return written;
  const state = writeHsmState(
    join(input.out, 'hsm'),
    newHsmState(input.hsmName, id, sdFile),
    input.overwrite,
  );
  if (!state.ok) return state;
  return {ok: true, value: {id, sdFile, keyCount: manifest.keyCount}};
}
