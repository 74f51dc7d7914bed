/**
 * Wrapping-key files as openssl and az tooling make them: PEM or DER, PKCS#1 or PKCS#8,
 * plain, encrypted PKCS#8 (PBES2) or traditional encrypted PEM (Proc-Type/DEK-Info), and
 * X.509 certificates in PEM or DER. node:crypto does the parsing and decryption (it is
 * OpenSSL underneath and handles every one of these forms); we only normalise text that was
 * edited on Windows and name what we find.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import {basename} from 'node:path';
import {fail, inputError, ok, type Result} from '../errors.js';
import {readSmallFileSync} from '../fs/read-file.js';
import {keyEncryption} from './key-kdf.js';

export const MIN_RSA_BITS = 2048;

export type MaterialKind =
  'private-key' | 'encrypted-private-key' | 'certificate' | 'public-key' | 'unknown';

export interface Sniffed {
  kind: MaterialKind;
  /** Where we could tell: the container's encoding and structure. */
  encoding: 'pem' | 'der' | 'none';
  /** PEM label or DER structure, for messages. */
  label: string;
}

export interface PemBlock {
  label: string;
  headers: string;
  body: string;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----\n([\s\S]*?)-----END \1-----/g;

/** Strips a UTF-8 BOM, turns CRLF/CR into LF and trims trailing space on every line. */
export function normaliseText(bytes: Buffer): string {
  let text = bytes.toString('latin1');
  if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n');
}

/** Finds PEM blocks; re-wraps bodies at 64 columns (init-recovery writes 65-column lines). */
export function pemBlocks(bytes: Buffer): PemBlock[] {
  const text = normaliseText(bytes);
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_RE)) {
    const label = m[1] ?? '';
    const inner = m[2] ?? '';
    const lines = inner.split('\n');
    const headerLines: string[] = [];
    let i = 0;
    if (lines.some((l) => /^[A-Za-z-]+: /.test(l))) {
      while (i < lines.length && lines[i] !== '') {
        headerLines.push(lines[i] ?? '');
        i++;
      }
    }
    const body = lines
      .slice(i)
      .join('')
      .replace(/[^A-Za-z0-9+/=]/g, '');
    blocks.push({label, headers: headerLines.join('\n'), body});
  }
  return blocks;
}

export function pemText(block: PemBlock): string {
  const wrapped = block.body.match(/.{1,64}/g)?.join('\n') ?? '';
  const headers = block.headers ? `${block.headers}\n\n` : '';
  return `-----BEGIN ${block.label}-----\n${headers}${wrapped}\n-----END ${block.label}-----\n`;
}

function isDerSequence(bytes: Buffer): boolean {
  return (
    bytes.length > 4 && bytes[0] === 0x30 && (bytes[1] ?? 0) >= 0x80 && (bytes[1] ?? 0) <= 0x84
  );
}

const PBES2_OR_PBE_OID_PREFIX = Buffer.from([
  0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05,
]);
const PKCS12_PBE_OID_PREFIX = Buffer.from([
  0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01,
]);

