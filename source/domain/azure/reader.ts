/**
 * Reads an Azure Managed HSM security-domain file (see the interop spec, §3–§9) behind the
 * SecurityDomainFormat interface: describe the quorum, match a wrapping key to its share (by
 * the certificate's x5t_256 as azure-cli does, or by trial decryption when the certificate is
 * missing), open shares, and reconstruct — always checked against every data blob's MAC.
 *
 * Everything structural is checked when the file is opened, so later steps fail only for
 * reasons about keys and integrity.
 */
import type {
  DomainDescription,
  Holder,
  OpenedShare,
  PresentedKey,
  SecurityDomainFormat,
} from '../format.js';
import {
  checkError,
  fail,
  inputError,
  ok,
  preview,
  type Result,
  type SdError,
} from '../../errors.js';
import {readSmallFileSync} from '../read-file.js';
import type {LoadedKey} from '../key-file.js';
import {wipe} from '../../secret.js';
import {CBC_FAILURE_TEXT, CEK_BYTES, decrypt} from './a256cbc-hs512.js';
import {b64uDecode, parseCompactJwe, type CompactJwe} from './compact-jwe.js';
import {decodeShare, SHARE_PROBLEM_TEXT, wipeShare} from './shamir257.js';
import {isWrapAlgorithm, rsaUnwrap, type WrapAlgorithm} from './rsa-oaep.js';
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

export interface AzureShareEntry {
  /** 1-based position in SharedKeys.enc_shares. */
  index: number;
  x5t256: string;
  /** SHA-256 of the certificate DER, lowercase hex (x5t_256 decoded). */
  certFingerprint: string;
  alg: WrapAlgorithm;
  jwe: CompactJwe;
}

export interface AzureBlobEntry {
  tag: string;
  jwe: CompactJwe;
}

export interface AzureDomainParts {
  file: string;
  required: number;
  shares: AzureShareEntry[];
  blobs: AzureBlobEntry[];
  version: unknown;
  kdf: string;
}

