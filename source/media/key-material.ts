/**
 * Key material found on a stick, and how a key gets its fingerprint: from the certificate
 * beside it (same stem), in the same PEM file, or anywhere on the stick with the same public
 * key; else, for an unencrypted key, from its own public key (SPKI). An encrypted key cannot
 * show its public key without its passphrase, so only a certificate by name can vouch for it.
 */
import {sep} from 'node:path';
import {
  parseCertificate,
  parsePrivateKey,
  pemBlocks,
  pemText,
  siblingCertificatePaths,
  sniff,
  type LoadedCertificate,
} from '../domain/key-file.js';
import {readSmallFileSync} from '../fs/read-file.js';

export interface FoundKey {
  kind: 'private-key';
  /** Absolute path, under the stick's path. */
  file: string;
  /** Path relative to the stick's root: `alice.key`, `keys/alice.key`. */
  name: string;
  encoding: 'pem' | 'der';
  encrypted: boolean;
  /**
   * How the ceremony matches this key to a share, or null until its passphrase opens it.
   * With `fingerprintKind: 'certificate'` it is the SHA-256 of the matching certificate's DER
   * (what native shares are labelled with, Azure's x5t#S256 in hex); with `'spki'` it is the
   * SHA-256 of the public key's SubjectPublicKeyInfo (an unencrypted key with no certificate).
   */
  fingerprint: string | null;
  fingerprintKind: 'certificate' | 'spki' | null;
  /** SHA-256 of the key's SubjectPublicKeyInfo, when the key is unencrypted and valid. */
  spkiFingerprint: string | null;
  /** The certificate file the fingerprint came from (may be the key file itself). */
  certificate: string | null;
  /** RSA modulus size, when known without a passphrase. */
  bits: number | null;
  /** Why there is no fingerprint, how it was matched, or what is wrong with the key. */
  note: string | null;
}

export interface FoundCertificate {
  kind: 'certificate';
  file: string;
  name: string;
  encoding: 'pem' | 'der';
  encrypted: false;
  /** SHA-256 of the certificate DER, lowercase hex; null if the certificate is unusable. */
  fingerprint: string | null;
  fingerprintKind: 'certificate' | null;
  spkiFingerprint: string | null;
  subject: string | null;
  notAfter: string | null;
  note: string | null;
}

export interface Material {
  file: string;
  name: string;
  encoding: 'pem' | 'der';
  kind: 'private-key' | 'encrypted-private-key' | 'certificate';
  spki: string | null;
  bits: number | null;
  problem: string | null;
  /** A certificate inside the same PEM file as a key (a bundle). */
  embedded: LoadedCertificate | null;
  certificate: LoadedCertificate | null;
}

function embeddedCertificate(file: string, bytes: Buffer): LoadedCertificate | null {
  const block = pemBlocks(bytes).find(
    (b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE',
  );
  if (!block) return null;
  const parsed = parseCertificate(file, Buffer.from(pemText(block), 'latin1'));
  return parsed.ok ? parsed.value : null;
}

export type ReadOutcome =
  | {kind: 'material'; material: Material}
  | {kind: 'not-key-material'}
  | {kind: 'refused'; code: 'too-large' | 'not-a-file' | 'unreadable'; reason: string};

/** Reads one candidate file whole (readSmallFileSync) and says what it is. */
export function readMaterial(file: string, name: string): ReadOutcome {
  const read = readSmallFileSync(file);
  if (!read.ok) {
    const reason = read.error.reason;
    const code = reason === 'too-large' || reason === 'not-a-file' ? reason : 'unreadable';
    return {kind: 'refused', code, reason: read.error.message};
  }
  const bytes = read.value;
  try {
    const s = sniff(bytes);
    if (s.kind !== 'private-key' && s.kind !== 'encrypted-private-key' && s.kind !== 'certificate')
      return {kind: 'not-key-material'};
    const encoding = s.encoding === 'der' ? 'der' : 'pem';
    const m: Material = {
      file,
      name,
      encoding,
      kind: s.kind,
      spki: null,
      bits: null,
      problem: null,
      embedded: null,
      certificate: null,
    };
    if (s.kind === 'certificate') {
      const cert = parseCertificate(file, bytes);
      if (cert.ok) m.certificate = cert.value;
      else m.problem = cert.error.message;
      return {kind: 'material', material: m};
    }
    if (encoding === 'pem') m.embedded = embeddedCertificate(file, bytes);
    if (s.kind === 'private-key') {
      const key = parsePrivateKey(file, bytes);
      if (key.ok) {
        m.spki = key.value.spkiFingerprint;
        m.bits = key.value.bits;
      } else {
        m.problem = key.error.message;
      }
    }
    return {kind: 'material', material: m};
  } finally {
    bytes.fill(0);
  }
}

export function toCertificate(m: Material): FoundCertificate {
  const c = m.certificate;
  return {
    kind: 'certificate',
    file: m.file,
    name: m.name,
    encoding: m.encoding,
    encrypted: false,
    fingerprint: c?.certFingerprint ?? null,
    fingerprintKind: c ? 'certificate' : null,
    spkiFingerprint: c?.spkiFingerprint ?? null,
    subject: c?.subject ?? null,
    notAfter: c?.notAfter ?? null,
    note: m.problem,
  };
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf(sep) + 1);
}

/** Finds the certificate for a key and picks its fingerprint (see FoundKey.fingerprint). */
export function toKey(m: Material, certs: LoadedCertificate[]): FoundKey {
  const encrypted = m.kind === 'encrypted-private-key';
  const key: FoundKey = {
    kind: 'private-key',
    file: m.file,
    name: m.name,
    encoding: m.encoding,
    encrypted,
    fingerprint: null,
    fingerprintKind: null,
    spkiFingerprint: m.spki,
    certificate: null,
    bits: m.bits,
    note: null,
  };
  const siblingPaths = siblingCertificatePaths(m.file);
  const siblings = siblingPaths.flatMap((p) => certs.filter((c) => c.file === p));
  const withCertificate = (cert: LoadedCertificate, note: string | null): FoundKey => ({
    ...key,
    fingerprint: cert.certFingerprint,
    fingerprintKind: 'certificate',
    certificate: cert.file,
    note,
  });
  if (m.problem) return {...key, note: m.problem};
  if (encrypted) {
    if (m.embedded)
      return withCertificate(
        m.embedded,
        'encrypted; certificate taken from the same file — confirmed once its passphrase opens it',
      );
    const sibling = siblings[0];
    if (sibling) {
      return withCertificate(
        sibling,
        `encrypted; matched to ${baseName(sibling.file)} by file name — confirmed once its passphrase opens it`,
      );
    }
    return {
      ...key,
      note: 'encrypted and no certificate beside it: it is matched to a share only after its passphrase opens it',
    };
  }
  const spki = m.spki;
  const same = (c: LoadedCertificate): boolean => c.spkiFingerprint === spki;
  const dir = m.file.slice(0, m.file.lastIndexOf(sep));
  const match =
    (m.embedded && same(m.embedded) ? m.embedded : undefined) ??
    siblings.find(same) ??
    certs.find((c) => same(c) && c.file.startsWith(`${dir}${sep}`)) ??
    certs.find(same);
  if (match) return withCertificate(match, null);
  const stray = siblings[0];
  return {
    ...key,
    fingerprint: spki,
    fingerprintKind: 'spki',
    note: stray
      ? `${baseName(stray.file)} beside it is for a different key; fingerprint is the key's public key (SPKI SHA-256)`
      : "no certificate for it on the stick; fingerprint is the key's public key (SPKI SHA-256)",
  };
}
