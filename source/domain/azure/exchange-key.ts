/**
 * The recovering HSM's exchange (transfer) key, as the operator has it: the PEM certificate
 * `az keyvault security-domain init-recovery` writes (65-character lines, no final newline),
 * a DER certificate, the JWK with `x5c` the service hands out, or the whole
 * `{"key_format":"jwk","transfer_key":"…"}` response. Whatever the form, what counts is the
 * certificate: the restore blob names it by x5t_256 and wraps to its public key.
 */
import {fail, inputError, ok, preview, type Result} from '../../errors.js';
import {parseCertificate, type LoadedCertificate} from '../key-file.js';
import {readSmallFileSync} from '../../fs/read-file.js';
import {b64uDecode} from './compact-jwe.js';

export interface ExchangeKey extends LoadedCertificate {
  /** b64u(SHA-256(certificate DER)): the restore blob's WrappedKey.x5t_256. */
  x5t256: string;
  form: 'pem' | 'der' | 'jwk';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const sameB64u = (a: string, b: string): boolean => {
  const x = b64uDecode(a);
  const y = b64uDecode(b);
  return !!x && !!y && x.equals(y);
};

function fromJwk(file: string, jwk: Record<string, unknown>): Result<ExchangeKey> {
  const bad = (reason: string, what: string) => fail(inputError(reason, `${file}: ${what}`, file));
  if (jwk.kty !== undefined && jwk.kty !== 'RSA') {
    return bad('not-rsa', `is a ${preview(jwk.kty)} JWK; the exchange key must be RSA`);
  }
  const x5c = jwk.x5c;
  if (!Array.isArray(x5c) || typeof x5c[0] !== 'string') {
    return bad('no-x5c', 'is a JWK without an x5c certificate; the exchange key must carry one');
  }
  const first = x5c[0].replace(/\s+/g, '');
  const der = b64uDecode(first);
  if (!der || der.length === 0) return bad('bad-x5c', 'x5c[0] is not base64');
  const cert = parseCertificate(file, der);
  if (!cert.ok) return cert;
  const x5t256 = Buffer.from(cert.value.certFingerprint, 'hex').toString('base64url');
  const claimed = jwk['x5t#S256'];
  if (typeof claimed === 'string' && !sameB64u(claimed, x5t256)) {
    return bad(
      'jwk-thumbprint-mismatch',
      `x5t#S256 ${preview(claimed)} is not the thumbprint of x5c[0] (${x5t256})`,
    );
  }
  const pub = cert.value.publicKey.export({format: 'jwk'});
  if (
    (typeof jwk.n === 'string' && !sameB64u(jwk.n, pub.n ?? '')) ||
    (typeof jwk.e === 'string' && !sameB64u(jwk.e, pub.e ?? ''))
  ) {
    return bad('jwk-key-mismatch', "the JWK's n/e are not the public key of its x5c certificate");
  }
  return ok({...cert.value, x5t256, form: 'jwk'});
}

export function parseExchangeKey(file: string, bytes: Buffer): Result<ExchangeKey> {
  const text = bytes
    .toString('utf8')
    .replace(/^\ufeff/, '')
    .trim();
  if (text.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail(inputError('not-json', `${file}: looks like JSON but does not parse`, file));
    }
    if (isObject(json) && typeof json.transfer_key === 'string') {
      try {
        json = JSON.parse(json.transfer_key);
      } catch {
        return fail(inputError('not-json', `${file}: transfer_key is not a JSON JWK`, file));
      }
    } else if (isObject(json) && isObject(json.transfer_key)) {
      json = json.transfer_key;
    }
    if (!isObject(json)) {
      return fail(inputError('not-a-jwk', `${file}: is JSON but not a JWK`, file));
    }
    return fromJwk(file, json);
  }
  const cert = parseCertificate(file, bytes);
  if (!cert.ok) return cert;
  return ok({
    ...cert.value,
    x5t256: Buffer.from(cert.value.certFingerprint, 'hex').toString('base64url'),
    form: text.includes('-----BEGIN') ? 'pem' : 'der',
  });
}

export function loadExchangeKey(file: string): Result<ExchangeKey> {
  const bytes = readSmallFileSync(file);
  if (!bytes.ok) return bytes;
  return parseExchangeKey(file, bytes.value);
}

/** The certificate as init-recovery saves it: PEM with 65-character lines, no final newline. */
export function initRecoveryPem(der: Buffer): string {
  const body =
    der
      .toString('base64')
      .match(/.{1,65}/g)
      ?.join('\n') ?? '';
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;
}
