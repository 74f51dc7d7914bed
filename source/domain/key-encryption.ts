/**
 * How sd-drill encrypts the private keys it writes (`keygen`, `init`, onboarding): PKCS#8
 * EncryptedPrivateKeyInfo with PBES2 — PBKDF2-HMAC-SHA256 at 600,000 iterations (OWASP's
 * figure for PBKDF2-SHA256) and AES-256-CBC. Node's own `KeyObject.export({cipher,
 * passphrase})` fixes PBKDF2 at 2,048 iterations, which a lost stick's finder can try
 * passphrases against ~300 times faster, so the key is encrypted here with node:crypto and
 * only the (public) ASN.1 wrapping is built with node-forge. openssl (`openssl pkey`), Node
 * and python `cryptography` (what azure-cli uses) all open the result; the passphrase is
 * used as its UTF-8 bytes, as openssl does.
 */
import {createCipheriv, pbkdf2, randomBytes, type KeyObject} from 'node:crypto';
import {promisify} from 'node:util';
import forge from 'node-forge';
import {wipe} from '../secret.js';

export const PBKDF2_ITERATIONS = 600_000;

// On the thread pool: 600,000 iterations take ~0.25 s, which must not freeze a spinner.
const pbkdf2Async = promisify(pbkdf2);

const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
};

const {asn1} = forge;
const bin = (b: Buffer): string => b.toString('binary');
const seq = (...items: forge.asn1.Asn1[]) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const oid = (id: string) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const octets = (b: Buffer) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bin(b));
const integer = (n: number) =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const nul = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');

function pem(label: string, der: Buffer): string {
  const body =
    der
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/** The private key as encrypted PKCS#8 PEM (see above). The passphrase is not wiped here. */
export async function encryptPrivateKey(
  privateKey: KeyObject,
  passphrase: Buffer,
  iterations = PBKDF2_ITERATIONS,
): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const plain = privateKey.export({type: 'pkcs8', format: 'der'});
  const key = await pbkdf2Async(passphrase, salt, iterations, 32, 'sha256');
  let encrypted: Buffer;
  try {
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  } finally {
    wipe(key, plain);
  }
  const info = seq(
    seq(
      oid(OID.pbes2),
      seq(
        seq(
          oid(OID.pbkdf2),
          seq(octets(salt), integer(iterations), seq(oid(OID.hmacWithSha256), nul())),
        ),
        seq(oid(OID.aes256Cbc), octets(iv)),
      ),
    ),
    octets(encrypted),
  );
  return pem('ENCRYPTED PRIVATE KEY', Buffer.from(asn1.toDer(info).getBytes(), 'binary'));
}
