/**
 * The one interface every way a share arrives goes through (./stick.ts: a key on a stick;
 * ./contribution.ts: a remote holder's sealed contribution). The session is the desk: it holds the
 * opened shares, counts one public key as one holder, and tells the machine.
 */
import type {CeremonyEvent, CeremonyState, StickInfo} from '../../ceremony/types.js';
import type {OpenedShare, SecurityDomainFormat} from '../../domain/format.js';
import type {OpenedDomain} from '../../domain/open.js';
import type {Stick} from '../../media/stick.js';

export interface AcceptFrom {
  /** The holder the machine expects this share from (matched before it was opened). */
  holderIndex: number;
  /** Where it came from, for messages: the key file (or contribution) and its stick. */
  file: string;
  /** None for a contribution named by a plan or pasted. */
  stick?: StickInfo;
  /** SHA-256 of the wrapping key's public key: one key is one holder. */
  spkiFingerprint: string;
  /** A sealed contribution from a holder at another site: its file's SHA-256. */
  remote?: {sha256: string};
}

export interface ShareDesk {
  getState(): CeremonyState;
  dispatch(event: CeremonyEvent): CeremonyState;
  /** The loaded domain's format, once loaded. */
  format(): SecurityDomainFormat | undefined;
  /** The loaded domain file (its digest names it in a remote holder's request). */
  readonly openedDomain: OpenedDomain | undefined;
  now(): number;
  /** The share already taken with this public key, if any (one key, one holder). */
  takenWith(spki: string): OpenedShare | undefined;
  /** Refuses a key whose share was already taken (one key, one holder); true if refused. */
  refuseSameKey(stick: StickInfo, file: string, spki: string | undefined): boolean;
  /**
   * Takes an opened share (the session then owns its secret): checks it is the expected
   * holder's and a new key, holds it, and tells the machine `share-accepted` — or refuses it.
   */
  accept(share: OpenedShare, from: AcceptFrom): void;
  /**
   * A rotation's prove step: whose departed key this is (by certificate or public-key
   * fingerprint), if it is one — "erin (holder 5)".
   */
  departedHolder?(fingerprints: ReadonlyArray<string | null | undefined>): string | undefined;
}

export interface ShareArrival {
  /** Sees every state the session moves to (to drop what it holds when it no longer applies). */
  onState?(next: CeremonyState): void;
  /** Wipes anything secret it holds. */
  wipe(): void;
}

export function stickInfo(stick: Stick): StickInfo {
  return {
    path: stick.path,
    label: stick.label,
    source: stick.source,
    removable: stick.simulated ? null : stick.removable,
    device: stick.deviceId,
  };
}
