/**
 * The ceremony as data: states, events and the journal. Nothing here holds a secret — shares
 * live in the drill session's vault; the state only knows that a holder's share is held.
 */
import type {DomainProblem} from '../domain/format.js';
import type {Destruction} from '../domain/holder-change.js';
import type {CompromiseEvent, CompromiseState} from './compromise-types.js';

export type {DomainProblem};
export type {CompromiseEvent, CompromiseState, MigratedKey} from './compromise-types.js';

export type Mode = 'rehearsal' | 'restore' | 'onboarding' | 'rotation' | 'compromise';
export type Scenario = 'destroyed' | 'purged' | 'archived-and-deleted';

export type Step =
  | 'start'
  | 'enrol'
  | 'load'
  | 'inspect'
  | 'disaster'
  | 'collect'
  | 'reconstruct'
  | 'restore'
  | 'enlist'
  | 'rewrap'
  | 'prove'
  | 'migrate'
  | 'report'
  | 'done';

export const STEP_TITLES: Record<Step, string> = {
  start: 'Start',
  enrol: 'Enrol',
  load: 'Load domain',
  inspect: 'Inspect',
  disaster: 'Disaster',
  collect: 'Collect shares',
  reconstruct: 'Reconstruct',
  restore: 'Restore',
  enlist: 'New holders',
  rewrap: 'New domain file',
  prove: 'Prove new keys',
  migrate: 'Migrate keys',
  report: 'Report',
  done: 'Done',
};

export interface DomainSummary {
  format: 'native' | 'azure';
  file: string;
  name?: string;
  id?: string;
  created?: string;
  required: number;
  total: number;
  holders: Array<{index: number; name?: string; certFingerprint: string; bits?: number}>;
  details: Record<string, string | number>;
  /** Problems with the file itself: two shares wrapped to one key, a damaged share. */
  problems: DomainProblem[];
  /** SHA-256 of the domain file as read. */
  sha256?: string;
  /** Native version 2: the report key pinned in the file's authenticated header. */
  reportKey?: string;
  generation?: number;
  /** Azure: SHA-256 of the file's EncData, the domain's identity in the store. */
  encDataSha256?: string;
  /**
   * The report key this machine's store pins for the domain (by its id, file or holders), for
   * its history and review dates only: a rotated file is the same domain under the same key.
   */
  knownKey?: string;
}

export interface StickInfo {
  path: string;
  label: string;
  source: 'mount' | 'folder';
  removable: boolean | null;
  device: string | null;
}

export interface Custodian {
  name: string;
  role: string;
  /**
   * How the custodian was known: typed at the machine (or given by a plan), the holder
   * registry's custodian confirmed with one key, already identified earlier in this ceremony
   * (a rotation's kept holder proving their new key), or a practice stand-in (onboarding).
   */
  from?: 'typed' | 'registry' | 'ceremony' | 'practice';
}

export type HolderState = 'waiting' | 'presenting' | 'accepted' | 'absent' | 'failed';

export interface HolderStatus {
  index: number;
  name?: string;
  certFingerprint: string;
  bits?: number;
  state: HolderState;
  /** SHA-256 of the public key whose share was accepted (one public key is one holder). */
  spkiFingerprint?: string;
  custodian?: Custodian;
  file?: string;
  stick?: StickInfo;
  presentedAt?: number;
  passphraseFailures: number;
  certMissing?: boolean;
  matchedBy?: 'certificate' | 'public-key' | 'trial-decryption';
  note?: string;
  /** A holder at another site, called with a request (./arrivals/contribution.ts). */
  remote?: RemoteStatus;
}

/** Nothing secret: the request's code and file, and the accepted contribution's digest. */
export interface RemoteStatus {
  /** `expired`: the request's time ran out with nothing accepted (a tick saw it). */
  state: 'waiting' | 'accepted' | 'expired';
  /** The request's short code, read over the phone. */
  code: string;
  requestFile: string;
  expiresAt: number;
  /** SHA-256 of the accepted contribution file. */
  contributionSha256?: string;
  acceptedAt?: number;
}

/** The holder at the machine right now. */
export interface Presenting {
  stick: StickInfo;
  file: string;
  holderIndex: number;
  encrypted: boolean;
  phase: 'acknowledge' | 'passphrase' | 'opening';
  custodian?: Custodian;
  attempts: number;
}