/** True when parsed JSON looks like an Azure SD file (the two sections azure-cli needs). */
export function detectAzure(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const o = json as Record<string, unknown>;
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  return isObject(o.EncData) && isObject(o.SharedKeys);
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

export type OpenedEntry =
  {ok: true; secret: Buffer} | {ok: false; rsaFailed: boolean; error: SdError};

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
      bits: s.jwe.encryptedKey.length * 8,
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
      required: this.required,
      total: this.shares.length,
      holders: this.holderList.map((h) => ({...h})),
      details,
    };
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

  openShare(presented: PresentedKey): Result<OpenedShare> {
    const {key, certificate} = presented;
    if (certificate) {
      const listed = this.shares.filter((s) => s.certFingerprint === certificate.certFingerprint);
      if (certificate.spkiFingerprint !== key.spkiFingerprint) {
        const whose = listed[0] ? `, holder ${listed[0].index}'s certificate in ${this.file}` : '';
        return fail(
          inputError(
            'key-cert-mismatch',
            `${key.file}: is not the private key of ${certificate.file}${whose} — the key and certificate files have been mixed up`,
            key.file,
          ),
        );
      }
      let failure: SdError | undefined;
      for (const entry of listed) {
        const opened = this.openEntry(entry, key);
        if (opened.ok) return ok(this.opened(entry, key, 'certificate', false, opened.secret));
        failure ??= opened.rsaFailed
          ? checkError(
              'share-unreadable',
              `${key.file}: matches holder ${entry.index}'s certificate but cannot unwrap share ${entry.index} of ${this.file} — the share was not encrypted to this key (damaged file?)`,
              key.file,
            )
          : opened.error;
      }
      if (failure) return fail(failure);
      // A certificate re-issued for the same key has a new thumbprint: try the key itself.
    }
    const bytes = Math.ceil(key.bits / 8);
    for (const entry of this.shares) {
      if (entry.jwe.encryptedKey.length !== bytes) continue;
      const opened = this.openEntry(entry, key);
      if (opened.ok) {
        return ok(this.opened(entry, key, 'trial-decryption', !certificate, opened.secret));
      }
      // The key unwrapped this share's content key, so the share is this key's; it is damaged.
      if (!opened.rsaFailed) return fail(opened.error);
    }
    const holders = this.shares.map((s) => s.x5t256).join(', ');
    const n = this.shares.length;
    return fail(
      inputError(
        'not-a-holder',
        certificate
          ? `${key.file}: its certificate ${certificate.file} (x5t_256 ${Buffer.from(certificate.certFingerprint, 'hex').toString('base64url')}) is not a holder of ${this.file} and the key opens none of its ${n} shares; the holders' x5t_256 are ${holders}`
          : `${key.file}: opens none of the ${n} shares of ${this.file} (no certificate beside it); the holders' x5t_256 are ${holders}`,
        key.file,
      ),
    );
  }

  reconstruct(shares: OpenedShare[]): Result<AzureReconstructedDomain> {
    return reconstruct(this, shares);
  }

  /** The plaintext data blobs, in file order; the caller wipes every `plaintext`. */
  decryptBlobs(secret: Buffer): Result<DecryptedBlob[]> {
    return decryptBlobs(this, secret);
  }

  private opened(
    entry: AzureShareEntry,
    key: LoadedKey,
    by: 'certificate' | 'trial-decryption',
    certMissing: boolean,
    secret: Buffer,
  ): OpenedShare {
    const holder = this.holderList[entry.index - 1] as Holder;
    return {holder, file: key.file, match: {holder, by, certMissing}, secret};
  }

  /** RSA-unwraps the CEK, checks it, authenticates and decrypts the share, checks its words. */
  private openEntry(entry: AzureShareEntry, key: LoadedKey): OpenedEntry {
    const cek = rsaUnwrap(entry.alg, key.privateKey, entry.jwe.encryptedKey);
    if (!cek) {
      return {
        ok: false,
        rsaFailed: true,
        error: inputError(
          'rsa-unwrap',
          `${key.file}: cannot unwrap share ${entry.index}`,
          key.file,
        ),
      };
    }
    const where = `share ${entry.index} of ${this.file} (opened with ${key.file})`;
    try {
      if (cek.length !== CEK_BYTES) {
        return {
          ok: false,
          rsaFailed: false,
          error: inputError(
            'bad-cek',
            `${where}: its content key is ${cek.length} bytes; A256CBC-HS512 needs ${CEK_BYTES} — refusing the share`,
            this.file,
          ),
        };
      }
      const {jwe} = entry;
      const result = decrypt(cek, jwe.aad, jwe.iv, jwe.ciphertext, jwe.tag);
      if (!result.ok) {
        return {
          ok: false,
          rsaFailed: false,
          error: checkError(
            'share-authentication',
            `${where} does not authenticate: ${CBC_FAILURE_TEXT[result.reason]}`,
            this.file,
          ),
        };
      }
      const decoded = decodeShare(result.plaintext);
      if (!decoded.ok) {
        wipe(result.plaintext);
        return {
          ok: false,
          rsaFailed: false,
          error: checkError(
            'bad-share',
            `${where} is malformed: ${SHARE_PROBLEM_TEXT[decoded.problem]}`,
            this.file,
          ),
        };
      }
      wipeShare(decoded.share);
      return {ok: true, secret: result.plaintext};
    } finally {
      wipe(cek);
    }
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
    const jwe = parseCompactJwe(s.enc_key);
    if (!jwe.ok) return bad('bad-share-jwe', `${where}.enc_key ${jwe.problem}`);
    const alg = jwe.jwe.header.alg;
    if (!isWrapAlgorithm(alg)) {
      return bad(
        'unsupported-alg',
        `${where}.enc_key uses key wrapping ${preview(alg ?? null)}; only RSA-OAEP-256 and RSA-OAEP are supported`,
      );
    }
    if (jwe.jwe.encryptedKey.length === 0) {
      return bad('bad-share-jwe', `${where}.enc_key has no encrypted key`);
    }
    shares.push({
      index: i + 1,
      x5t256: s.x5t_256,
      certFingerprint: thumb.toString('hex'),
      alg,
      jwe: jwe.jwe,
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
    blobs.push({tag: d.tag, jwe: jwe.jwe});
  }
  return ok(new AzureDomain({file, required, shares, blobs, version, kdf}));
}

/** Reads and opens an SD file from disk. */
export function readAzureDomain(file: string): Result<AzureDomain> {
  const bytes = readSmallFileSync(file, MAX_SD_FILE_BYTES, 'security-domain file');
  if (!bytes.ok) return bytes;
  return openAzureDomain(file, bytes.value);
}
