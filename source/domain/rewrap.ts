/**
 * Rotation's core: the domain an old quorum reconstructed, wrapped again to new holders'
 * certificates with a new quorum — the same domain, so the same report key and the same
 * blobs. Native: the same id, contents and manifest, the report key pinned in the header
 * again, generation + 1. Azure: the same `EncData` byte for byte (so the same master key),
 * fresh shares sealed as the service seals them.
 *
 * Then the new file is checked against what it must be, from the secret in hand (boulder's
 * posture: a result is verified after it is made). What cannot be checked here — that each
 * new holder's key opens their share — is the new holders' own proof (`verify --all`, the
 * rotation ceremony).
 */
import {createHash} from 'node:crypto';
import {checkError, fail, ok, type Result} from '../errors.js';
import {wipe} from '../secret.js';
import type {AzureDomain} from './azure/reader.js';
import {blobDigests} from './azure/reconstruct.js';
import {rewrapAzureDomain} from './azure/writer.js';
import type {BlobDigest, ReconstructedDomain} from './format.js';
import type {LoadedCertificate} from './key-file.js';
import {headerAad, keyCheckMatches, manifestDigest} from './native/crypto.js';
import type {NativeDomain, NativeReconstructed} from './native/reader.js';
import {createNativeDomain} from './native/writer.js';
import {headerCommitmentsVerify} from './native/commitments.js';
import {openDomainFile, openDomainJson, type OpenedDomain} from './open.js';
import {sha256Hex} from './key-file.js';
import {writeFileAtomic} from '../fs/atomic-write.js';

export interface NewHolder {
  /** A native file keeps holders' names; Azure files have no room for them. */
  name: string;
  certificate: LoadedCertificate;
}

export interface RewrapInput {
  old: OpenedDomain;
  /** The old domain, reconstructed by its quorum. Not wiped here. */
  reconstructed: ReconstructedDomain;
  holders: readonly NewHolder[];
  required: number;
}

/** What the new file must be: checked in memory before it is written and again from disk. */
export interface RewrapExpectation {
  format: 'native' | 'azure';
  required: number;
  holders: ReadonlyArray<{
    name: string;
    certFingerprint: string;
    spkiFingerprint: string;
    bits: number;
  }>;
  reportKey: string;
  blobs: BlobDigest[];
  /** Native: the old file's generation (1 for a version 1 file) plus one. */
  generation?: number;
}

/** The new domain file's text. */
export function rewrapDomain(input: RewrapInput): string {
  const {old, reconstructed, holders, required} = input;
  if (old.format === 'native') {
    const doc = old.domain.doc;
    const rec = reconstructed as NativeReconstructed;
    return createNativeDomain({
      hsmName: doc.domain.hsmName,
      id: doc.domain.id,
      created: doc.domain.created,
      generation: (doc.domain.generation ?? 1) + 1,
      domainKey: rec.secret,
      required,
      holders: holders.map((h) => ({name: h.name, certificate: h.certificate})),
      payload: rec.payload,
      manifest: doc.manifest,
    });
  }
  const domain = old.domain;
  return rewrapAzureDomain({
    data: domain.blobs.map((b) => ({tag: b.tag, compact: b.compact})),
    kdf: domain.kdf,
    version: domain.version,
    secret: reconstructed.secret,
    certificates: holders.map((h) => h.certificate),
    required,
  });
}

export function expectationFor(input: RewrapInput): RewrapExpectation {
  const {old, reconstructed, holders, required} = input;
  return {
    format: old.format,
    required,
    holders: holders.map((h) => ({
      name: h.name,
      certFingerprint: h.certificate.certFingerprint,
      spkiFingerprint: h.certificate.spkiFingerprint,
      bits: h.certificate.bits,
    })),
    reportKey: reconstructed.reportKey,
    blobs: reconstructed.evidence.blobs,
    ...(old.format === 'native' ? {generation: (old.domain.doc.domain.generation ?? 1) + 1} : {}),
  };
}

const sameBlobs = (a: readonly BlobDigest[], b: readonly BlobDigest[]): boolean =>
  a.length === b.length &&
  a.every((x, i) => x.tag === b[i]?.tag && x.bytes === b[i]?.bytes && x.sha256 === b[i]?.sha256);

/**
 * Checks the new file (opened from its text or from disk) against the old one and the
 * expectation, with the domain secret: same domain, same blobs, the new holders in order,
 * the new quorum. The first thing wrong, or nothing.
 */
export function checkRewrapped(
  old: OpenedDomain,
  secret: Buffer,
  next: OpenedDomain,
  want: RewrapExpectation,
): Result<void> {
  const problem = problemWith(old, secret, next, want);
  const file = next.domain.describe().file;
  return problem
    ? fail(checkError('rewrap-check', `${file}: the new domain file does not check: ${problem}`))
    : ok(undefined);
}