export type Verdict = 'pass' | 'fail' | 'aborted';

export interface DomainKeyCheck {
  reportKey: string;
  /** What pinned the key; null when it disagrees with a pin (see `mismatch`). */
  pinnedBy: 'header' | 'store' | 'first-use' | null;
  /** Why this is not the domain on record, when it is not. */
  mismatch: string | null;
  /**
   * This machine's store already has this domain under this key. When it has not, pinning the
   * key is a decision a person makes after a pass (`firstPin`), never a side effect.
   */
  recorded?: boolean;
  /** The operator's answer to "pin this domain's key?" (or a plan's `pinFirstUse`). */
  firstPin?: {pinned: boolean; at: number};
}

/**
 * The operator's real new HSM (restore mode with --exchange-key), known only by its exchange
 * certificate as `az keyvault security-domain init-recovery` wrote it.
 */
export interface ExchangeTarget {
  /** The certificate file given. */
  file: string;
  /** Its x5t#S256 (base64url of its SHA-256): the restore blob's `WrappedKey.x5t_256`. */
  x5t256: string;
  /** SHA-256 of the certificate (DER), hex. */
  sha256: string;
}

export interface RestoreSummary {
  keysExpected: number;
  keysRestored: number;
  canaries: {total: number; passed: number};
  blobs: Array<{tag: string; bytes: number; sha256: string}>;
  restoreBlobFile?: string;
  /**
   * The restore blob written for the operator's new HSM: where, its SHA-256, the exchange key
   * it is wrapped to (its WrappedKey.x5t_256), and the command that uploads it.
   */
  restoreBlob?: {file: string; sha256: string; x5t256: string; upload: string};
  verified: boolean;
  mismatched: string[];
}

export interface JournalEntry {
  at: number;
  step: Step;
  event: string;
  detail?: string;
}

export interface CeremonyState {
  step: Step;
  mode?: Mode;
  domain?: DomainSummary;
  scenario?: Scenario;
  /** The simulated HSMs: the one that is lost and the new one in recovery mode. */
  hsm: {
    old: 'active' | Scenario;
    /** The simulated HSM in recovery mode the domain is restored (or, in restore mode, rehearsed) into. */
    recovery?: {id: string; exchangeFingerprint: string};
    /** Restore mode with --exchange-key: the operator's new HSM, which the restore blob is for. */
    target?: ExchangeTarget;
  };
  holders: HolderStatus[];
  presenting?: Presenting;
  /**
   * An encrypted key with no certificate beside it: whose it is shows only once it is
   * unlocked, so its custodian types the passphrase before it is matched to a holder.
   */
  identifying?: {stick: StickInfo; file: string; attempts: number};
  /** A stick whose share was taken; it must leave before the next holder's arrives. */
  awaitingRemoval?: string;
  /** The latest thing to tell the operator inline (a refusal, a reminder). */
  notice?: {level: 'info' | 'warning' | 'error'; text: string};
  reconstruction?: {
    ok: boolean;
    usedHolders: number[];
    badShares: Array<{holderIndex: number; reason: string}>;
    message?: string;
  };
  /** Problems with the domain found while keys were presented (a key opening two shares). */
  domainProblems?: DomainProblem[];
  /** The report key the reconstruction derived, and how it stands against the pins. */
  identity?: DomainKeyCheck;
  restoreProgress?: {done: number; total: number};
  restore?: RestoreSummary;
  outcome?: {verdict: Verdict; reason: string};
  report?: {markdown: string; json: string};
  /** Onboarding: the newcomer whose own key must open their own share. */
  newcomer?: {holder: string; certFingerprint: string};
  /** Rotation: the new holders, the new file, and their proof (./uses/rotation.ts). */
  rotation?: RotationState;
  /** Compromise: what was lost, and the move of every key to the new HSM (./uses/compromise.ts). */
  compromise?: CompromiseState;
  journal: JournalEntry[];
  startedAt: number;
  lastActivity: number;
  /** Idle limit while shares are held, in ms. */
  idleLimitMs: number;
}

