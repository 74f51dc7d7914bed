/**
 * `sd-drill restore-blob`: what `az keyvault security-domain restore-blob` does, offline and
 * stricter. Opens an Azure security-domain file with a quorum of wrapping keys, proves the
 * combined secret against every data blob, and writes the upload payload for the recovering
 * HSM's exchange key — never over an existing file.
 *
 * Key-file problems (unreadable, wrong passphrase, not a holder, key and certificate mixed up)
 * stop the command: the operator can fix the command line. A share in the file that does not
 * authenticate is only a warning while enough other shares remain: the operator cannot fix
 * the file, and a real recovery must still go ahead.
 */
import {lstatSync} from 'node:fs';
import {resolve} from 'node:path';
import {checkError, unwrap, usageError} from '../errors.js';
import type {BadShare, BlobDigest, OpenedShare, PresentedKey} from '../domain/format.js';
import {
  loadCertificate,
  siblingCertificatePaths,
  type LoadedCertificate,
} from '../domain/key-file.js';
import {loadPrivateKey} from '../domain/key-unlock.js';
import {readPassphraseSource} from '../fs/read-file.js';
import {writeFileAtomic} from '../fs/atomic-write.js';
import {readAzureDomain} from '../domain/azure/reader.js';
import {loadExchangeKey} from '../domain/azure/exchange-key.js';
import {buildRestoreBlob, parseRestoreBlob, uploadCommand} from '../domain/azure/restore-blob.js';
import {wipe} from '../secret.js';
import {out, printJson, refuseExistingOut, warn} from './io.js';

export interface RestoreBlobOptions {
  sd: string;
  exchangeKey: string;
  key: string[];
  passphraseFile?: string;
  out: string;
  json?: boolean;
}

export interface RestoreBlobReport {
  format: 'azure';
  sd: string;
  required: number;
  total: number;
  exchangeKey: {file: string; x5t256: string};
  keys: Array<{
    file: string;
    holder: number;
    x5t256: string;
    by: string;
    certificate?: string;
    certMissing: boolean;
  }>;
  usedHolders: number[];
  badShares: BadShare[];
  blobs: BlobDigest[];
  out: string;
  warnings: string[];
}

/** Splits a passphrase file into one Buffer per line (CRLF tolerated), without strings. */
export function splitPassphrases(bytes: Buffer): Buffer[] {
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const lines: Buffer[] = [];
  for (let i = start; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      let end = i;
      if (end > start && bytes[end - 1] === 0x0d) end--;
      lines.push(Buffer.from(bytes.subarray(start, end)));
      start = i + 1;
    }
  }
  // A final newline ends the last line; it does not start an empty one.
  if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0a) lines.pop();
  return lines;
}

/**
 * Writes the restore blob (0600) atomically and never over a file: writeFileAtomic, which also
 * works on FAT and exFAT sticks, where there are no hard links.
 */
export function writeNewFile(path: string, data: string): void {
  const written = writeFileAtomic(path, data, {mode: 0o600});
  if (written.ok) return;
  if (written.error.reason === 'exists') refuseExistingOut(path, 'restore-blob');
  throw written.error;
}

function findCertificate(keyFile: string): LoadedCertificate | undefined {
  for (const candidate of siblingCertificatePaths(keyFile)) {
    try {
      lstatSync(candidate);
    } catch {
      continue;
    }
    return unwrap(loadCertificate(candidate));
  }
  return undefined;
}

const short = (x5t: string) => `${x5t.slice(0, 8)}…${x5t.slice(-4)}`;

/**
 * Runs the whole restore offline. Warnings go to `onWarning` as they arise (so they are seen
 * even when a later step fails) and into the report.
 */
