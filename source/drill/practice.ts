/**
 * Onboarding: a practice domain the newcomer joins as one holder, beside practice holders
 * whose unencrypted keys live in a private temporary folder (mode 0700) that is deleted when
 * the session ends. They open only this throw-away practice domain.
 *
 * "When the session ends" is every way a process can end under Node's control: the drill's
 * report written (the TUI disposes it then), a normal exit, and `process.exit()` — which the
 * signal handlers (Ctrl-C from outside, SIGTERM, a closed terminal's SIGHUP) call, skipping
 * every `finally` — through a synchronous 'exit' listener. Only SIGKILL or a power cut can
 * leave the folder behind.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {unwrap} from '../errors.js';
import {loadCertificate} from '../domain/key-file.js';
import {writeHolderKey} from '../domain/holder-key.js';
import {provisionNativeDomain} from '../hsm/provision.js';

export interface PracticeDomain {
  sdFile: string;
  sticksDir: string;
  dispose(): void;
}

export const PRACTICE_HOLDERS = ['practice-1', 'practice-2', 'practice-3'];

export async function createPracticeDomain(newcomer: {
  holder: string;
  certFile: string;
}): Promise<PracticeDomain> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-drill-practice-'));
  const dispose = (): void => {
    process.off('exit', dispose);
    rmSync(dir, {recursive: true, force: true});
  };
  process.on('exit', dispose);
  try {
    const sticksDir = join(dir, 'sticks');
    const practice = await Promise.all(
      PRACTICE_HOLDERS.map((h) => writeHolderKey(join(sticksDir, h), h, 2048, undefined)),
    );
    const holders = [
      {name: newcomer.holder, certificate: unwrap(loadCertificate(newcomer.certFile))},
      ...practice.map((p, i) => ({
        name: PRACTICE_HOLDERS[i] as string,
        certificate: unwrap(loadCertificate(p.certFile)),
      })),
    ];
    const provisioned = unwrap(
      await provisionNativeDomain({
        out: join(dir, 'domain'),
        hsmName: 'practice-hsm',
        required: 3,
        holders,
        keyCount: 25,
        overwrite: false,
      }),
    );
    return {sdFile: provisioned.sdFile, sticksDir, dispose};
  } catch (error) {
    dispose();
    throw error;
  }
}
