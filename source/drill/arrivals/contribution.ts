/**
 * A share that arrives from a holder at another site (design: "Holders at other sites"). The
 * operator calls the holder: a request is written (to a stick or folder) and its code shown;
 * its private key stays in a PendingRequest here, in memory only. The holder answers with
 * `sd-drill contribute` on their own machine; the contribution comes back on any stick (found
 * by content), is named by a plan, or is pasted, and is checked here before it goes to the
 * session (ShareDesk.accept) like a presented key's share. One of the ways a share arrives.
 *
 * Each refusal has its own line: damaged or altered, a second copy, another ceremony's (or an
 * earlier session's) request, an expired request, another holder's.
 */
import {readSmallFileSync} from '../../fs/read-file.js';
import {holderLabel} from '../../domain/format.js';
import {shareFromPayload} from '../../domain/remote-share.js';
import {writeFileAtomic} from '../../fs/atomic-write.js';
import {
  bindSigner,
  MAX_CONTRIBUTION_BYTES,
  parseContribution,
  sealAad,
  sealedOf,
  verifySignature,
} from '../../remote/contribution.js';
import {PendingRequest, requestFileText} from '../../remote/request.js';
import type {CeremonyState, Custodian, StickInfo} from '../../ceremony/types.js';
import {fail, ok, type Result} from '../../errors.js';
import {wipe} from '../../secret.js';
import type {ShareArrival, ShareDesk} from './desk.js';
import {join} from 'node:path';

type Answered = 'open' | 'replaced' | 'answered' | 'withdrawn' | 'expired';
interface Request {
  pending: PendingRequest;
  status: Answered;
}

export interface ContributionOptions {
  /** Tests only: key material for each request's key pair, so a test knows what to look for. */
  requestKeyMaterial?: () => Buffer;
}

const time = (at: number): string => new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');

export class ContributionArrival implements ShareArrival {
  /** Every request this session made, by digest (hex), and what became of it. */
  private readonly requests = new Map<string, Request>();
  /** Accepted contributions: file SHA-256 → holder. */
  private readonly accepted = new Map<string, number>();

  constructor(
    private readonly desk: ShareDesk,
    private readonly options: ContributionOptions = {},
  ) {}

  /**
   * Calls a holder: makes a request and writes it to `to` (a folder: a new file is named there;
   * or a file path: never overwritten). The request's code is on the state (`remote-called`).
   */
  async call(
    holderIndex: number,
    to: {dir: string} | {file: string},
    ttlMs: number,
    custodian?: Custodian,
  ): Promise<Result<PendingRequest, string>> {
    const s = this.desk.getState();
    const opened = this.desk.openedDomain;
    const h = s.holders.find((x) => x.index === holderIndex);
    const refuse = (message: string): Result<PendingRequest, string> => {
      this.desk.dispatch({type: 'remote-call-failed', holderIndex, message});
      return fail(message);
    };
    if (s.step !== 'collect' || !opened?.sha256 || !h)
      return refuse('Holders are called in the collect step.');
    if (h.state !== 'waiting')
      return refuse(`${holderLabel(h)} is not waiting: only a waiting holder is called.`);
    const d = opened.domain.describe();
    const pending = await PendingRequest.make({
      domain: {sha256: opened.sha256, id: d.id ?? null, name: d.name ?? null, format: d.format},
      holder: {index: holderIndex, certFingerprint: h.certFingerprint},
      now: this.desk.now(),
      ttlMs,
      ...(this.options.requestKeyMaterial ? {ikm: this.options.requestKeyMaterial()} : {}),
    });
    const file =
      'file' in to
        ? to.file
        : join(to.dir, `sd-drill-request-holder-${holderIndex}-${pending.code.slice(0, 4)}.json`);
    const written = writeFileAtomic(file, requestFileText(pending.request), {mode: 0o644});
    const now = this.desk.getState();
    if (!written.ok || now.step !== 'collect') {
      pending.wipe();
      return refuse(
        written.ok ? 'The drill moved on before the request was written.' : written.error.message,
      );
    }
    // A holder called again: the earlier request is withdrawn (its key wiped).
    for (const r of this.requests.values())
      if (r.status === 'open' && r.pending.request.holder.index === holderIndex)
        this.close(r, 'replaced');
    this.requests.set(pending.digest.toString('hex'), {pending, status: 'open'});
    this.desk.dispatch({
      type: 'remote-called',
      holderIndex,
      code: pending.code,
      requestFile: file,
      expiresAt: pending.expiresAt,
      ...(custodian ? {custodian} : {}),
    });
    return ok(pending);
  }

  /** Contribution files found on a stick (by content): each is read and checked. */
  async fromStick(stick: StickInfo, files: string[]): Promise<void> {
    for (const file of files) await this.receiveFile(file, stick);
  }

  /** A contribution file named by a plan or pasted as a path. True when accepted. */
  async receiveFile(file: string, stick?: StickInfo): Promise<boolean> {
    const bytes = readSmallFileSync(file, MAX_CONTRIBUTION_BYTES, 'contribution file');
    if (!bytes.ok) return this.refuse(bytes.error.message, stick);
    return this.receive(bytes.value, file, stick);
  }

