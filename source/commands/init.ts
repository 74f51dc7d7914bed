import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {usageError, unwrap} from '../errors.js';
import {
  loadCertificate,
  parseCertificate,
  shortFingerprint,
  type LoadedCertificate,
} from '../domain/key-file.js';
import {makeHolderKeyPair, privateKeyPem} from '../domain/make-key.js';
import {writeFileAtomic} from '../fs/atomic-write.js';
import {provisionNativeDomain} from '../hsm/provision.js';
import {MAX_HOLDERS, MAX_INVENTORY_KEYS, MIN_HOLDERS} from '../limits.js';
import {wipe} from '../secret.js';
import {out, warn} from './io.js';
import {readPassphraseFile} from '../domain/passphrase-file.js';
import {makeDirs} from '../fs/make-dirs.js';

export interface InitOptions {
  out: string;
  holders?: string;
  quorum: string;
  holderNames?: string;
  keys: string;
  keyBits: string;
  passphraseFile?: string;
  passphrase: boolean;
  cert: string[];
  name: string;
  force?: boolean;
}

function int(value: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(value))
    throw usageError('bad-number', `${flag} must be a whole number (got "${value}")`);
  const n = Number(value);
  if (n < min || n > max)
    throw usageError('out-of-range', `${flag} must be between ${min} and ${max} (got ${n})`);
  return n;
}

const HOLDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function holderNames(options: InitOptions, count: number): string[] {
  if (!options.holderNames) return Array.from({length: count}, (_, i) => `holder-${i + 1}`);
  const names = options.holderNames.split(',').map((s) => s.trim());
  if (names.length !== count)
    throw usageError(
      'names-count',
      `--holder-names lists ${names.length} names for ${count} holders`,
    );
  for (const n of names) {
    if (!HOLDER_NAME.test(n))
      throw usageError(
        'bad-name',
        `holder name "${n}" may use letters, digits, ".", "_" and "-" only`,
      );
  }
  if (new Set(names).size !== names.length)
    throw usageError('dup-name', '--holder-names repeats a name');
  return names;
}

function progress(label: string): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((done / total) * 100);
    if (pct === last) return;
    last = pct;
    if (process.stderr.isTTY)
      process.stderr.write(`\r${label} ${done}/${total} (${pct}%)${done === total ? '\n' : ''}`);
    else if (done === total || pct % 25 === 0) process.stderr.write(`${label} ${done}/${total}\n`);
  };
}

async function init(options: InitOptions): Promise<number> {
  const keyCount = int(options.keys, '--keys', 0, MAX_INVENTORY_KEYS);
  const bits = int(options.keyBits, '--key-bits', 2048, 4096);
  if (![2048, 3072, 4096].includes(bits))
    throw usageError('bad-bits', '--key-bits must be 2048, 3072 or 4096');
  const fromCerts = options.cert.length > 0;
  if (fromCerts && options.holders)
    throw usageError(
      'conflict',
      "give either --holders N (generate keys) or --cert FILE … (holders' own keys), not both",
    );
  if (!fromCerts && !options.holders)
    throw usageError(
      'no-holders',
      'give --holders N to generate keys, or --cert FILE for each holder',
    );
  const total = fromCerts
    ? options.cert.length
    : int(options.holders ?? '', '--holders', MIN_HOLDERS, MAX_HOLDERS);
  if (total < MIN_HOLDERS || total > MAX_HOLDERS) {
    throw usageError(
      'holders-range',
      `a security domain needs ${MIN_HOLDERS} to ${MAX_HOLDERS} holders (got ${total})`,
    );
  }
  const required = int(options.quorum, '--quorum', 2, total);
  const names = holderNames(options, total);
  if (!fromCerts && options.passphrase && !options.passphraseFile) {
    throw usageError(
      'no-passphrase-choice',
      'give --passphrase-file F (one line per holder) or --no-passphrase for practice keys',
    );
  }
  const sdFile = join(options.out, 'security-domain.json');
  if (existsSync(sdFile) && !options.force) {
    throw usageError(
      'exists',
      `${sdFile}: already exists; refusing to overwrite it (use another --out or --force)`,
    );
  }

  let passphrases: Buffer[] = [];
  if (!fromCerts && options.passphraseFile) {
    passphrases = unwrap(readPassphraseFile(options.passphraseFile));
    if (passphrases.length < total || passphrases.slice(0, total).some((p) => p.length === 0)) {
      wipe(...passphrases);
      throw usageError(
        'passphrases',
        `${options.passphraseFile}: needs one non-empty passphrase per holder (${total} lines)`,
      );
    }
  }

  makeDirs(options.out);
  const certificates: LoadedCertificate[] = [];
  try {
    if (fromCerts) {
      for (const file of options.cert) certificates.push(unwrap(loadCertificate(file)));
      const seen = new Set<string>();
      for (const c of certificates) {
        if (seen.has(c.spkiFingerprint))
          throw usageError(
            'dup-cert',
            `${c.file}: the same key as another --cert; each holder needs their own key`,
          );
        seen.add(c.spkiFingerprint);
      }
    } else {
      if (!options.passphrase)
        warn("--no-passphrase: the holders' keys are written unencrypted — for practice only");
      process.stderr.write(`Generating ${total} RSA-${bits} wrapping keys…\n`);
      const pairs = await Promise.all(names.map((n) => makeHolderKeyPair(n, bits)));
      // Encrypted side by side on the thread pool (PBKDF2 at 600,000 iterations each).
      const pems = await Promise.all(
        pairs.map((pair, i) => privateKeyPem(pair.privateKey, passphrases[i])),
      );
      for (const [i, pair] of pairs.entries()) {
        const name = names[i] as string;
        const dir = join(options.out, 'sticks', name);
        makeDirs(dir);
        const pem = pems[i] as string;
        unwrap(
          writeFileAtomic(join(dir, `${name}.key`), pem, {mode: 0o600, overwrite: !!options.force}),
        );
        unwrap(
          writeFileAtomic(join(dir, `${name}.cer`), pair.certificatePem, {
            overwrite: !!options.force,
          }),
        );
        certificates.push(
          unwrap(parseCertificate(join(dir, `${name}.cer`), Buffer.from(pair.certificatePem))),
        );
      }
    }
  } finally {
    wipe(...passphrases);
  }

  const provisioned = unwrap(
    await provisionNativeDomain({
      out: options.out,
      hsmName: options.name,
      required,
      holders: certificates.map((certificate, i) => ({name: names[i] as string, certificate})),
      keyCount,
      overwrite: !!options.force,
      ...(keyCount >= 500 ? {onProgress: progress('Generating HSM keys')} : {}),
    }),
  );
  const {id} = provisioned;
  out(`Provisioned simulated HSM "${options.name}" (${id}) with ${provisioned.keyCount} keys.`);
  out(`Security domain: ${sdFile} — quorum ${required} of ${total}`);
  for (const [i, c] of certificates.entries()) {
    const where = fromCerts ? c.file : join(options.out, 'sticks', names[i] as string);
    out(`  ${names[i]}: ${shortFingerprint(c.certFingerprint)}  ${where}`);
  }
  if (!fromCerts)
    out("Copy each holder's folder under sticks/ onto their own USB stick, then delete it here.");
  return 0;
}

/** `sd-drill init` (registered in ./register-domain.ts). */
export async function initAction(options: InitOptions): Promise<void> {
  process.exitCode = await init(options);
}
