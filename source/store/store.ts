/**
 * The sd-drill store: drill history, the holder registry, the custody log and settings, each
 * in its own conf file (mode 0600) in one directory. Every read is validated with zod; a
 * damaged file is set aside (`<file>.corrupt-<timestamp>`) with a warning and the store goes
 * on empty, never crashing the drill. Every write is a read-modify-write under a lock file,
 * re-reading inside the lock, so concurrent sd-drill processes lose nothing.
 */
import {dirname, join} from 'node:path';
import {fail, inputError, ok, SdError, type Result} from '../errors.js';
import {withLock, type LockOptions} from './lock.js';
import {
  CustodyEntrySchema,
  CustodyFileSchema,
  DrillRecordSchema,
  HistoryFileSchema,
  HoldersFileSchema,
  RegistryEntrySchema,
  SettingsFileSchema,
  SettingsSchema,
  normaliseFingerprint,
  sameCustodian,
  type CustodyEntry,
  type CustodyInput,
  type DrillRecord,
  type RegistryEntry,
  type RegistryInput,
  type Settings,
} from './schema.js';
import {makeDirs} from '../fs/make-dirs.js';
import {describeZodError, StoreFile, type StoreOwner} from './store-file.js';
import {withPin, type DomainIdentity, type DomainPin} from './pins.js';
import {PinsFileSchema} from './pins-schema.js';
import {storeDirectory} from './location.js';
import {assertStoreTrusted} from './permissions.js';

export interface StoreOptions extends LockOptions {
  /** The store's directory; default `$SD_DRILL_CONFIG_DIR`, else the user's config dir. */
  dir?: string;
  /** Environment to read `SD_DRILL_CONFIG_DIR` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Clock for dates the store fills in (custody entries made by a registry change). */
  now?: () => number;
}

export interface Store {
  /** The directory holding the store's files. */
  readonly dir: string;
  /** Things the user should hear about, one line each (e.g. a damaged file set aside). */
  readonly warnings: string[];
  /** The store's files, for inspection (and tests that scan them). */
  files(): string[];
  /** Every recorded drill, oldest first. */
  drills(): DrillRecord[];
  /** Records a drill; a record with the same id replaces the earlier one. */
  recordDrill(record: DrillRecord): Result<void>;
  registry(): RegistryEntry[];
  /**
   * Registers (or re-registers) a wrapping key's custodian. When the key changes hands, the
   * hand-off is also added to the custody log: every change of possession is recorded.
   */
  register(entry: RegistryInput): Result<{previous: RegistryEntry | null}>;
  custody(): CustodyEntry[];
  /** Adds a hand-off to the custody log (dated now unless `date` is given). */
  addCustody(entry: Omit<CustodyInput, 'date'> & {date?: string}): Result<CustodyEntry>;
  settings(): Settings;
  updateSettings(patch: Partial<Settings>): Result<Settings>;
  /** Domains' pinned report keys (./pins.ts). */
  pins(): DomainPin[];
  /** Pins `key` for the domain `id` (a passing drill, a rotation); merges into its record. */
  recordPin(id: DomainIdentity, key: string, by: string, source: DomainPin['source']): Result<void>;
}

function asResult<T>(fn: () => T): Result<T> {
  try {
    return ok(fn());
  } catch (error) {
    if (error instanceof SdError) return fail(error);
    throw error;
  }
}

class StoreImpl implements Store, StoreOwner {
  readonly warnings: string[] = [];
  readonly dir: string;
  private readonly history: StoreFile<typeof HistoryFileSchema>;
  private readonly holders: StoreFile<typeof HoldersFileSchema>;
  private readonly custodyLog: StoreFile<typeof CustodyFileSchema>;
  private readonly settingsFile: StoreFile<typeof SettingsFileSchema>;
  private readonly pinsFile: StoreFile<typeof PinsFileSchema>;
  private readonly lockPath: string;
  private lockDepth = 0;
  private readonly now: () => number;

  constructor(private readonly options: StoreOptions) {
    const env = options.env ?? process.env;
    const explicit = options.dir ?? (env.SD_DRILL_CONFIG_DIR ? env.SD_DRILL_CONFIG_DIR : undefined);
    // Made private (0700) here, wherever it is: conf would make the default one 0777 & ~umask.
    const folder = explicit ?? storeDirectory(env);
    try {
      makeDirs(folder, 0o700);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw inputError(
        'store-unwritable',
        `${folder}: cannot create the sd-drill store folder (${code})`,
        folder,
      );
    }
    // A store others can write is no trust anchor (./permissions.ts): refused, as ssh does.
    assertStoreTrusted(folder);
    this.now = options.now ?? Date.now;
    this.history = new StoreFile(this, 'drill history', 'history', HistoryFileSchema, explicit);
    this.holders = new StoreFile(this, 'holder registry', 'holders', HoldersFileSchema, explicit);
    this.custodyLog = new StoreFile(this, 'custody log', 'custody', CustodyFileSchema, explicit);
    this.settingsFile = new StoreFile(this, 'settings', 'settings', SettingsFileSchema, explicit);
    this.pinsFile = new StoreFile(this, 'pinned domain keys', 'domains', PinsFileSchema, explicit);
    this.dir = dirname(this.history.path);
    this.lockPath = join(this.dir, 'store.lock');
  }

