/**
 * Reads an Azure Managed HSM security-domain file (see the interop spec, §3–§9) behind the
 * SecurityDomainFormat interface: describe the quorum, match a wrapping key to its share (by
 * the certificate's x5t_256 as azure-cli does, or by trial decryption when the certificate is
 * missing), open shares, and reconstruct — always checked against every data blob's MAC.
 *
 * Everything structural is checked when the file is opened, so later steps fail only for
 * reasons about keys and integrity.
 */
import {createHash} from 'node:crypto';
import {canonicalJson} from '../../canonical-json.js';
import type {
  DomainDescription,
  DomainProblem,
  Holder,
  KeyEvidence,
  KeyMatch,
  OpenedShare,
  PresentedKey,
  SecurityDomainFormat,
} from '../format.js';
import {matchAzureKey, openAzureEntry, shareName, type AzureShareEntry} from './match.js';

export type {AzureShareEntry} from './match.js';
import {checkError, fail, inputError, ok, preview, type Result} from '../../errors.js';
import {readSmallFileSync} from '../../fs/read-file.js';
import {b64uDecode, parseCompactJwe, type CompactJwe} from './compact-jwe.js';
import {isWrapAlgorithm} from './rsa-oaep.js';
import {describeIssue, issueMessage, sdFileSchema} from './schema.js';
import {
  decryptBlobs,
  reconstruct,
  type AzureReconstructedDomain,
  type DecryptedBlob,
} from './reconstruct.js';

export const MIN_QUORUM = 2;
export const MAX_QUORUM = 10;
/** Download takes at most ten wrapping certificates, so a real file has at most ten shares. */
export const MAX_SHARES = 10;
/** Real files are about 19 KB; this only stops a wrong file from being read whole. */
export const MAX_SD_FILE_BYTES = 16 * 1024 * 1024;

export interface AzureBlobEntry {
  tag: string;
  jwe: CompactJwe;
  /** The compact JWE exactly as the file has it: a rotation copies it byte for byte. */
  compact: string;
}

export interface AzureDomainParts {
  file: string;
  required: number;
  shares: AzureShareEntry[];
  blobs: AzureBlobEntry[];
  version: unknown;
  kdf: string;
}

/**
 * SHA-256 of the canonical JSON of the file's EncData as read (its blobs' tags and compact
 * JWEs in file order, and its KDF): whatever spacing or key order the file uses, the same
 * domain gives the same digest, and a rotation (which copies the blobs) keeps it.
 */
export function encDataDigest(
  blobs: ReadonlyArray<{tag: string; compact: string}>,
  kdf: string,
): string {
  const data = blobs.map((b) => ({compact_jwe: b.compact, tag: b.tag}));
  return createHash('sha256').update(canonicalJson({data, kdf})).digest('hex');
}