export async function runRestoreBlob(
  options: RestoreBlobOptions,
  onWarning: (line: string) => void = () => {},
): Promise<RestoreBlobReport> {
  const warnings: string[] = [];
  const note = (line: string) => {
    warnings.push(line);
    onWarning(line);
  };
  const uncounted: string[] = [];
  const outPath = resolve(options.out);
  refuseExistingOut(outPath, 'restore-blob');

  const domain = unwrap(readAzureDomain(options.sd));
  const exchange = unwrap(loadExchangeKey(options.exchangeKey));
  const {required} = domain;
  if (options.key.length < required) {
    throw checkError(
      'quorum-not-met',
      `${required} wrapping keys are required to recover ${options.sd}; ${options.key.length} given`,
    );
  }

  let passphrases: Buffer[] = [];
  if (options.passphraseFile) {
    const bytes = unwrap(readPassphraseSource(options.passphraseFile));
    passphrases = splitPassphrases(bytes);
    wipe(bytes);
  }
  const presented: PresentedKey[] = [];
  const opened: OpenedShare[] = [];
  let reconstructed: ReturnType<typeof domain.reconstruct> | undefined;
  try {
    if (passphrases.slice(options.key.length).some((p) => p.length > 0)) {
      throw usageError(
        'passphrase-count',
        `${options.passphraseFile}: has ${passphrases.length} lines for ${options.key.length} --key files; give one line per key, in order (an empty line for an unencrypted key)`,
      );
    }
    for (const [i, file] of options.key.entries()) {
      const passphrase = passphrases[i];
      const key = unwrap(await loadPrivateKey(file, passphrase?.length ? passphrase : undefined));
      if (!key.encrypted && passphrase?.length) {
        note(`${file}: is not encrypted; its passphrase line (${i + 1}) was ignored`);
      }
      const twin = presented.find((p) => p.key.spkiFingerprint === key.spkiFingerprint);
      if (twin) {
        uncounted.push(
          `${file}: is the same wrapping key as ${twin.key.file}; one key is one holder, counted once`,
        );
        note(uncounted[uncounted.length - 1] ?? '');
        continue;
      }
      const certificate = findCertificate(file);
      presented.push(certificate ? {key, certificate} : {key});
    }
  } finally {
    wipe(...passphrases);
  }

  const keys: RestoreBlobReport['keys'] = [];
  try {
    for (const p of presented) {
      const share = domain.openShare(p);
      if (!share.ok) {
        if (share.error.kind !== 'check') throw share.error;
        uncounted.push(share.error.message);
        note(share.error.message);
        continue;
      }
      opened.push(share.value);
      const also = share.value.match.alsoOpens ?? [];
      if (also.length > 0)
        note(
          `${p.key.file} opens the shares of holders ${[share.value.holder.index, ...also].join(' and ')}: the domain wraps them to one key (duplicate-wrapping-key); it counts for one holder`,
        );
      const {holder, match} = share.value;
      keys.push({
        file: p.key.file,
        holder: holder.index,
        x5t256: domain.thumbprint(holder.index) ?? '',
        by: match.by,
        ...(p.certificate ? {certificate: p.certificate.file} : {}),
        certMissing: match.certMissing,
      });
    }
    reconstructed = domain.reconstruct(opened);
  } finally {
    opened.forEach((s) => wipe(s.secret));
  }
  if (!reconstructed.ok) {
    const {error} = reconstructed;
    if (error.reason === 'quorum-not-met' && uncounted.length > 0) {
      throw checkError(error.reason, `${error.message} (${uncounted.join('; ')})`, error.file);
    }
    throw error;
  }
  const domainResult = reconstructed.value;
  domainResult.notes.forEach(note);
  for (const b of domainResult.badShares) {
    note(`holder ${b.holderIndex}${b.file ? ` (${b.file})` : ''}: ${b.reason}`);
  }

  let payload: string;
  try {
    const blobs = unwrap(domainResult.decryptBlobs());
    try {
      payload = buildRestoreBlob(blobs, exchange);
    } finally {
      blobs.forEach((b) => wipe(b.plaintext));
    }
  } finally {
    domainResult.wipe();
  }

  // Check what we are about to write: structure, exchange thumbprint, tags in order.
  const check = parseRestoreBlob(outPath, payload);
  const tags = domain.blobs.map((b) => b.tag).join(',');
  if (
    !check.ok ||
    check.value.x5t256 !== exchange.x5t256 ||
    check.value.blobs.map((b) => b.tag).join(',') !== tags
  ) {
    throw new Error('the restore blob built does not match its inputs');
  }
  writeNewFile(outPath, payload);

  return {
    format: 'azure',
    sd: options.sd,
    required,
    total: domain.shares.length,
    exchangeKey: {file: options.exchangeKey, x5t256: exchange.x5t256},
    keys,
    usedHolders: domainResult.usedHolders,
    badShares: domainResult.badShares,
    blobs: domainResult.evidence.blobs,
    out: outPath,
    warnings,
  };
}

function printHuman(report: RestoreBlobReport): void {
  out(`Security domain ${report.sd}: Azure, ${report.required} of ${report.total} holders`);
  for (const k of report.keys) {
    const how =
      k.by === 'certificate'
        ? `matched by certificate ${k.certificate ?? ''}`
        : `matched by trial decryption${k.certMissing ? ' (no certificate beside the key)' : ` (certificate ${k.certificate ?? ''} is not listed in the file)`}`;
    out(`  ${k.file} → holder ${k.holder} (x5t_256 ${short(k.x5t256)}), ${how}`);
  }
  out(
    `Reconstructed with holders ${report.usedHolders.join(', ')}; every data blob authenticates.`,
  );
  const width = Math.max(...report.blobs.map((b) => b.tag.length));
  for (const b of report.blobs) {
    out(`  ${b.tag.padEnd(width)}  ${String(b.bytes).padStart(6)} bytes  sha256 ${b.sha256}`);
  }
  out(
    `Restore blob written to ${report.out} for exchange key x5t_256 ${report.exchangeKey.x5t256}`,
  );
  out(`Upload it with: ${uploadCommand(report.out)}`);
}

/** `sd-drill restore-blob` (registered in ./register-domain.ts). */
export async function restoreBlobAction(options: RestoreBlobOptions): Promise<void> {
  const report = await runRestoreBlob(options, warn);
  if (options.json) printJson(report);
  else printHuman(report);
}
