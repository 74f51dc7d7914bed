import {
  createDecipheriv,
  createHash,
  privateDecrypt,
  constants,
  timingSafeEqual,
} from 'node:crypto';
import {checkError, fail, inputError, ok, type Result} from '../../errors.js';
import {wipe} from '../../secret.js';
import {
  combinations,
  holderLabel,
  ReconstructError,
  type BadShare,
  type DomainDescription,
  type DomainProblem,
  type KeyEvidence,
  type KeyMatch,
  type Holder,
  type OpenedShare,
  type PresentedKey,
  type ReconstructedDomain,
  type SecurityDomainFormat,
} from '../format.js';
import {reportPublicKey} from '../report-key.js';
import {headerAad, keyCheckMatches, oaepLabel, payloadKey, voucherMatches} from './crypto.js';
import {describeIssue, issueMessage} from '../schema-issue.js';
import {consistencyProblem} from './consistency.js';
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
      ...(d.domain.reportKey ? {reportKey: d.domain.reportKey} : {}),
      ...(d.domain.generation ? {generation: d.domain.generation} : {}),
      problems: this.problems(),
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

  /** Holders whose certificates carry one public key: one person, two votes. */
  private problems(): DomainProblem[] {
    const out: DomainProblem[] = [];
    const seen = new Set<string>();
    for (const h of this.holders) {
      if (seen.has(h.spkiFingerprint ?? '')) continue;
      const same = this.holders.filter((x) => x.spkiFingerprint === h.spkiFingerprint);
      seen.add(h.spkiFingerprint ?? '');
      if (same.length < 2) continue;
      out.push({
        rule: 'duplicate-wrapping-key',
        shares: same.map((x) => x.index),
        text: `${same.map((x) => holderLabel(x)).join(' and ')} are one wrapping key under ${same.length} certificates: whoever holds it holds ${same.length} votes of the quorum`,
      });
    }
    return out;
  }

  matchKey(evidence: KeyEvidence): KeyMatch | undefined {
    const cert = evidence.certificate;
    const spki = evidence.spkiFingerprint ?? evidence.key?.spkiFingerprint ?? cert?.spkiFingerprint;
    const byCert = cert
      ? this.holders.find((h) => h.certFingerprint === cert.certFingerprint)
      : undefined;
    const holder =
      byCert ?? this.holders.find((h) => spki !== undefined && h.spkiFingerprint === spki);
    if (!holder) return undefined;
    const alsoOpens = this.holders
      .filter((h) => h !== holder && h.spkiFingerprint === holder.spkiFingerprint)
      .map((h) => h.index);
    return {
      holder,
      by: byCert ? 'certificate' : 'public-key',
      certMissing: !cert,
      ...(cert && !byCert ? {certReissued: true} : {}),
      ...(alsoOpens.length > 0 ? {alsoOpens} : {}),
    };
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
    const match = this.matchKey({key, ...(certificate ? {certificate} : {})});
    if (!match) {
      return fail(
        checkError(
          'not-a-holder',
          `${key.file}: this key is not one of this domain's ${this.doc.quorum.total} wrapping keys (a stranger's key, a departed holder's, or a key from another domain)`,
          key.file,
        ),
      );
    }
    const holder = match.holder;
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
    return ok({holder, file: key.file, match, secret});
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
    // A share is named bad only when the authenticated reconstruction excludes it: with
    // m - 1 of the shares that opened the domain it does not give the same domain key, so it
    // is not on the polynomial the domain was split on. (Not by vouchers: a voucher in the
    // file could itself have been damaged.)
    const goodSet = new Set(good.map((s) => s.holder.index));
    const anchor = good.slice(0, required - 1).map((g) => g.secret);
    const badShares: BadShare[] = shares
      .filter((s) => !goodSet.has(s.holder.index) && !this.onPolynomial(anchor, s, domainKey))
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
      reportKey: reportPublicKey(key),
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

  /** Does `s`, with m - 1 shares that opened the domain, give the same domain key? */
  private onPolynomial(anchor: Buffer[], s: OpenedShare, domainKey: Buffer): boolean {
    let candidate: Buffer;
    try {
      candidate = combineShares([...anchor, s.secret]);
    } catch {
      return false;
    }
    const same = candidate.length === domainKey.length && timingSafeEqual(candidate, domainKey);
    wipe(candidate);
    return same;
  }

  /**
   * No combination opened the domain, so nothing authenticated says which shares are good:
   * the vouchers in the file only say which shares disagree (forged shares can vouch for one
   * another), never who forged what. Nobody is named; more holders can settle it.
   */
  private explainFailure(shares: OpenedShare[]): ReconstructError {
    const n = shares.length;
    const disagree: string[] = [];
    for (const [i, a] of shares.entries()) {
      for (const b of shares.slice(i + 1)) {
        if (!this.voucherOk(a, b) || !this.voucherOk(b, a))
          disagree.push(`${holderLabel(a.holder)} and ${holderLabel(b.holder)}`);
      }
    }
    if (disagree.length === 0) {
      return new ReconstructError(
        'header-tampered',
        `${this.file}: the ${n} shares agree with one another but do not open this domain: the file's header (quorum, holders, key check) was altered, or these shares belong to another domain`,
        [],
        this.file,
      );
    }
    const m = this.doc.quorum.required;
    return new ReconstructError(
      'reconstruct-failed',
      `reconstruction failed: no ${m} of the ${n} shares present open the domain, and these disagree: ${disagree.join('; ')}. At least one share is corrupt or forged, and without ${m} shares that open the domain sd-drill cannot tell which (shares forged together vouch for one another); bring more holders`,
      [],
      this.file,
    );
  }
}