  /** Runs `fn` under the store's lock; re-entrant within this process. */
  locked<T>(fn: () => T): T {
    if (this.lockDepth > 0) return fn();
    return withLock(
      this.lockPath,
      () => {
        this.lockDepth++;
        try {
          return fn();
        } finally {
          this.lockDepth--;
        }
      },
      this.options,
    );
  }

  files(): string[] {
    return [this.history, this.holders, this.custodyLog, this.settingsFile, this.pinsFile].map(
      (f) => f.path,
    );
  }

  /** Reads for display never throw: an unreadable file is a warning and an empty list. */
  private safeRead<T>(read: () => T, empty: T): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof SdError)) throw error;
      this.warnings.push(error.message);
      return empty;
    }
  }

  drills(): DrillRecord[] {
    return this.safeRead(() => this.history.read().drills, []);
  }

  recordDrill(record: DrillRecord): Result<void> {
    const parsed = DrillRecordSchema.safeParse(record);
    if (!parsed.success)
      return fail(
        inputError('bad-record', `drill record refused: ${describeZodError(parsed.error)}`),
      );
    return asResult(() =>
      this.history.update((h) => ({
        ...h,
        drills: [...h.drills.filter((d) => d.id !== parsed.data.id), parsed.data],
      })),
    );
  }

  registry(): RegistryEntry[] {
    return this.safeRead(() => this.holders.read().holders, []);
  }

  register(input: RegistryInput): Result<{previous: RegistryEntry | null}> {
    const parsed = RegistryEntrySchema.safeParse({
      ...input,
      fingerprint: normaliseFingerprint(input.fingerprint),
    });
    if (!parsed.success)
      return fail(
        inputError('bad-entry', `holder registration refused: ${describeZodError(parsed.error)}`),
      );
    const entry = parsed.data;
    return asResult(() =>
      this.locked(() => {
        let previous: RegistryEntry | null = null;
        this.holders.update((h) => {
          previous = h.holders.find((x) => x.fingerprint === entry.fingerprint) ?? null;
          return {
            ...h,
            holders: [...h.holders.filter((x) => x.fingerprint !== entry.fingerprint), entry],
          };
        });
        const before = previous as RegistryEntry | null;
        if (before && !sameCustodian(before.custodian, entry.custodian)) {
          const handOff = CustodyEntrySchema.parse({
            date: new Date(this.now()).toISOString(),
            fingerprint: entry.fingerprint,
            from: before.custodian,
            to: entry.custodian,
            note: 'recorded when the holder registry changed custodian',
          });
          this.custodyLog.update((c) => ({...c, custody: [...c.custody, handOff]}));
        }
        return {previous: before};
      }),
    );
  }

  custody(): CustodyEntry[] {
    return this.safeRead(() => this.custodyLog.read().custody, []);
  }

  addCustody(input: Omit<CustodyInput, 'date'> & {date?: string}): Result<CustodyEntry> {
    const parsed = CustodyEntrySchema.safeParse({
      ...input,
      date: input.date ?? new Date(this.now()).toISOString(),
      ...(input.fingerprint ? {fingerprint: normaliseFingerprint(input.fingerprint)} : {}),
    });
    if (!parsed.success)
      return fail(
        inputError('bad-entry', `custody entry refused: ${describeZodError(parsed.error)}`),
      );
    const entry = parsed.data;
    return asResult(() => {
      this.custodyLog.update((c) => ({...c, custody: [...c.custody, entry]}));
      return entry;
    });
  }

  pins(): DomainPin[] {
    return this.safeRead(() => this.pinsFile.read().domains, []);
  }

  recordPin(
    id: DomainIdentity,
    key: string,
    by: string,
    source: DomainPin['source'],
  ): Result<void> {
    const at = new Date(this.now()).toISOString();
    return asResult(() =>
      this.pinsFile.update((f) => ({...f, domains: withPin(f.domains, id, key, at, by, source)})),
    );
  }

  settings(): Settings {
    return this.safeRead(() => this.settingsFile.read().settings, SettingsSchema.parse({}));
  }

  updateSettings(patch: Partial<Settings>): Result<Settings> {
    return asResult(() => {
      let result: Settings = SettingsSchema.parse({});
      this.settingsFile.update((s) => {
        const merged = SettingsSchema.safeParse({...s.settings, ...patch});
        if (!merged.success)
          throw inputError('bad-settings', `settings refused: ${describeZodError(merged.error)}`);
        result = merged.data;
        return {...s, settings: merged.data};
      });
      return result;
    });
  }
}

/**
 * Opens the store. A damaged file is set aside on first read and reported in `warnings`;
 * only a folder that cannot be made or opened at all throws (an SdError, exit 2).
 */
export function openStore(options: StoreOptions = {}): Store {
  return new StoreImpl(options);
}

export {storeDirectory, storeExists} from './location.js';