function problemWith(
  old: OpenedDomain,
  secret: Buffer,
  next: OpenedDomain,
  want: RewrapExpectation,
): string | undefined {
  const d = next.domain.describe();
  if (next.format !== want.format) return `it is ${next.format}, not ${want.format}`;
  if (d.required !== want.required || d.total !== want.holders.length)
    return `its quorum is ${d.required} of ${d.total}, not ${want.required} of ${want.holders.length}`;
  const holders = d.holders.map((h) => h.certFingerprint).join(',');
  if (holders !== want.holders.map((h) => h.certFingerprint).join(','))
    return 'its holders are not the new certificates, in the order given';
  if (next.format === 'native' && old.format === 'native')
    return nativeProblem(old.domain, secret, next.domain, want);
  if (next.format === 'azure' && old.format === 'azure')
    return azureProblem(old.domain, secret, next.domain, want);
  return 'the old and new files differ in format';
}

function nativeProblem(
  old: NativeDomain,
  secret: Buffer,
  next: NativeDomain,
  want: RewrapExpectation,
): string | undefined {
  const a = old.doc;
  const b = next.doc;
  if (b.domain.id !== a.domain.id || b.domain.hsmName !== a.domain.hsmName)
    return 'it is not the same domain (id or HSM name changed)';
  if (b.domain.generation !== want.generation)
    return `its generation is ${String(b.domain.generation)}, not ${String(want.generation)}`;
  if (b.domain.reportKey !== want.reportKey)
    return "its header does not pin the domain's report key";
  if (!headerCommitmentsVerify(b))
    return "its holders' share commitments are not signed by the domain's report key";
  if (manifestDigest(b.manifest) !== manifestDigest(a.manifest)) return 'its manifest changed';
  for (const [i, h] of b.holders.entries()) {
    const w = want.holders[i];
    if (!w || h.spkiFingerprint !== w.spkiFingerprint || h.name !== w.name)
      return `holder ${i + 1} is not the new certificate's key or name`;
  }
  if (!keyCheckMatches(secret, b.domain.id, headerAad(b), Buffer.from(b.keyCheck, 'base64')))
    return "its key check does not authenticate under the domain's key";
  const payload = next.decryptPayload(secret);
  if (!payload.ok) return payload.error.message;
  const digest = createHash('sha256').update(payload.value).digest('hex');
  const bytes = payload.value.length;
  wipe(payload.value);
  return sameBlobs([{tag: 'payload', bytes, sha256: digest}], want.blobs)
    ? undefined
    : 'its contents are not the old domain’s';
}

function azureProblem(
  old: AzureDomain,
  secret: Buffer,
  next: AzureDomain,
  want: RewrapExpectation,
): string | undefined {
  const same =
    next.kdf === old.kdf &&
    next.blobs.length === old.blobs.length &&
    next.blobs.every((b, i) => b.tag === old.blobs[i]?.tag && b.compact === old.blobs[i]?.compact);
  if (!same) return 'its EncData is not byte for byte the old one';
  for (const [i, s] of next.shares.entries()) {
    const w = want.holders[i];
    if (!s.sealed.ok) return `share ${i + 1} is damaged: ${s.sealed.damage}`;
    if (s.sealed.alg !== 'RSA-OAEP-256' || s.sealed.jwe.header.enc !== 'A256CBC-HS512')
      return `share ${i + 1} is not sealed with RSA-OAEP-256 and A256CBC-HS512`;
    if (!w || s.certFingerprint !== w.certFingerprint)
      return `share ${i + 1} is not wrapped to the new certificate ${i + 1}`;
    if (s.sealed.jwe.encryptedKey.length * 8 !== w.bits)
      return `share ${i + 1}'s content key is not wrapped to a ${w.bits}-bit key`;
  }
  const digests = blobDigests(next, secret);
  if (!digests.ok) return digests.error.message;
  return sameBlobs(digests.value, want.blobs) ? undefined : 'its blobs are not the old domain’s';
}

/**
 * Builds the new file, checks it in memory, writes it (never over an existing file), reads it
 * back and checks it again: the bytes on disk are the bytes checked, and they are the domain.
 */
export function writeRewrapped(
  input: RewrapInput,
  out: string,
): Result<{opened: OpenedDomain; sha256: string}> {
  const want = expectationFor(input);
  const text = rewrapDomain(input);
  const inMemory = openDomainJson(out, JSON.parse(text));
  if (!inMemory.ok) return inMemory;
  const before = checkRewrapped(input.old, input.reconstructed.secret, inMemory.value, want);
  if (!before.ok) return before;
  const written = writeFileAtomic(out, text);
  if (!written.ok) return written;
  const sha256 = sha256Hex(Buffer.from(text, 'utf8'));
  const back = openDomainFile(out);
  if (!back.ok) return back;
  if (back.value.sha256 !== sha256)
    return fail(
      checkError(
        'rewrap-changed',
        `${out}: the file read back is not the file written (the disk or another process changed it); do not use it`,
        out,
      ),
    );
  const after = checkRewrapped(input.old, input.reconstructed.secret, back.value, want);
  return after.ok ? ok({opened: back.value, sha256}) : after;
}