export type CeremonyEvent =
  | {type: 'choose-mode'; mode: Mode}
  | {type: 'enrolled'; holder: string; certFingerprint: string}
  | {type: 'domain-loaded'; domain: DomainSummary}
  | {type: 'domain-failed'; message: string}
  | {type: 'inspected'}
  | {type: 'choose-scenario'; scenario: Scenario}
  | {type: 'recovery-ready'; hsmId: string; exchangeFingerprint: string; target?: ExchangeTarget}
  | {type: 'stick-inserted'; stick: StickInfo}
  | {type: 'stick-removed'; path: string}
  | {
      type: 'key-matched';
      stick: StickInfo;
      file: string;
      holderIndex: number;
      encrypted: boolean;
      matchedBy: 'certificate' | 'public-key' | 'trial-decryption';
      certMissing: boolean;
    }
  | {type: 'key-refused'; stick: StickInfo; file?: string; message: string}
  | {type: 'key-locked'; stick: StickInfo; file: string}
  | {type: 'identify-failed'; message: string}
  | {type: 'domain-problem'; problem: DomainProblem}
  | {type: 'acknowledged'; custodian: Custodian}
  | {type: 'passphrase-submitted'}
  | {type: 'passphrase-failed'; message: string}
  | {
      type: 'share-accepted';
      holderIndex: number;
      certMissing: boolean;
      matchedBy: 'certificate' | 'public-key' | 'trial-decryption';
      /** A sealed contribution from a holder at another site (and the stick it came on). */
      remote?: {sha256: string; stickPath?: string};
      spkiFingerprint?: string;
    }
  | {
      type: 'remote-called';
      holderIndex: number;
      code: string;
      requestFile: string;
      expiresAt: number;
      /** Who the operator called (named on the ceremony's side; they are not at the machine). */
      custodian?: Custodian;
    }
  | {type: 'remote-call-failed'; holderIndex: number; message: string}
  | {type: 'contribution-refused'; message: string; stickPath?: string}
  | {type: 'share-refused'; holderIndex: number; message: string}
  | {type: 'cancel-presenting'}
  | {type: 'mark-absent'; holderIndex: number}
  | {type: 'reconstruct'}
  | {
      type: 'reconstructed';
      usedHolders: number[];
      badShares: Array<{holderIndex: number; reason: string}>;
      identity: DomainKeyCheck;
    }
  | {
      type: 'reconstruct-failed';
      message: string;
      badShares: Array<{holderIndex: number; reason: string}>;
    }
  | {type: 'restore-progress'; done: number; total: number}
  | {type: 'restored'; summary: RestoreSummary}
  | {type: 'restore-failed'; message: string}
  /** After a pass, for a domain this machine has no record of: pin its key, or not. */
  | {type: 'first-pin-decided'; pin: boolean}
  | {type: 'report-saved'; markdown: string; json: string}
  | {type: 'finish'}
  | {type: 'back'}
  | {type: 'abort'; reason: string}
  | {type: 'tick'}
  | RotationEvent
  | CompromiseEvent;

/** Every event carries the shell's clock, so the reducer stays pure. */
export type TimedEvent = CeremonyEvent & {at: number};

export const DEFAULT_IDLE_LIMIT_MS = 10 * 60 * 1000;
export const MAX_PASSPHRASE_TRIES = 3;

/**
 * The rotation's part of the ceremony's state and events (./uses/rotation.ts). Public facts
 * only — certificates, fingerprints, names, files — never a key, share or secret.
 */

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

/** Something that must be destroyed once a rotation has proved every new key. */
export type RotationDestruction = Destruction;

export interface RotationState {
  newHolders: NewHolder[];
  /** Set when the new holders are chosen. */
  change?: RotationChange;
  destroy?: RotationDestruction[];
  required?: number;
  /** A quorum chosen below the safe default (confirmed): the report's finding `quorum-lowered`. */
  lowered?: {from: number; to: number; current: number};
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
  /** `confirmed`: a quorum below the safe default, confirmed by the operator (or a reviewed plan). */
  | {type: 'choose-quorum'; required: number; confirmed?: boolean}
  | {type: 'rewrap-started'}
  | {type: 'rewrap-failed'; message: string}
  /** `notes`: other domains here whose holders the new file shares (said, never an error). */
  | {type: 'rewrapped'; domain: DomainSummary; notes?: string[]}
  | {
      type: 'new-shares-checked';
      proven: number[];
      unproven: Array<{holderIndex: number; reason: string}>;
      reportKey: string | null;
    };
