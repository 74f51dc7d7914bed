/**
 * One of the store's files: a conf file (mode 0600), validated with zod on every read; a
 * damaged one is set aside (`<file>.corrupt-<timestamp>`) with a warning and reads as empty;
 * every write is a read-modify-write under the store's lock.
 */
import {renameSync} from 'node:fs';
import Conf from 'conf';
import type {z} from 'zod';
import {inputError} from '../errors.js';

type Loaded<T> = {ok: true; value: T} | {ok: false; reason: string};

export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'it does not match the expected format';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'the top level';
  return `it does not match the expected format (${where}: ${issue.message})`;
}

function timestampForName(at: number): string {
  return new Date(at).toISOString().replace(/[:.]/g, '-');
}

/** What a file needs of the store it belongs to: its warnings and its lock. */
export interface StoreOwner {
  readonly warnings: string[];
  locked<T>(fn: () => T): T;
}

/** One conf file, validated on every read. */
export class StoreFile<S extends z.ZodType<Record<string, unknown>>> {
  readonly conf: Conf<Record<string, unknown>>;
  private problem: string | undefined;

  constructor(
    private readonly owner: StoreOwner,
    readonly label: string,
    configName: string,
    private readonly schema: S,
    cwd: string | undefined,
  ) {
    try {
      this.conf = this.makeConf(configName, cwd);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      const where = cwd ?? 'the sd-drill config folder';
      throw inputError('store-unreadable', `${where}: cannot open the ${label} (${code})`, cwd);
    }
  }

  private makeConf(configName: string, cwd: string | undefined): Conf<Record<string, unknown>> {
    return new Conf<Record<string, unknown>>({
      projectName: 'sd-drill',
      projectSuffix: '',
      configName,
      ...(cwd ? {cwd} : {}),
      configFileMode: 0o600,
      accessPropertiesByDotNotation: false,
      // conf calls this for every read; a damaged file is noted here and set aside by read().
      deserialize: (text: string) => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          this.problem = 'it is not valid JSON';
          return {};
        }
        const parsed = this.schema.safeParse(json);
        if (!parsed.success) {
          this.problem = describeZodError(parsed.error);
          return {};
        }
        return parsed.data;
      },
    });
  }

  get path(): string {
    return this.conf.path;
  }

  private readOnce(): Loaded<z.infer<S>> {
    this.problem = undefined;
    let raw: Record<string, unknown>;
    try {
      raw = this.conf.store;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw inputError(
        'store-unreadable',
        `${this.path}: cannot read the ${this.label} (${code})`,
        this.path,
      );
    }
    if (this.problem !== undefined) return {ok: false, reason: this.problem};
    // A missing file reads as {}: the schema's defaults make it an empty store.
    const parsed = this.schema.safeParse({...raw});
    if (!parsed.success) return {ok: false, reason: describeZodError(parsed.error)};
    return {ok: true, value: parsed.data};
  }

  private setAside(reason: string): void {
    const aside = `${this.path}.corrupt-${timestampForName(Date.now())}`;
    try {
      renameSync(this.path, aside);
      this.owner.warnings.push(
        `${this.path}: the ${this.label} could not be used because ${reason}; set aside as ${aside}, starting afresh`,
      );
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return; // another process set it aside first
      throw inputError(
        'store-unwritable',
        `${this.path}: the ${this.label} is damaged (${reason}) and could not be set aside (${code ?? 'unknown error'})`,
        this.path,
      );
    }
  }

  private empty(): z.infer<S> {
    return this.schema.parse({});
  }

  /** The file's content; a damaged file is set aside (under the lock) and reads as empty. */
  read(): z.infer<S> {
    const first = this.readOnce();
    if (first.ok) return first.value;
    return this.owner.locked(() => {
      const again = this.readOnce();
      if (again.ok) return again.value;
      this.setAside(again.reason);
      return this.empty();
    });
  }

  /** Read-modify-write under the lock; the caller holds the lock or gets it here. */
  update(change: (current: z.infer<S>) => z.infer<S>): void {
    this.owner.locked(() => {
      const current = this.readOnce();
      if (!current.ok) this.setAside(current.reason);
      const next = this.schema.parse(change(current.ok ? current.value : this.empty()));
      try {
        this.conf.store = next;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
        throw inputError(
          'store-unwritable',
          `${this.path}: cannot write the ${this.label} (${code})`,
          this.path,
        );
      }
    });
  }
}
