/**
 * Where the store lives, found without opening it: opening (conf) creates the folder, which
 * a command that only reads (verify, report verify) must not do on a machine with no store —
 * and loading conf costs a read-only command ~20 ms it need not pay when there is none. The
 * same place conf uses: `SD_DRILL_CONFIG_DIR`, else the user's config folder.
 */
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import envPaths from 'env-paths';

export function storeDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.SD_DRILL_CONFIG_DIR || envPaths('sd-drill', {suffix: ''}).config;
}

/** Whether there is a store to read at all. */
export const storeExists = (env: NodeJS.ProcessEnv = process.env): boolean =>
  existsSync(storeDirectory(env));

/** The store's file of pinned domain keys (conf's name for it: see StoreFile in ./store.ts). */
export const pinsFile = (env: NodeJS.ProcessEnv = process.env): string =>
  join(storeDirectory(env), 'domains.json');
