/**
 * Shared pieces of the hardening battery: throw-away folders, the demo domain copied where a
 * test may damage it, the CLI run against a private store, and the leak scan every test ends
 * with (test/helpers/leaks.ts: a secret in plain text, hex, base64 or base64url, in any output
 * or file).
 */
import {spawn, spawnSync} from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {bundle, demoDir, demoPassphrase, fixturesDir, repoRoot} from '../helpers/paths.js';
import {tempDir} from '../helpers/temp.js';
import {
  cleanErrorProblems,
  runCliAsync,
  type CliResult,
  type RunOptions,
} from '../helpers/run-cli.js';

export {demoDir, demoKey, demoPassphrase, demoSd} from '../helpers/paths.js';
export const DEMO_HOLDERS = ['alice', 'bob', 'carol', 'dave', 'erin'] as const;

export const azureDir = join(fixturesDir, 'azure');
export const azureSd = join(azureDir, 'security-domain.json');
export const AZURE_PASSPHRASE = 'drill-passphrase';
export const azureExchange = join(azureDir, 'exchange', 'exchange.pem');
/** The Azure fixture's two holder keys, as `--key` arguments (their passphrases not included). */
export const AZURE_KEY_ARGS = ['holder1', 'holder2'].flatMap((h) => [
  '--key',
  join(azureDir, 'holders', `${h}.pem`),
]);
export const azurePassphraseFile = join(azureDir, 'passphrases.txt');

/** `restore-blob` of the Azure fixture with its two holders' keys, the blob written to `out`. */
export function azureRestoreBlobArgs(out: string, passphraseFile = azurePassphraseFile): string[] {
  return [
    'restore-blob',
    ...['--sd', azureSd, '--exchange-key', azureExchange, ...AZURE_KEY_ARGS],
    ...['--passphrase-file', passphraseFile, '--out', out],
  ];
}

export {filesUnder} from '../helpers/files.js';
export {leaks, leaksInFiles, secret, verbatim, type Secret} from '../helpers/leaks.js';

/** A throw-away folder, removed when the test (or, made outside one, the file) is done. */
export function tmp(label: string): string {
  return tempDir(`hardening-${label}`);
}

/**
 * What a clean refusal looks like (see cleanErrorProblems) with the exit code expected,
 * naming the culprit and saying what is wrong.
 */
export function refusalProblems(
  r: CliResult,
  expected: {code: number; names: string; says?: RegExp},
): string[] {
  const problems = cleanErrorProblems(r.stderr);
  if (r.code !== expected.code) problems.push(`exit ${r.code}, expected ${expected.code}`);
  if (!r.stderr.includes(expected.names)) problems.push(`stderr does not name ${expected.names}`);
  if (expected.says && !expected.says.test(r.stderr))
    problems.push(`stderr does not say ${String(expected.says)}`);
  return problems.map((p) => `${p} — stderr: ${r.stderr.trim().slice(0, 300)}`);
}

/** The CLI against a private store (never the user's), optionally as another user. */
export function cli(
  args: readonly string[],
  options: RunOptions & {store: string},
): Promise<CliResult> {
  const {store, ...rest} = options;
  return runCliAsync(args, {...rest, env: {SD_DRILL_CONFIG_DIR: store, ...rest.env}});
}

/**
 * Tests run as root here, and root reads a chmod 000 file anyway. Such tests run the CLI as
 * `nobody` instead (from a copy of the bundle nobody can read); as any other user they run
 * it as that user.
 */
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const NOBODY = 65534;