  /**
   * A contribution's bytes (from a file, or pasted). True when accepted. The checks run in an
   * order that gives each refusal its own line: altered (it does not parse, or its signature
   * fails under the key it carries — a byte changed anywhere ends here), a second copy, a
   * request this ceremony did not make, one answered, replaced or expired, another holder's.
   */
  async receive(bytes: Buffer, file: string, stick?: StickInfo): Promise<boolean> {
    const opened = this.desk.openedDomain;
    if (this.desk.getState().step !== 'collect' || !opened) return false;
    const parsed = parseContribution(bytes);
    if (!parsed.ok)
      return this.refuse(
        `${file}: is damaged or was altered on the way (${parsed.error}); ask the holder to run contribute again.`,
        stick,
      );
    const {contribution: c, sha256} = parsed.value;
    const spki = verifySignature(c);
    if (!spki)
      return this.refuse(
        `${file}: was altered after it was made (its signature does not verify); ask the holder to run contribute again.`,
        stick,
      );
    const copyOf = this.accepted.get(sha256);
    if (copyOf !== undefined)
      return this.refuse(
        `${file}: is a second copy of the contribution already accepted from holder ${copyOf}; a share counts once.`,
        stick,
      );
    const r = this.requests.get(c.request);
    if (!r)
      return this.refuse(
        `${file}: answers a request this ceremony did not make (another ceremony's, or an earlier session's); call the holder again for a new request.`,
        stick,
      );
    const asked = r.pending.request.holder;
    const refusal = this.closed(r, file);
    if (refusal) return this.refuse(refusal, stick);
    const holders = opened.domain.describe().holders;
    const holder = holders.find((h) => h.index === asked.index);
    if (!holder) return false;
    const bound = bindSigner(c, spki, holder, holders);
    if (!bound.ok)
      return this.refuse(
        bound.other
          ? `${file}: was made with the key of ${holderLabel(bound.other)}, but the request was for ${holderLabel(holder)}; another holder's contribution is refused.`
          : `${file}: is not signed with the wrapping key of ${holderLabel(holder)}, nor of any holder of this domain (forged); refused.`,
        stick,
      );
    if (c.holder.index !== asked.index || c.holder.certFingerprint !== asked.certFingerprint)
      return this.refuse(
        `${file}: names holder ${c.holder.index}, but the request was for ${holderLabel(holder)}; refused.`,
        stick,
      );
    const payload =
      c.nonce === r.pending.request.nonce
        ? await r.pending.unseal(sealAad(asked.index, c.nonce), sealedOf(c))
        : undefined;
    if (!payload)
      return this.refuse(
        `${file}: does not open with this ceremony's key for ${holderLabel(holder)}'s request (sealed to another key, or altered before it was signed); refused.`,
        stick,
      );
    try {
      const now = this.desk.getState();
      if (now.step !== 'collect' || r.status !== 'open') return false;
      if (now.holders.find((h) => h.index === asked.index)?.state !== 'waiting')
        return this.refuse(
          `${file}: ${holderLabel(holder)} is at the machine now; finish or cancel that presentation first.`,
          stick,
        );
      const share = shareFromPayload(opened, asked.index, payload, file, bound.match);
      if (!share.ok) return this.refuse(`${share.error.message}; refused.`, stick);
      const earlier = this.desk.takenWith(spki);
      if (earlier) {
        wipe(share.value.secret);
        return this.refuse(
          `${file}: is signed with the same wrapping key as ${earlier.file}, already counted for ${holderLabel(earlier.holder)}; one key is one holder.`,
          stick,
        );
      }
      this.close(r, 'answered');
      this.accepted.set(sha256, asked.index);
      this.desk.accept(share.value, {
        holderIndex: asked.index,
        file,
        ...(stick ? {stick} : {}),
        spkiFingerprint: spki,
        remote: {sha256},
      });
      return (
        this.desk.getState().holders.find((h) => h.index === asked.index)?.state === 'accepted'
      );
    } finally {
      wipe(payload);
    }
  }

  /** Why a request no longer takes an answer, if it does not. */
  private closed(r: Request, file: string): string | undefined {
    const asked = r.pending.request.holder.index;
    switch (r.status) {
      case 'answered':
        return `${file}: answers holder ${asked}'s request, already answered; a share counts once.`;
      case 'replaced':
        return `${file}: answers an earlier request to holder ${asked}, which a newer one replaced; ask them to answer the request with the newer code.`;
      case 'withdrawn':
        return `${file}: answers a request to holder ${asked}, who is no longer waited for.`;
      default:
        if (r.status === 'expired' || this.desk.now() > r.pending.expiresAt) {
          this.close(r, 'expired');
          return `${file}: answers holder ${asked}'s request, which expired at ${time(r.pending.expiresAt)}; call the holder again for a new request.`;
        }
        return undefined;
    }
  }

  private refuse(message: string, stick: StickInfo | undefined): false {
    this.desk.dispatch({
      type: 'contribution-refused',
      message,
      ...(stick ? {stickPath: stick.path} : {}),
    });
    return false;
  }

  private close(r: Request, status: Answered): void {
    r.pending.wipe();
    r.status = status;
  }

  /**
   * A request stays open only while its holder waits in the collect step: answered, present
   * at the machine after all and accepted, marked absent, or the drill past collecting — its
   * key is wiped.
   */
  onState(next: CeremonyState): void {
    for (const r of this.requests.values()) {
      if (r.status !== 'open') continue;
      const h = next.holders.find((x) => x.index === r.pending.request.holder.index);
      if (next.step !== 'collect' || !h || (h.state !== 'waiting' && h.state !== 'presenting'))
        this.close(r, 'withdrawn');
    }
  }

  /** Wipes every request's private key. */
  wipe(): void {
    for (const r of this.requests.values()) if (r.status === 'open') this.close(r, 'withdrawn');
  }
}
