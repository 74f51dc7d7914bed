/**
 * The new HSM in recovery mode, and the restore into it: the simulated native HSM, or for an
 * Azure domain a simulated recovering Managed HSM with its own exchange key (and, in restore
 * mode with `--exchange-key`, the real restore blob for the real new HSM, written beside).
 */
import {createHash} from 'node:crypto';
import {resolve} from 'node:path';
import type {ExchangeTarget, RestoreSummary} from '../ceremony/types.js';
import {AzureDomain} from '../domain/azure/reader.js';
import {buildRestoreBlob, parseRestoreBlob, uploadCommand} from '../domain/azure/restore-blob.js';
import {loadExchangeKey} from '../domain/azure/exchange-key.js';
import type {ReconstructedDomain} from '../domain/format.js';
import type {NativeReconstructed} from '../domain/native/reader.js';
import type {OpenedDomain} from '../domain/open.js';
import {writeFileAtomic} from '../fs/atomic-write.js';
import type {AzureRecoveryHsm} from '../hsm/azure-recovery.js';
import {RecoveryHsm} from '../hsm/simulated-hsm.js';
import {wipe} from '../secret.js';

/** The operator's new HSM, read from its exchange certificate file (restore mode). */
export function readExchangeTarget(
  file: string,
): {ok: true; value: ExchangeTarget} | {ok: false; message: string} {
  const cert = loadExchangeKey(file);
  if (!cert.ok)
    return {ok: false, message: `the new HSM's exchange certificate: ${cert.error.message}`};
  return {
    ok: true,
    value: {file: resolve(file), x5t256: cert.value.x5t256, sha256: cert.value.certFingerprint},
  };
}

export type Restored = {ok: true; value: RestoreSummary} | {ok: false; message: string};

export interface RestoreOptions {
  /** The real new HSM's exchange certificate and where its restore blob goes (restore mode). */
  realExchangeKeyFile?: string;
  restoreBlobOut?: string;
  progress: (done: number, total: number) => void;
}

export class RecoveryTarget {
  private nativeHsm: RecoveryHsm | undefined;
  private azureHsm: AzureRecoveryHsm | undefined;

  constructor(private readonly azureExchangeBits = 3072) {}

  /** Brings up the new HSM (a fresh exchange key); returns its id and exchange fingerprint. */
  async bringUp(
    domain: OpenedDomain | undefined,
    name: string,
  ): Promise<{id: string; exchangeFingerprint: string}> {
    if (domain?.format === 'azure') {
      // Loaded here, not at start-up: it brings node-forge (certificates), which the TUI's
      // first frame should not wait for.
      const {AzureRecoveryHsm} = await import('../hsm/azure-recovery.js');
      this.azureHsm = AzureRecoveryHsm.create({name, bits: this.azureExchangeBits});
      return {
        id: this.azureHsm.exchangeKey.x5t256,
        exchangeFingerprint: this.azureHsm.exchangeKey.certFingerprint,
      };
    }
    this.nativeHsm = new RecoveryHsm();
    return {
      id: this.nativeHsm.id,
      exchangeFingerprint: createHash('sha256')
        .update(this.nativeHsm.exchangePublicPem)
        .digest('hex'),
    };
  }

  async restore(
    domain: OpenedDomain,
    rec: ReconstructedDomain,
    options: RestoreOptions,
  ): Promise<Restored> {
    return domain.format === 'native'
      ? this.restoreNative(domain, rec as NativeReconstructed, options)
      : this.restoreAzure(domain.domain, rec, options);
  }

  private async restoreNative(
    domain: OpenedDomain,
    rec: NativeReconstructed,
    options: RestoreOptions,
  ): Promise<Restored> {
    const hsm = this.nativeHsm;
    if (!hsm || domain.format !== 'native')
      return {ok: false, message: 'no recovery-mode HSM to restore into'};
    const wrapped = hsm.wrapForUpload(rec.secret);
    const result = await hsm.upload(domain.domain, wrapped, (p) =>
      options.progress(p.done, p.total),
    );
    if (!result.ok) return {ok: false, message: result.error.message};
    const v = result.value;
    return {
      ok: true,
      value: {
        keysExpected: v.keysExpected,
        keysRestored: v.keysRestored,
        canaries: v.canaries,
        blobs: rec.evidence.blobs,
        verified: v.verified,
        mismatched: v.mismatched.slice(0, 20),
      },
    };
  }

  private restoreAzure(
    domain: AzureDomain | OpenedDomain['domain'],
    rec: ReconstructedDomain,
    options: RestoreOptions,
  ): Restored {
    const hsm = this.azureHsm;
    if (!hsm || !(domain instanceof AzureDomain))
      return {ok: false, message: 'no recovery-mode HSM to restore into'};
    const blobs = domain.decryptBlobs(rec.secret);
    if (!blobs.ok) return {ok: false, message: blobs.error.message};
    try {
      const plain = blobs.value.map((b) => ({tag: b.tag, plaintext: b.plaintext}));
      let restoreBlob: RestoreSummary['restoreBlob'];
      if (options.realExchangeKeyFile && options.restoreBlobOut) {
        const exchange = loadExchangeKey(options.realExchangeKeyFile);
        if (!exchange.ok) return {ok: false, message: exchange.error.message};
        const payload = buildRestoreBlob(plain, exchange.value);
        // What is written is checked first: wrapped to this certificate, every blob, in order.
        const check = parseRestoreBlob(options.restoreBlobOut, payload);
        if (
          !check.ok ||
          check.value.x5t256 !== exchange.value.x5t256 ||
          check.value.blobs.map((b) => b.tag).join(',') !== plain.map((b) => b.tag).join(',')
        )
          return {ok: false, message: 'the restore blob built does not match its inputs'};
        const written = writeFileAtomic(options.restoreBlobOut, payload, {mode: 0o600});
        if (!written.ok) return {ok: false, message: written.error.message};
        restoreBlob = {
          file: options.restoreBlobOut,
          sha256: createHash('sha256').update(payload).digest('hex'),
          x5t256: check.value.x5t256,
          upload: uploadCommand(options.restoreBlobOut),
        };
      }
      options.progress(0, plain.length);
      const uploaded = hsm.upload(buildRestoreBlob(plain, hsm.exchangeKey));
      if (!uploaded.ok) return {ok: false, message: uploaded.error.message};
      const verified = hsm.verify(rec.evidence.blobs);
      options.progress(plain.length, plain.length);
      return {
        ok: true,
        value: {
          keysExpected: plain.length,
          keysRestored: verified.ok ? plain.length : 0,
          canaries: {total: 0, passed: 0},
          blobs: rec.evidence.blobs,
          ...(restoreBlob ? {restoreBlobFile: restoreBlob.file, restoreBlob} : {}),
          verified: verified.ok,
          mismatched: verified.ok ? [] : [verified.error.message],
        },
      };
    } finally {
      for (const b of blobs.value) wipe(b.plaintext);
    }
  }
}
