import {
  createDecipheriv,
  createHash,
  privateDecrypt,
  constants,
  X509Certificate,
} from 'node:crypto';
import {checkError, fail, inputError, ok, type Result} from '../../errors.js';
import {wipe} from '../../secret.js';
import {
  combinations,
  holderLabel,
  ReconstructError,
  type BadShare,
  type DomainDescription,
  type Holder,
  type OpenedShare,
  type PresentedKey,
  type ReconstructedDomain,
  type SecurityDomainFormat,
} from '../format.js';
import {sha256Hex, spkiFingerprint} from '../key-file.js';
import {headerAad, keyCheckMatches, oaepLabel, payloadKey, voucherMatches} from './crypto.js';
import {describeIssue, issueMessage} from '../schema-issue.js';
import {nativeDomainSchema, type NativeDomainFile} from './schema.js';
import {combineShares, shareId} from './shamir.js';

export interface NativeReconstructed extends ReconstructedDomain {
  format: 'native';
  /** The decrypted domain payload (the HSM's contents). Wiped by `wipe()`. */
  payload: Buffer;
}

export interface NativeDomain extends SecurityDomainFormat {
  readonly doc: NativeDomainFile;
  reconstruct(shares: OpenedShare[]): Result<NativeReconstructed>;
  /** Decrypts and authenticates the payload with a domain key (the recovery HSM's path). */
  decryptPayload(domainKey: Buffer): Result<Buffer>;
}

function consistencyProblem(doc: NativeDomainFile): string | undefined {
  const n = doc.quorum.total;
  if (doc.holders.length !== n)
    return `quorum.total is ${n} but ${doc.holders.length} holders are listed`;
  if (doc.shares.length !== n)
    return `quorum.total is ${n} but ${doc.shares.length} shares are listed`;
  const fps = new Set<string>();
  for (const [i, h] of doc.holders.entries()) {
    if (h.index !== i + 1) return `holders[${i}].index should be ${i + 1}`;
    if (fps.has(h.certFingerprint)) return `holder ${h.index} repeats another holder's certificate`;
    fps.add(h.certFingerprint);
    // The certificate and key size are not in the authenticated header; bind them to the
    // fingerprints that are, so an edited copy cannot pass for the holder's.
    const der = Buffer.from(h.certificate, 'base64');
    if (sha256Hex(der) !== h.certFingerprint)
      return `holders[${i}].certificate does not match its certFingerprint`;
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(der);
    } catch {
      return `holders[${i}].certificate is not an X.509 certificate`;
    }
    if (spkiFingerprint(cert.publicKey) !== h.spkiFingerprint)
      return `holders[${i}].spkiFingerprint does not match its certificate`;
    if (cert.publicKey.asymmetricKeyDetails?.modulusLength !== h.bits)
      return `holders[${i}].bits does not match its certificate`;
    const s = doc.shares[i];
    if (!s || s.holder !== h.index || s.certFingerprint !== h.certFingerprint) {
      return `shares[${i}] does not belong to holder ${h.index}`;
    }
  }
  if (doc.manifest.keys.length !== doc.manifest.keyCount)
    return 'manifest.keyCount does not match the key list';
  return undefined;
}

/** Parses and validates a native document (already JSON-parsed). */
export function openNativeDomain(file: string, json: unknown): Result<NativeDomain> {
  const parsed = nativeDomainSchema.safeParse(json, {error: issueMessage});
  if (!parsed.success) {
    return fail(
      inputError(
        'malformed',
        `${file}: not a valid sd-drill security domain: ${describeIssue(parsed.error)}`,
        file,
      ),
    );
  }
  const doc = parsed.data;
  const problem = consistencyProblem(doc);
  if (problem)
    return fail(inputError('malformed', `${file}: inconsistent security domain: ${problem}`, file));
  return ok(new NativeDomainImpl(file, doc));
}

const b = (s: string): Buffer => Buffer.from(s, 'base64');

class NativeDomainImpl implements NativeDomain {
  private readonly aad: Buffer;
  private readonly holders: Holder[];

