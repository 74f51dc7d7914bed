/**
 * A simulated Azure Managed HSM in recovery mode: the state after `az keyvault create --hsm`
 * on new hardware, before `security-domain upload`. It holds an exchange (transfer) key pair
 * made in memory, hands out its certificate — as the JWK `GET /securitydomain/upload`
 * returns, or as the PEM `init-recovery` writes — and accepts one restore blob, which it
 * opens with the private half and verifies: every data blob must authenticate. Then it is
 * "restored" and reports the digests of what it received (never the plaintext).
 */
import {createHash, generateKeyPairSync, type KeyObject} from 'node:crypto';
import type {BlobDigest} from '../domain/format.js';
import {checkError, fail, ok, type Result} from '../errors.js';
import {parseCertificate} from '../domain/key-file.js';
import {initRecoveryPem, type ExchangeKey} from '../domain/azure/exchange-key.js';
import {openRestoreBlob} from '../domain/azure/restore-blob.js';
import {selfSignedCertificate} from '../domain/self-signed.js';

export interface AzureRecoveryHsmOptions {
  /** HSM name, shown in messages and the certificate subject. */
  name?: string;
  /** Exchange key size; the service uses RSA-4096. Tests use 2048 for speed. */
  bits?: number;
}

export type AzureRecoveryState = 'recovery' | 'restored' | 'destroyed';

export interface AzureRestoreResult {
  /** The exchange key the blob was wrapped to (x5t_256). */
  x5t256: string;
  blobs: BlobDigest[];
}

/** `{"key_format":"jwk","transfer_key":"<JWK JSON>"}`, as the service returns it. */
export interface TransferKeyResponse {
  key_format: 'jwk';
  transfer_key: string;
}

export class AzureRecoveryHsm {
  readonly name: string;
  readonly exchangeKey: ExchangeKey;
  private privateKey: KeyObject | undefined;
  private current: AzureRecoveryState = 'recovery';
  private restored: AzureRestoreResult | undefined;

  private constructor(name: string, privateKey: KeyObject, exchangeKey: ExchangeKey) {
    this.name = name;
    this.privateKey = privateKey;
    this.exchangeKey = exchangeKey;
  }

  /** A new HSM in recovery mode, with a fresh exchange key pair. */
  static create(options: AzureRecoveryHsmOptions = {}): AzureRecoveryHsm {
    const name = options.name ?? 'drill-hsm';
    const {privateKey} = generateKeyPairSync('rsa', {modulusLength: options.bits ?? 4096});
    const der = selfSignedCertificate(privateKey, {
      commonName: `${name} security domain exchange key`,
    });
    const cert = parseCertificate(`${name} exchange certificate`, der);
    if (!cert.ok) throw cert.error; // our own certificate: failing here is a bug
    const x5t256 = Buffer.from(cert.value.certFingerprint, 'hex').toString('base64url');
    return new AzureRecoveryHsm(name, privateKey, {...cert.value, x5t256, form: 'der'});
  }

  get state(): AzureRecoveryState {
    return this.current;
  }

  /** The exchange certificate as `az keyvault security-domain init-recovery` saves it. */
  exchangeCertificatePem(): string {
    return initRecoveryPem(this.exchangeKey.der);
  }

  /** What `GET /securitydomain/upload` returns: the exchange key as a JWK with x5c. */
  transferKey(): TransferKeyResponse {
    const jwk = this.exchangeKey.publicKey.export({format: 'jwk'});
    const der = this.exchangeKey.der;
    const transfer = {
      kty: 'RSA',
      n: jwk.n,
      e: jwk.e,
      kid: 'not used',
      key_ops: ['wrapKey', 'verify', 'encrypt'],
      x5c: [der.toString('base64')],
      x5t: createHash('sha1').update(der).digest('base64url'),
      'x5t#S256': this.exchangeKey.x5t256,
    };
    return {key_format: 'jwk', transfer_key: JSON.stringify(transfer)};
  }

  /**
   * Accepts a restore blob (the payload `security-domain upload --restore-blob` sends),
   * opens it with the exchange private key and checks that every blob authenticates.
   */
  upload(restoreBlob: string | Buffer, file = 'restore blob'): Result<AzureRestoreResult> {
    if (this.current !== 'recovery' || !this.privateKey) {
      return fail(
        checkError(
          'not-in-recovery',
          `${this.name}: is ${this.current === 'restored' ? 'already restored' : 'destroyed'}; it accepts a security domain only in recovery mode`,
        ),
      );
    }
    const opened = openRestoreBlob(restoreBlob, this.privateKey, {
      file,
      exchangeCertificate: this.exchangeKey,
    });
    if (!opened.ok) return opened;
    if (opened.value.digests.length === 0) {
      return fail(checkError('empty-restore-blob', `${file}: carries no data blobs`, file));
    }
    this.restored = {x5t256: opened.value.x5t256, blobs: opened.value.digests};
    this.current = 'restored';
    return ok(this.restored);
  }

  /** What the restored HSM holds (digests), or undefined while still in recovery mode. */
  restoredBlobs(): BlobDigest[] | undefined {
    return this.restored?.blobs.map((b) => ({...b}));
  }

  /**
   * Compares what was restored with what the security domain held (digests from
   * reconstruct): same tags, in order, same lengths and SHA-256.
   */
  verify(expected: readonly BlobDigest[]): Result<BlobDigest[]> {
    const got = this.restored?.blobs;
    if (!got) {
      return fail(
        checkError('not-restored', `${this.name}: no security domain has been uploaded yet`),
      );
    }
    const describe = (b: BlobDigest | undefined) =>
      b ? `${b.tag} (${b.bytes} bytes, sha256 ${b.sha256.slice(0, 12)}…)` : 'nothing';
    for (let i = 0; i < Math.max(got.length, expected.length); i++) {
      const a = got[i];
      const e = expected[i];
      if (!a || !e || a.tag !== e.tag || a.bytes !== e.bytes || a.sha256 !== e.sha256) {
        return fail(
          checkError(
            'restore-mismatch',
            `${this.name}: restored blob ${i + 1} is ${describe(a)} but the security domain holds ${describe(e)}`,
          ),
        );
      }
    }
    return ok(got.map((b) => ({...b})));
  }

  /** Drops the exchange private key: the HSM is gone. */
  destroy(): void {
    this.privateKey = undefined;
    this.current = 'destroyed';
  }
}