function tryQuiet<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** Says what a file holds, by content only; never needs a passphrase. */
export function sniff(bytes: Buffer): Sniffed {
  const head = bytes.subarray(0, 4096).toString('latin1');
  if (head.includes('-----BEGIN ')) {
    const blocks = pemBlocks(bytes);
    const key = blocks.find((b) => /PRIVATE KEY$/.test(b.label));
    if (key) {
      const encrypted =
        key.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/i.test(key.headers);
      return {
        kind: encrypted ? 'encrypted-private-key' : 'private-key',
        encoding: 'pem',
        label: key.label,
      };
    }
    const cert = blocks.find((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE');
    if (cert) return {kind: 'certificate', encoding: 'pem', label: cert.label};
    const pub = blocks.find((b) => /PUBLIC KEY$/.test(b.label));
    if (pub) return {kind: 'public-key', encoding: 'pem', label: pub.label};
    return {kind: 'unknown', encoding: 'pem', label: blocks[0]?.label ?? 'PEM'};
  }
  if (!isDerSequence(bytes)) return {kind: 'unknown', encoding: 'none', label: 'not a key'};
  if (tryQuiet(() => new X509Certificate(bytes)))
    return {kind: 'certificate', encoding: 'der', label: 'X.509 DER'};
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    if (tryQuiet(() => createPrivateKey({key: bytes, format: 'der', type}))) {
      return {kind: 'private-key', encoding: 'der', label: `${type.toUpperCase()} DER`};
    }
  }
  // EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier { PBES2 / PKCS#5 / PKCS#12 PBE }, OCTET STRING }.
  const early = bytes.subarray(0, 32);
  if (early.includes(PBES2_OR_PBE_OID_PREFIX) || early.includes(PKCS12_PBE_OID_PREFIX)) {
    return {kind: 'encrypted-private-key', encoding: 'der', label: 'encrypted PKCS#8 DER'};
  }
  for (const type of ['spki', 'pkcs1'] as const) {
    if (tryQuiet(() => createPublicKey({key: bytes, format: 'der', type}))) {
      return {kind: 'public-key', encoding: 'der', label: `${type.toUpperCase()} DER`};
    }
  }
  return {kind: 'unknown', encoding: 'der', label: 'DER'};
}

export function sha256Hex(bytes: Buffer | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 of the SubjectPublicKeyInfo DER: recognises a key without its certificate. */
export function spkiFingerprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return sha256Hex(pub.export({type: 'spki', format: 'der'}));
}

/** `sha256:ab12…` shortened for screens and messages. */
export function shortFingerprint(hex: string): string {
  return `${hex.slice(0, 8)}…${hex.slice(-4)}`;
}

export function hexToB64u(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64url');
}

export interface LoadedCertificate {
  file: string;
  der: Buffer;
  /** SHA-256 of the certificate DER, lowercase hex (Azure's x5t#S256 in hex). */
  certFingerprint: string;
  spkiFingerprint: string;
  publicKey: KeyObject;
  bits: number;
  subject: string;
  notAfter: string;
}

export interface LoadedKey {
  file: string;
  privateKey: KeyObject;
  spkiFingerprint: string;
  bits: number;
  encrypted: boolean;
}

function rsaBits(key: KeyObject): number {
  return key.asymmetricKeyDetails?.modulusLength ?? 0;
}

function checkRsa(file: string, key: KeyObject, what: string): Result<number> {
  if (key.asymmetricKeyType !== 'rsa') {
    const type = (key.asymmetricKeyType ?? 'unknown').toUpperCase();
    // "an EC", "an ED25519", "an X448", "an RSA-PSS", but "a DSA", "a DH".
    const article = /^(E|X|R|UNKNOWN)/.test(type) ? 'an' : 'a';
    return fail(
      inputError(
        'not-rsa',
        `${file}: is ${article} ${type} ${what}; wrapping keys must be RSA`,
        file,
      ),
    );
  }
  const bits = rsaBits(key);
  if (bits < MIN_RSA_BITS) {
    return fail(
      inputError(
        'rsa-too-small',
        `${file}: RSA ${bits}-bit ${what} is too small; wrapping keys must be at least ${MIN_RSA_BITS} bits`,
        file,
      ),
    );
  }
  return ok(bits);
}

export function parseCertificate(file: string, bytes: Buffer): Result<LoadedCertificate> {
  const s = sniff(bytes);
  let der: Buffer | undefined;
  if (s.kind === 'certificate' && s.encoding === 'pem') {
    const block = pemBlocks(bytes).find(
      (b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE',
    );
    der = block ? Buffer.from(block.body, 'base64') : undefined;
  } else if (s.kind === 'certificate') {
    der = bytes;
  } else if (s.kind === 'private-key' || s.kind === 'encrypted-private-key') {
    return fail(inputError('key-not-cert', `${file}: is a private key, not a certificate`, file));
  }
  const cert = der ? tryQuiet(() => new X509Certificate(der)) : undefined;
  if (!der || !cert) {
    return fail(
      inputError('not-a-cert', `${file}: is not an X.509 certificate (PEM or DER)`, file),
    );
  }
  // A certificate can parse while its public key does not (a damaged key inside): OpenSSL
  // then throws on first use of the key, which must be a refusal, not a crash.
  let publicKey: KeyObject;
  try {
    publicKey = cert.publicKey;
    spkiFingerprint(publicKey);
  } catch {
    return fail(inputError('not-a-cert', `${file}: the certificate's public key is damaged`, file));
  }
  const bits = checkRsa(file, publicKey, 'certificate key');
  if (!bits.ok) return bits;
  return ok({
    file,
    der: Buffer.from(cert.raw),
    certFingerprint: sha256Hex(cert.raw),
    spkiFingerprint: spkiFingerprint(publicKey),
    publicKey,
    bits: bits.value,
    subject: cert.subject.replace(/\n/g, ', '),
    notAfter: cert.validTo,
  });
}

export function loadCertificate(file: string): Result<LoadedCertificate> {
  const bytes = readSmallFileSync(file);
  if (!bytes.ok) return bytes;
  return parseCertificate(file, bytes.value);
}

function isPassphraseError(error: unknown): boolean {
  const code = (error as {code?: string} | undefined)?.code ?? '';
  const message = error instanceof Error ? error.message : '';
  return (
    code === 'ERR_OSSL_BAD_DECRYPT' ||
    code === 'ERR_OSSL_EVP_BAD_DECRYPT' ||
    /bad decrypt|wrong password|mac verify|pkcs12 cipherfinal/i.test(message)
  );
}

/**
 * Loads an RSA private key. `passphrase` is a Buffer the caller owns and wipes. A wrong
 * passphrase is `wrong-passphrase`; an encrypted key without one is `passphrase-required`.
 */
export function parsePrivateKey(
  file: string,
  bytes: Buffer,
  passphrase?: Buffer,
): Result<LoadedKey> {
  const s = sniff(bytes);
  const name = basename(file);
  if (s.kind === 'certificate') {
    return fail(
      inputError(
        'cert-not-key',
        `${file}: is a certificate, not a private key — bring the .key/.pem file`,
        file,
      ),
    );
  }
  if (s.kind === 'public-key') {
    return fail(
      inputError('public-not-private', `${file}: is a public key, not a private key`, file),
    );
  }
  // sniff() calls it a private key (its label ends so), but node:crypto cannot read the format.
  if (s.encoding === 'pem' && /OPENSSH PRIVATE KEY/.test(s.label)) {
    return fail(
      inputError('not-rsa', `${file}: is an OpenSSH key; convert it to PEM PKCS#8 first`, file),
    );
  }
  if (s.kind === 'unknown') {
    return fail(
      inputError(
        'not-a-key',
        `${file}: is not a private key (PEM or DER) — is it the right file?`,
        file,
      ),
    );
  }
  const encrypted = s.kind === 'encrypted-private-key';
  if (encrypted && (!passphrase || passphrase.length === 0)) {
    return fail(
      inputError('passphrase-required', `${file}: is encrypted and needs its passphrase`, file),
    );
  }
  // What the file asks the key derivation to cost is read before OpenSSL derives anything.
  const der = encrypted ? encryptedPkcs8Der(bytes) : undefined;
  const enc = der ? keyEncryption(der) : undefined;
  if (enc?.kind === 'refused') return fail(inputError('kdf-refused', `${file}: ${enc.why}`, file));
  let input: Buffer;
  let key: KeyObject | undefined;
  let lastError: unknown;
  if (s.encoding === 'pem') {
    const block = pemBlocks(bytes).find((b) => /PRIVATE KEY$/.test(b.label));
    input = Buffer.from(block ? pemText(block) : '', 'latin1');
    try {
      key = createPrivateKey(
        encrypted ? {key: input, format: 'pem', passphrase} : {key: input, format: 'pem'},
      );
    } catch (error) {
      lastError = error;
    } finally {
      input.fill(0);
    }
  } else {
    const types = encrypted ? (['pkcs8'] as const) : (['pkcs8', 'pkcs1', 'sec1'] as const);
    for (const type of types) {
      try {
        key = createPrivateKey(
          encrypted
            ? {key: bytes, format: 'der', type, passphrase}
            : {key: bytes, format: 'der', type},
        );
        break;
      } catch (error) {
        lastError = error;
      }
    }
  }
  if (!key) {
    if (encrypted && isPassphraseError(lastError)) {
      return fail(inputError('wrong-passphrase', `wrong passphrase for ${file}`, file));
    }
    if (encrypted) {
      // A wrong passphrase on traditional PEM can also surface as a decoding error.
      return fail(
        inputError(
          'wrong-passphrase',
          `wrong passphrase for ${file} (or the key is damaged)`,
          file,
        ),
      );
    }
    return fail(
      inputError(
        'malformed-key',
        `${file}: the private key is damaged or truncated (${name})`,
        file,
      ),
    );
  }
  const bits = checkRsa(file, key, 'key');
  if (!bits.ok) return bits;
  return ok({
    file,
    privateKey: key,
    spkiFingerprint: spkiFingerprint(key),
    bits: bits.value,
    encrypted,
  });
}

/** The DER of an encrypted PKCS#8 key (PEM "ENCRYPTED PRIVATE KEY" or DER); not traditional PEM. */
export function encryptedPkcs8Der(bytes: Buffer): Buffer | undefined {
  const s = sniff(bytes);
  if (s.kind !== 'encrypted-private-key') return undefined;
  if (s.encoding === 'der') return bytes;
  const block = pemBlocks(bytes).find((b) => b.label === 'ENCRYPTED PRIVATE KEY');
  return block ? Buffer.from(block.body, 'base64') : undefined;
}

/** The certificate beside a key file, as azure-cli finds it: same name, `.cer` extension. */
export function siblingCertificatePaths(keyFile: string): string[] {
  const stem = keyFile.replace(/\.[^./\\]+$/, '');
  return [`${stem}.cer`, `${stem}.crt`, `${stem}.cert.pem`];
}
