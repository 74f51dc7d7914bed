/**
 * A holder's attestation: what a solo check found, signed with the holder's own wrapping key
 * (RSA-PSS, SHA-256, salt 32, as a remote holder's contribution is: ../remote/contribution.ts
 * says why signing with the OAEP key is sound), for the ceremony lead to collect. It names the
 * domain (its identity and generation), the holder's slot and certificate, the commitment of
 * the share their key opened, what it was checked against, when, and the tool's version. It
 * proves possession of the key at that time and reveals nothing: the commitment is a hash of
 * a high-entropy share, already in the signed report.
 *
 * Signed bytes: "sd-drill holder attestation, signed by its holder\n" and the canonical JSON
 * (RFC 8785) of the attestation without `signature`. The file is exactly that JSON and a
 * newline; anything else is refused as damaged.
 */
import {constants, createPublicKey, sign, verify} from 'node:crypto';
import * as z from 'zod';
import {canonicalJson} from '../canonical-json.js';
import {fail, ok, type Result} from '../errors.js';
import type {Holder} from '../domain/format.js';
import {sha256Hex, type LoadedCertificate, type LoadedKey} from '../domain/key-file.js';
import {describeIssue, issueMessage} from '../domain/schema-issue.js';
import {signedBy} from '../remote/contribution.js';

export const ATTESTATION_FORMAT = 'sd-drill.holder-attestation/1';
export const MAX_ATTESTATION_BYTES = 64 * 1024;
const SIGNED_PREFIX = Buffer.from('sd-drill holder attestation, signed by its holder\n');
const PSS = {padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32} as const;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
const b64u = (min: number, max: number) =>
  z.string().refine((s) => {
    const b = Buffer.from(s, 'base64url');
    return b.length >= min && b.length <= max && b.toString('base64url') === s;
  }, `base64url of ${min} to ${max} bytes`);

export const attestationSchema = z.strictObject({
  attestation: z.literal(ATTESTATION_FORMAT),
  domain: z.strictObject({
    identity: z.string().regex(/^(native:[0-9a-f-]{36}|azure:[0-9a-f]{64})$/),
    generation: z.number().int().min(0).max(1_000_000),
    label: z.string().min(1).max(300),
    sha256: hex64.nullable(),
  }),
  holder: z.strictObject({index: z.number().int().min(1).max(10), certFingerprint: hex64}),
  commitment: hex64,
  /** What the holder's share was checked against: the strongest place that agreed. */
  checkedAgainst: z.strictObject({
    source: z.enum(['store', 'report', 'header']),
    by: z.string().min(1).max(40),
    at: z.iso.datetime({offset: true}).nullable(),
    ref: z.string().max(200).nullable(),
  }),
  at: z.iso.datetime({offset: true}),
  tool: z.strictObject({name: z.literal('sd-drill'), version: z.string().min(1).max(50)}),
  signer: z.strictObject({
    publicKey: b64u(64, 2048),
    certificate: b64u(64, 16384).optional(),
  }),
  signature: b64u(64, 1024),
});
export type Attestation = z.infer<typeof attestationSchema>;

const signedBytes = (a: Omit<Attestation, 'signature'>): Buffer =>
  Buffer.concat([SIGNED_PREFIX, Buffer.from(canonicalJson(a), 'utf8')]);

export const attestationText = (a: Attestation): string => `${canonicalJson(a)}\n`;

export function makeAttestation(
  unsigned: Omit<Attestation, 'signature' | 'signer' | 'attestation'>,
  key: LoadedKey,
  certificate?: LoadedCertificate,
): Attestation {
  const spki = createPublicKey(key.privateKey).export({type: 'spki', format: 'der'});
  const body = {
    attestation: ATTESTATION_FORMAT,
    ...unsigned,
    signer: {
      publicKey: spki.toString('base64url'),
      ...(certificate ? {certificate: certificate.der.toString('base64url')} : {}),
    },
  } as const;
  const signature = sign('sha256', signedBytes(body), {key: key.privateKey, ...PSS});
  return {...body, signature: signature.toString('base64url')};
}

/** Parses an attestation; anything but the exact bytes `check --out` writes is damaged. */
export function parseAttestation(bytes: Buffer): Result<Attestation, string> {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return fail('it is not JSON');
  }
  const parsed = attestationSchema.safeParse(json, {error: issueMessage});
  if (!parsed.success)
    return fail(`it is not an sd-drill attestation: ${describeIssue(parsed.error)}`);
  if (!bytes.equals(Buffer.from(attestationText(parsed.data), 'utf8')))
    return fail('its bytes are not those check --out writes (changed after it was written?)');
  return ok(parsed.data);
}

/**
 * Does the signature verify, under a key that is this holder's as the domain file names it?
 * Native: the key's fingerprint is the holder's; Azure: the certificate it carries is the one
 * the file lists (x5t#S256) and holds that key.
 */
export function attestationSignedBy(a: Attestation, holder: Holder): 'ok' | 'bad' | 'other-key' {
  const der = Buffer.from(a.signer.publicKey, 'base64url');
  let publicKey;
  try {
    publicKey = createPublicKey({key: der, format: 'der', type: 'spki'});
  } catch {
    return 'bad';
  }
  if (publicKey.asymmetricKeyType !== 'rsa') return 'bad';
  const {signature, ...unsigned} = a;
  const good = verify(
    'sha256',
    signedBytes(unsigned),
    {key: publicKey, ...PSS},
    Buffer.from(signature, 'base64url'),
  );
  if (!good) return 'bad';
  return signedBy(a, sha256Hex(der), holder) ? 'ok' : 'other-key';
}