  constructor(
    readonly file: string,
    readonly doc: NativeDomainFile,
  ) {
    this.aad = headerAad(doc);
    this.holders = doc.holders.map((h) => ({
      index: h.index,
      name: h.name,
      certFingerprint: h.certFingerprint,
      spkiFingerprint: h.spkiFingerprint,
      bits: h.bits,
    }));
  }

  describe(): DomainDescription {
    const d = this.doc;
    return {
      format: 'native',
      file: this.file,
      name: d.domain.hsmName,
      id: d.domain.id,
      created: d.domain.created,
      required: d.quorum.required,
      total: d.quorum.total,
      holders: this.holders,
      details: {keys: d.manifest.keyCount, canaries: d.manifest.canaries.length},
    };
  }

  matchByFingerprint(fp: {certFingerprint?: string; spkiFingerprint?: string}): Holder | undefined {
    return this.holders.find(
      (h) =>
        (fp.certFingerprint !== undefined && h.certFingerprint === fp.certFingerprint) ||
        (fp.spkiFingerprint !== undefined && h.spkiFingerprint === fp.spkiFingerprint),
    );
  }

  openShare(presented: PresentedKey): Result<OpenedShare> {
    const {key, certificate} = presented;
    if (certificate && certificate.spkiFingerprint !== key.spkiFingerprint) {
      return fail(
        inputError(
          'cert-key-mismatch',
          `${key.file}: the key does not belong to the certificate ${certificate.file}; bring the matching pair`,
          key.file,
        ),
      );
    }
    const holder = this.matchByFingerprint({
      spkiFingerprint: key.spkiFingerprint,
      certFingerprint: certificate?.certFingerprint,
    });
    if (!holder) {
      return fail(
        checkError(
          'not-a-holder',
          `${key.file}: this key is not one of this domain's ${this.doc.quorum.total} wrapping keys (a stranger's key, or a key from another domain)`,
          key.file,
        ),
      );
    }
    const entry = this.doc.shares[holder.index - 1];
    let secret: Buffer;
    try {
      secret = privateDecrypt(
        {
          key: key.privateKey,
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: 'sha256',
          oaepLabel: oaepLabel(this.doc.domain.id, holder.index),
        },
        b(entry?.ciphertext ?? ''),
      );
    } catch {
      return fail(
        checkError(
          'share-unreadable',
          `${this.file}: the share of ${holderLabel(holder)} does not open with ${key.file}: the share in the domain file is corrupt or was not made for this domain`,
          this.file,
        ),
      );
    }
    if (shareId(secret) !== holder.index) {
      wipe(secret);
      return fail(
        checkError(
          'share-corrupt',
          `${this.file}: the share of ${holderLabel(holder)} is corrupt (it is not share ${holder.index})`,
          this.file,
        ),
      );
    }
    return ok({
      holder,
      file: key.file,
      match: {holder, by: certificate ? 'certificate' : 'public-key', certMissing: !certificate},
      secret,
    });
  }

  private voucherOk(by: OpenedShare, target: OpenedShare): boolean {
    const entry = this.doc.shares[target.holder.index - 1];
    const v = entry?.vouchers.find((x) => x.by === by.holder.index);
    if (!v) return false;
    return voucherMatches(
      by.secret,
      this.doc.domain.id,
      target.holder.index,
      target.secret,
      b(v.mac),
    );
  }