/** True when every folder from / down to `dir` lets other users through (o+x). */
function othersCanReach(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/**
 * Where `nobody` can reach a folder: the temp dir, or /tmp when the temp dir is private (a
 * TMPDIR made with mktemp -d is 0700). Undefined when neither is; the test then says so.
 */
export const othersTempBase: string | undefined = isRoot
  ? [tmpdir(), '/tmp'].find((d) => {
      try {
        return othersCanReach(d);
      } catch {
        return false;
      }
    })
  : tmpdir();

/** A throw-away folder `nobody` can reach (see othersTempBase, which must be defined). */
export function tmpForOthers(label: string): string {
  if (othersTempBase === undefined) throw new Error('no temp folder other users can reach');
  const dir = tempDir(`hardening-${label}`, othersTempBase);
  chmodSync(dir, 0o755);
  return dir;
}

export function runAsUnprivileged(args: readonly string[], cwd: string): CliResult {
  let entry = bundle;
  if (isRoot) {
    // The entry and the chunks it imports (the build's ES modules), readable by anyone.
    const dir = tmpForOthers('bundle');
    entry = join(dir, 'sd-drill.js');
    copyFileSync(bundle, entry);
    cpSync(join(dirname(bundle), 'chunks'), join(dir, 'chunks'), {recursive: true});
    openToOthers(dir);
  }
  const store = tmpForOthers('nobody-store');
  if (isRoot) chmodSync(store, 0o777);
  const r = spawnSync(process.execPath, [entry, ...args], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: store,
      SD_DRILL_CONFIG_DIR: store,
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      CI: '1',
    },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
    ...(isRoot ? {uid: NOBODY, gid: NOBODY} : {}),
  });
  return {code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? ''};
}

/** Opens a folder tree to other users (for runAsUnprivileged): dirs 0755, files 0644. */
export function openToOthers(dir: string): void {
  chmodSync(dir, 0o755);
  for (const e of readdirSync(dir, {withFileTypes: true})) {
    const p = join(dir, e.name);
    if (e.isDirectory()) openToOthers(p);
    else if (e.isFile()) chmodSync(p, 0o644);
  }
}

/** The demo domain and its sticks copied to `dir`, with one passphrase file per holder. */
export function copyDemo(dir: string): {
  sd: string;
  key: (holder: string) => string;
  passFile: (holder: string) => string;
} {
  cpSync(demoDir, dir, {recursive: true});
  mkdirSync(join(dir, 'pass'), {recursive: true});
  for (const h of DEMO_HOLDERS)
    writeFileSync(join(dir, 'pass', `${h}.txt`), `${demoPassphrase(h)}\n`);
  return {
    sd: join(dir, 'security-domain.json'),
    key: (h) => join(dir, 'sticks', h, `${h}.key`),
    passFile: (h) => join(dir, 'pass', `${h}.txt`),
  };
}

export interface PlanParticipant {
  custodian: string;
  role: string;
  key: string;
  passphraseFile?: string;
}

/** Writes a drill plan (paths relative to it, as an operator writes them). */
export function writePlan(
  file: string,
  plan: {
    domain: string;
    participants: PlanParticipant[];
    reportDir: string;
    scenario?: string;
    mode?: string;
    pinFirstUse?: boolean;
  },
): string {
  writeFileSync(file, JSON.stringify({scenario: 'purged', ...plan}, null, 2));
  return file;
}

/**
 * The demo copied to `dir` (copyDemo) with `dir/plan.json`: alice, bob and carol present with
 * their passphrase files, the reports going to `reportDir`. Returns the plan's path.
 */
export function demoPlan(
  dir: string,
  reportDir: string,
  extra: {pinFirstUse?: boolean} = {},
): string {
  copyDemo(dir);
  return writePlan(join(dir, 'plan.json'), {
    ...extra,
    domain: 'security-domain.json',
    reportDir,
    participants: ['alice', 'bob', 'carol'].map((h) => ({
      custodian: `${h} custodian`,
      role: 'holder',
      key: `sticks/${h}/${h}.key`,
      passphraseFile: `pass/${h}.txt`,
    })),
  });
}

/** A child `sd-drill ARGS…` that a test can signal. */
export interface Spawned {
  pid: number;
  signal(signal: NodeJS.Signals): void;
  done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, [bundle, ...args], {
    cwd: repoRoot,
    env: {...process.env, FORCE_COLOR: '0', NO_COLOR: '1', CI: '1', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return {
    pid: child.pid ?? -1,
    signal: (s) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(s);
    },
    done: new Promise((resolve) => {
      child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}));
    }),
  };
}

/** True when the JSON file parses (a half-written file would not). */
export function parses(file: string): boolean {
  try {
    JSON.parse(readFileSync(file, 'utf8'));
    return true;
  } catch {
    return false;
  }
}