/** True when parsed JSON looks like an Azure SD file (the two sections azure-cli needs). */
export function detectAzure(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const o = json as Record<string, unknown>;
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  return isObject(o.EncData) && isObject(o.SharedKeys);
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

export class AzureDomain implements SecurityDomainFormat {
  readonly file: string;
  readonly required: number;
  readonly shares: readonly AzureShareEntry[];
  readonly blobs: readonly AzureBlobEntry[];
  readonly version: unknown;
  readonly kdf: string;
  private readonly holderList: Holder[];

  constructor(parts: AzureDomainParts) {
    this.file = parts.file;
    this.required = parts.required;
    this.shares = parts.shares;
    this.blobs = parts.blobs;
    this.version = parts.version;
    this.kdf = parts.kdf;
    this.holderList = parts.shares.map((s) => ({
      index: s.index,
      certFingerprint: s.certFingerprint,
      ...(s.sealed.ok ? {bits: s.sealed.jwe.encryptedKey.length * 8} : {}),
    }));
  }

  describe(): DomainDescription {
    const thumbprints = this.shares.map((s) => s.certFingerprint);
    const duplicates = thumbprints.length - new Set(thumbprints).size;
    const details: Record<string, string | number> = {
      blobs: this.blobs.map((b) => b.tag).join(', '),
      blobCount: this.blobs.length,
      kdf: this.kdf,
      shareAlgorithm: 'shamir_share (GF(257))',
    };
    if (typeof this.version === 'number' || typeof this.version === 'string') {
      details.version = this.version;
    }
    if (duplicates > 0) details.duplicateThumbprints = duplicates;
    return {
      format: 'azure',
      file: this.file,
      encDataSha256: encDataDigest(this.blobs, this.kdf),
      required: this.required,
      total: this.shares.length,
      holders: this.holderList.map((h) => ({...h})),
      problems: this.problems(),
      details,
    };
  }

  /** One certificate listed for two shares; shares whose JWE cannot be read. */
  private problems(): DomainProblem[] {
    const out: DomainProblem[] = [];
    const seen = new Set<string>();
    for (const s of this.shares) {
      const same = this.shares.filter((t) => t.certFingerprint === s.certFingerprint);
      if (same.length < 2 || seen.has(s.certFingerprint)) continue;
      seen.add(s.certFingerprint);
      out.push({
        rule: 'duplicate-wrapping-key',
        shares: same.map((t) => t.index),
        text: `shares ${same.map((t) => t.index).join(' and ')} are wrapped to one certificate (x5t#S256 ${s.x5t256.slice(0, 12)}…): whoever holds its key holds ${same.length} votes of the quorum`,
      });
    }
    for (const s of this.shares) {
      if (!s.sealed.ok)
        out.push({
          rule: 'share-damaged',
          shares: [s.index],
          text: `${shareName(s)} is damaged: its enc_key ${s.sealed.damage}`,
        });
    }
    return out;
  }

  holder(index: number): Holder | undefined {
    return this.holderList[index - 1];
  }

  /** x5t_256 of a holder as written in the file (base64url). */
  thumbprint(index: number): string | undefined {
    return this.shares[index - 1]?.x5t256;
  }

  matchByFingerprint(fp: {certFingerprint?: string; spkiFingerprint?: string}): Holder | undefined {
    // Azure files name holders by certificate thumbprint only; no SPKI fingerprint is kept.
    const wanted = fp.certFingerprint?.toLowerCase();
    return wanted ? this.holderList.find((h) => h.certFingerprint === wanted) : undefined;
  }

  matchKey(evidence: KeyEvidence): KeyMatch | undefined {
    return matchAzureKey(this, evidence);
  }

  openShare(presented: PresentedKey): Result<OpenedShare> {
    const {key, certificate} = presented;
    if (certificate && certificate.spkiFingerprint !== key.spkiFingerprint) {
      const listed = this.shares.find((s) => s.certFingerprint === certificate.certFingerprint);
      const whose = listed ? `, holder ${listed.index}'s certificate in ${this.file}` : '';
      return fail(
        inputError(
          'key-cert-mismatch',
          `${key.file}: is not the private key of ${certificate.file}${whose} — the key and certificate files have been mixed up`,
          key.file,
        ),
      );
    }
    const match = this.matchKey({key, ...(certificate ? {certificate} : {})});
    const entry = match ? this.shares[match.holder.index - 1] : undefined;
    if (!match || !entry) {
      const holders = this.shares.map((s) => s.x5t256).join(', ');
      const n = this.shares.length;
      // The same answer as a native file gives (a check, not unreadable input): the other keys
      // still count, and the quorum decides.
      return fail(
        checkError(
          'not-a-holder',
          certificate
            ? `${key.file}: this key is not one of this domain's ${n} wrapping keys (a stranger's key, a departed holder's, or a key from another domain): its certificate ${certificate.file} (x5t_256 ${Buffer.from(certificate.certFingerprint, 'hex').toString('base64url')}) is not a holder of ${this.file} and the key opens none of its shares; the holders' x5t_256 are ${holders}`
            : `${key.file}: this key is not one of this domain's ${n} wrapping keys (a stranger's key, a departed holder's, or a key from another domain): it opens none of the shares of ${this.file} (no certificate beside it); the holders' x5t_256 are ${holders}`,
          key.file,
        ),
      );
    }
    const opened = openAzureEntry(this, entry, key);
    if (opened.ok) return ok({holder: match.holder, file: key.file, match, secret: opened.secret});
    if (opened.rsaFailed)
      return fail(
        checkError(
          'share-unreadable',
          `${key.file}: matches holder ${entry.index}'s certificate but cannot unwrap share ${entry.index} of ${this.file} — the share was not encrypted to this key (damaged file?)`,
          key.file,
        ),
      );
    return fail(opened.error);
  }

  reconstruct(shares: OpenedShare[]): Result<AzureReconstructedDomain> {
    return reconstruct(this, shares);
  }

  /** The plaintext data blobs, in file order; the caller wipes every `plaintext`. */
  decryptBlobs(secret: Buffer): Result<DecryptedBlob[]> {
    return decryptBlobs(this, secret);
  }
}

/**
 * Parses and checks an Azure SD file. Malformed input is an `input` error naming the file and
 * the first thing wrong, in one line.
 */
export function openAzureDomain(file: string, bytes: Buffer): Result<AzureDomain> {
  let json: unknown;
  try {
    let text = bytes.toString('utf8');
    if (text.startsWith('\ufeff')) text = text.slice(1);
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? ` (${oneLine(error.message).slice(0, 120)})` : '';
    return fail(inputError('not-json', `${file}: is not valid JSON${detail}`, file));
  }
  return openAzureDomainJson(file, json);
}

/** The same, for JSON already parsed (the format dispatcher in ../open.ts parses once). */
export function openAzureDomainJson(file: string, json: unknown): Result<AzureDomain> {
  const bad = (reason: string, what: string) => fail(inputError(reason, `${file}: ${what}`, file));
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return bad('not-azure', 'is not an Azure security-domain file (expected a JSON object)');
  }
  if (!('EncData' in json) && !('SharedKeys' in json)) {
    return bad(
      'not-azure',
      'is not an Azure security-domain file (it has no EncData or SharedKeys)',
    );
  }
  const parsed = sdFileSchema.safeParse(json, {error: issueMessage});
  if (!parsed.success) {
    return bad(
      'malformed',
      `is not a valid Azure security-domain file: ${describeIssue(parsed.error)}`,
    );
  }
  const {EncData, SharedKeys, version} = parsed.data;
  if (SharedKeys.key_algorithm !== 'shamir_share') {
    return bad(
      'unsupported-sharing',
      `SharedKeys.key_algorithm is ${preview(SharedKeys.key_algorithm)}; only shamir_share is supported`,
    );
  }
  const required = SharedKeys.required;
  if (
    typeof required !== 'number' ||
    !Number.isInteger(required) ||
    required < MIN_QUORUM ||
    required > MAX_QUORUM
  ) {
    return bad(
      'bad-quorum',
      `SharedKeys.required is ${preview(required)}; the quorum must be a whole number from ${MIN_QUORUM} to ${MAX_QUORUM}`,
    );
  }
  const total = SharedKeys.enc_shares.length;
  if (total > MAX_SHARES) {
    return bad(
      'too-many-shares',
      `has ${total} shares; an Azure security domain has at most ${MAX_SHARES}`,
    );
  }
  if (total < required) {
    return bad(
      'quorum-unreachable',
      `needs ${required} shares to recover but holds only ${total}; it can never be recovered`,
    );
  }
  const kdf = EncData.kdf ?? 'sp108_kdf';
  if (kdf !== 'sp108_kdf') {
    return bad('unsupported-kdf', `EncData.kdf is ${preview(kdf)}; only sp108_kdf is known`);
  }

  const shares: AzureShareEntry[] = [];
  for (const [i, s] of SharedKeys.enc_shares.entries()) {
    const where = `SharedKeys.enc_shares[${i}]`;
    const thumb = b64uDecode(s.x5t_256);
    if (!thumb || thumb.length !== 32) {
      return bad('bad-thumbprint', `${where}.x5t_256 is not a base64url SHA-256 thumbprint`);
    }
    shares.push({
      index: i + 1,
      x5t256: s.x5t_256,
      certFingerprint: thumb.toString('hex'),
      sealed: sealedShare(s.enc_key),
    });
  }

  const blobs: AzureBlobEntry[] = [];
  const tags = new Set<string>();
  for (const [i, d] of EncData.data.entries()) {
    const where = `EncData.data[${i}] (${preview(d.tag)})`;
    if (tags.has(d.tag)) return bad('duplicate-tag', `${where}: the tag appears twice`);
    tags.add(d.tag);
    const jwe = parseCompactJwe(d.compact_jwe);
    if (!jwe.ok) return bad('bad-blob-jwe', `${where} ${jwe.problem}`);
    if (jwe.jwe.header.alg !== 'dir') {
      return bad(
        'unsupported-alg',
        `${where} uses key management ${preview(jwe.jwe.header.alg ?? null)}; data blobs use "dir"`,
      );
    }
    if (jwe.jwe.encryptedKey.length !== 0) {
      return bad('bad-blob-jwe', `${where} has an encrypted-key segment; "dir" JWEs have none`);
    }
    blobs.push({tag: d.tag, jwe: jwe.jwe, compact: d.compact_jwe});
  }
  return ok(new AzureDomain({file, required, shares, blobs, version, kdf}));
}

/**
 * A share's JWE, or why it cannot be read. A damaged share does not stop the file from
 * opening: the other holders may still recover it, and the damage is named with the share
 * (its certificate, or the key given for it) instead of as the whole file's fault.
 */
function sealedShare(encKey: string): AzureShareEntry['sealed'] {
  const jwe = parseCompactJwe(encKey);
  if (!jwe.ok) return {ok: false, damage: jwe.problem};
  const alg = jwe.jwe.header.alg;
  if (!isWrapAlgorithm(alg))
    return {
      ok: false,
      damage: `uses key wrapping ${preview(alg ?? null)}; only RSA-OAEP-256 and RSA-OAEP are supported`,
    };
  if (jwe.jwe.encryptedKey.length === 0) return {ok: false, damage: 'has no encrypted key'};
  return {ok: true, alg, jwe: jwe.jwe};
}

/** Reads and opens an SD file from disk. */
export function readAzureDomain(file: string): Result<AzureDomain> {
  const bytes = readSmallFileSync(file, MAX_SD_FILE_BYTES, 'security-domain file');
  if (!bytes.ok) return bytes;
  return openAzureDomain(file, bytes.value);
}
