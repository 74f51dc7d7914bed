/**
 * The rotation's part of the ceremony's state and events (./uses/rotation.ts). Public facts
 * only — certificates, fingerprints, names, files — never a key, share or secret.
 */
import type {DomainSummary, HolderStatus} from './types.js';

/** A new holder's certificate: brought on a stick, or (native) kept from the old file. */
export interface NewHolder {
  certFingerprint: string;
  spkiFingerprint: string;
  bits: number;
  /** The name a native file records (kept holders keep theirs). */
  name: string;
  /** Where the certificate came from, for people: "frank.cer on stick FRANK". */
  from: string;
  /** The old holder this one keeps: the same certificate or the same public key. */
  keeps?: number;
}

export interface HolderRef {
  index: number;
  name?: string;
  certFingerprint: string;
}

/** Who is kept, added and departed — by public key where known, else by certificate. */
export interface RotationChange {
  kept: Array<{old: HolderRef; next: HolderRef; by: 'certificate' | 'public-key'}>;
  added: HolderRef[];
  departed: Array<{old: HolderRef; known: 'public-key' | 'certificate'}>;
}

export interface RotationDestruction {
  what: 'domain-file' | 'wrapping-key';
  text: string;
  holder?: {index: number; name?: string};
  certFingerprint?: string;
  file?: string;
  sha256?: string;
}

export interface RotationState {
  newHolders: NewHolder[];
  /** Set when the new holders are chosen. */
  change?: RotationChange;
  destroy?: RotationDestruction[];
  required?: number;
  writing?: boolean;
  /** The new file, written and checked, and its holders as they prove their keys. */
  to?: {domain: DomainSummary; holders: HolderStatus[]};
  /** Every new share being checked against the new domain. */
  checking?: boolean;
  /** What that check found: holders whose key opened a share that agrees, and the rest. */
  proof?: {proven: number[]; unproven: Array<{holderIndex: number; reason: string}>};
}

export type RotationEvent =
  | {type: 'new-holder-added'; holder: NewHolder}
  | {type: 'new-holder-refused'; message: string}
  | {type: 'new-holder-dropped'; certFingerprint: string}
  | {type: 'new-holders-chosen'; change: RotationChange; destroy: RotationDestruction[]}
  | {type: 'choose-quorum'; required: number}
  | {type: 'rewrap-started'}
  | {type: 'rewrap-failed'; message: string}
  | {type: 'rewrapped'; domain: DomainSummary}
  | {
      type: 'new-shares-checked';
      proven: number[];
      unproven: Array<{holderIndex: number; reason: string}>;
      reportKey: string | null;
    };
