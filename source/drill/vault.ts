/**
 * The shares a drill session holds: Buffers in a vault, never in state. The session is the desk
 * every arrival hands its opened shares to (./arrivals/desk.ts); the vault is where it keeps
 * them, by holder and by the public key that opened each, and where it counts one public key
 * as one holder, refusing a second share under a key already taken.
 */
import type {CeremonyEvent, CeremonyState, StickInfo} from '../ceremony/types.js';
import {holderLabel, type OpenedShare} from '../domain/format.js';
import {wipe} from '../secret.js';
import type {AcceptFrom} from './arrivals/desk.js';

export class ShareVault {
  private readonly shares = new Map<number, OpenedShare>();
  /** Public keys whose shares were taken (one key, one holder), by SPKI fingerprint. */
  private readonly keysTaken = new Map<string, OpenedShare>();

  /** `dispatch` is the session's: what the vault accepts or refuses, it tells the machine. */
  constructor(private readonly dispatch: (event: CeremonyEvent) => CeremonyState) {}

  /** The shares held, in the order they were taken; the vault still owns their secrets. */
  held(): OpenedShare[] {
    return [...this.shares.values()];
  }

  /** Hands over the shares held (a rotation checks the new file with them); the caller wipes. */
  take(): OpenedShare[] {
    const shares = this.held();
    this.shares.clear();
    this.keysTaken.clear();
    return shares;
  }

  /** The share already taken with this public key, if any (one key, one holder). */
  takenWith(spki: string): OpenedShare | undefined {
    return this.keysTaken.get(spki);
  }

  /**
   * One public key is one holder, however many certificates or files name it: a key whose
   * share was already taken is refused, naming both files.
   */
  refuseSameKey(stick: StickInfo, file: string, spki: string | undefined): boolean {
    const earlier = spki ? this.keysTaken.get(spki) : undefined;
    if (!earlier) return false;
    this.dispatch({
      type: 'key-refused',
      stick,
      file,
      message: `${file}: is the same wrapping key as ${earlier.file}, already counted for ${holderLabel(earlier.holder)}; one key is one holder.`,
    });
    return true;
  }

  /**
   * Takes an opened share (the vault then owns its secret): checks it is the expected holder's
   * and a new key, holds it, and tells the machine `share-accepted` — or refuses it.
   */
  accept(share: OpenedShare, from: AcceptFrom): void {
    // Each arrival checks one key, one holder first, in its own words; this is the backstop.
    if (this.keysTaken.has(from.spkiFingerprint)) {
      if (from.stick) this.refuseSameKey(from.stick, from.file, from.spkiFingerprint);
      return wipe(share.secret);
    }
    const also = share.match.alsoOpens ?? [];
    if (also.length > 0) {
      // A key that opens more than one share: the domain gives one person two votes.
      const shares = [share.holder.index, ...also];
      this.dispatch({
        type: 'domain-problem',
        problem: {
          rule: 'duplicate-wrapping-key',
          shares,
          text: `${from.file} opens the shares of holders ${shares.join(' and ')}: the domain wraps ${shares.length} shares to one key, so whoever holds it holds ${shares.length} votes of the quorum`,
        },
      });
    }
    if (share.holder.index !== from.holderIndex) {
      wipe(share.secret);
      this.dispatch({
        type: 'share-refused',
        holderIndex: from.holderIndex,
        message: `${from.file} opened the share of ${holderLabel(share.holder)}, not the holder it was matched to`,
      });
      return;
    }
    this.shares.set(from.holderIndex, share);
    this.keysTaken.set(from.spkiFingerprint, share);
    this.dispatch({
      type: 'share-accepted',
      holderIndex: from.holderIndex,
      certMissing: share.match.certMissing,
      matchedBy: share.match.by,
      ...(from.remote
        ? {
            remote: {
              sha256: from.remote.sha256,
              ...(from.stick ? {stickPath: from.stick.path} : {}),
            },
          }
        : {}),
      spkiFingerprint: from.spkiFingerprint,
    });
  }

  /** Wipes every share held and forgets the keys taken. */
  wipe(): void {
    for (const s of this.shares.values()) wipe(s.secret);
    this.shares.clear();
    this.keysTaken.clear();
  }
}