  reconstruct(input: OpenedShare[]): Result<NativeReconstructed> {
    const seen = new Set<number>();
    const shares = input.filter((s) =>
      seen.has(s.holder.index) ? false : (seen.add(s.holder.index), true),
    );
    const required = this.doc.quorum.required;
    if (shares.length < required) {
      const more = required - shares.length;
      return fail(
        checkError(
          'quorum-not-met',
          `quorum not met: ${shares.length} of ${required} required shares (${more} more needed)`,
          this.file,
        ),
      );
    }
    const id = this.doc.domain.id;
    const expectedCheck = b(this.doc.keyCheck);
    let good: OpenedShare[] | undefined;
    let domainKey: Buffer | undefined;
    for (const subset of combinations(shares, required)) {
      let candidate: Buffer;
      try {
        candidate = combineShares(subset.map((s) => s.secret));
      } catch {
        continue;
      }
      if (candidate.length === 32 && keyCheckMatches(candidate, id, this.aad, expectedCheck)) {
        good = subset;
        domainKey = candidate;
        break;
      }
      wipe(candidate);
    }
    if (!good || !domainKey) return fail(this.explainFailure(shares));
    const goodSet = new Set(good.map((s) => s.holder.index));
    const badShares: BadShare[] = shares
      .filter((s) => !goodSet.has(s.holder.index) && !good.every((g) => this.voucherOk(g, s)))
      .map((s) =>
        this.bad(s, 'does not agree with the shares that opened the domain: corrupt or forged'),
      );
    const payload = this.decryptPayload(domainKey);
    if (!payload.ok) {
      wipe(domainKey);
      return payload;
    }
    const key = domainKey;
    return ok({
      format: 'native',
      secret: key,
      payload: payload.value,
      evidence: {
        blobs: [
          {
            tag: 'payload',
            bytes: payload.value.length,
            sha256: createHash('sha256').update(payload.value).digest('hex'),
          },
        ],
        keyCount: this.doc.manifest.keyCount,
      },
      usedHolders: good.map((s) => s.holder.index),
      badShares,
      wipe: () => wipe(key, payload.value),
    });
  }

  decryptPayload(domainKey: Buffer): Result<Buffer> {
    const encKey = payloadKey(domainKey, this.doc.domain.id);
    try {
      const p = this.doc.payload;
      const tag = b(p.tag);
      if (tag.length !== 16) throw new Error('tag length');
      const decipher = createDecipheriv('aes-256-gcm', encKey, b(p.iv));
      decipher.setAAD(this.aad);
      decipher.setAuthTag(tag);
      return ok(Buffer.concat([decipher.update(b(p.ciphertext)), decipher.final()]));
    } catch {
      return fail(
        checkError(
          'payload-tampered',
          `${this.file}: the shares are right but the domain payload fails authentication: the file was altered or damaged; use a backup copy of the security domain`,
          this.file,
        ),
      );
    } finally {
      wipe(encKey);
    }
  }

  private bad(s: OpenedShare, why: string): BadShare {
    return {
      holderIndex: s.holder.index,
      ...(s.holder.name ? {holderName: s.holder.name} : {}),
      file: s.file,
      reason: `the share of ${holderLabel(s.holder)} (opened with ${s.file}) ${why}`,
    };
  }

  /**
   * No combination opened the domain. Use the vouchers to find the shares the others do not
   * recognise: the largest group that all vouch for one another is taken as genuine when it
   * is the only group of that size; everyone outside it is named.
   */
  private explainFailure(shares: OpenedShare[]): ReconstructError {
    const n = shares.length;
    const accepts = shares.map((a) => shares.map((t) => a === t || this.voucherOk(a, t)));
    let best: number[] = [];
    let tie = false;
    for (let mask = 1; mask < 1 << n; mask++) {
      const members = shares.map((_, i) => i).filter((i) => mask & (1 << i));
      const mutual = members.every((i) => members.every((j) => accepts[i]?.[j] && accepts[j]?.[i]));
      if (!mutual) continue;
      if (members.length > best.length) {
        best = members;
        tie = false;
      } else if (members.length === best.length) {
        tie = true;
      }
    }
    if (best.length === n) {
      return new ReconstructError(
        'header-tampered',
        `${this.file}: the ${n} shares agree with one another but do not open this domain: the file's header (quorum, holders, key check) was altered, or these shares belong to another domain`,
        [],
        this.file,
      );
    }
    if (!tie && best.length >= 2) {
      const bad = shares
        .filter((_, i) => !best.includes(i))
        .map((s) => this.bad(s, 'is not recognised by the other holders: corrupt or forged'));
      return new ReconstructError(
        'share-corrupt',
        `reconstruction failed: ${bad.map((x) => x.reason).join('; ')}`,
        bad,
        this.file,
      );
    }
    return new ReconstructError(
      'reconstruct-failed',
      `reconstruction failed: one of the ${n} shares is corrupt or forged, and with ${n} holders present it cannot be told which; bring one more holder`,
      [],
      this.file,
    );
  }
}
