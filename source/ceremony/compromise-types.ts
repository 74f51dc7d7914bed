/**
 * The compromise rehearsal's part of the ceremony's state and events (./uses/compromise.ts).
 * Public facts only: key names, counts, identifiers, reasons — never key material or data.
 */
/** One key of the old instance's inventory, once its migration was tried. */
export interface MigratedKey {
  name: string;
  version: number;
  type: 'rsa' | 'ec' | 'aes';
  outcome: 'migrated' | 'failed';
  /** The records the old key protected, and how many were re-protected and checked. */
  records: number;
  verified: number;
  /** The new key's identifier in the new instance. */
  newKey?: string;
  reason?: string;
}

export interface CompromiseState {
  /** Holders whose sticks were reported lost: they do not present, their keys are never kept. */
  lost: number[];
  migration?: {
    total: number;
    /** The keys tried so far, in the inventory's order. */
    keys: MigratedKey[];
    /** The key in line next. */
    next?: string;
    /** Every key was tried. */
    finished?: boolean;
  };
  /** The old instance's keys were wiped: only once every key was migrated and checked. */
  purged?: boolean;
}

export type CompromiseEvent =
  | {type: 'lost-reported'; holders: number[]}
  | {type: 'migration-started'; total: number}
  | {type: 'keys-migrated'; keys: MigratedKey[]; next?: string}
  | {type: 'migration-finished'}
  | {type: 'migration-failed'; message: string}
  | {type: 'old-purged'};
