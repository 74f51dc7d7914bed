/**
 * `sd-drill rotate`: the old quorum reconstructs the domain (matched, unlocked and refused as
 * `verify` does) and the same domain is written to a new file wrapped to new holders'
 * certificates with a new quorum (the policy `init` applies). Everything is checked before
 * anything is written: the new set, the output path, the old quorum, the domain's pinned key,
 * and the new file against every pin (it is the same domain: no record may know it under
 * another key; its holders may wrap other domains too, which is said and changes nothing).
 * The new file is checked in memory, written beside nothing (never over a file), read back and
 * checked again. The old file is only read, and the store is not written: the new file is the
 * same domain id or EncData the store already knows, and its first passing drill links it.
 *
 * Then every new holder must prove their key (`verify --all`) before the old file and the
 * departed holders' keys are destroyed: until then the old file and any quorum of old keys
 * still open the domain.
 */
import {resolve} from 'node:path';
import {safeQuorum} from '../ceremony/uses/rotation.js';
import {checkError, unwrap, usageError} from '../errors.js';
import {holderLabel} from '../domain/format.js';
import {
  destructions,
  holderChange,
  newHolderName,
  oldHolderKeys,
  type HolderChange,
  type OldHolderKey,
} from '../domain/holder-change.js';
import {loadCertificate, shortFingerprint, type LoadedCertificate} from '../domain/key-file.js';
import {openDomainFile, type OpenedDomain} from '../domain/open.js';
import {writeRewrapped, type NewHolder} from '../domain/rewrap.js';
import {MAX_HOLDERS, MIN_HOLDERS} from '../limits.js';
import {wipe} from '../secret.js';
import {identityOf, rotationPinCheck} from '../store/pins.js';
import {out, printJson, refuseExistingOut, warn} from './io.js';
import {storePins} from './store-pins.js';
import {collectShares, reconstructWithQuorum} from './quorum.js';
import {recordReconstruction} from '../proof/record.js';

export interface RotateOptions {
  sd: string;
  key: string[];
  passphraseFile?: string;
  cert: string[];
  quorum: string;
  out: string;
  holderNames?: string;
  lowerQuorum?: boolean;
  json?: boolean;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function quorumOf(value: string, total: number): number {
  if (!/^\d+$/.test(value))
    throw usageError('bad-number', `--quorum must be a whole number (got "${value}")`);
  const m = Number(value);
  if (m < 2 || m > total)
    throw usageError(
      'quorum-range',
      `--quorum ${m} is not possible with ${total} new holders: it must be from 2 to ${total}`,
    );
  return m;
}

/** The new set, checked as `init` checks it: 3..10 RSA ≥ 2048 keys, each key once. */
function newCertificates(files: readonly string[]): LoadedCertificate[] {
  if (files.length < MIN_HOLDERS || files.length > MAX_HOLDERS)
    throw usageError(
      'holders-range',
      `a security domain needs ${MIN_HOLDERS} to ${MAX_HOLDERS} holders: give ${MIN_HOLDERS} to ${MAX_HOLDERS} --cert files (got ${files.length})`,
    );
  const certs = files.map((f) => unwrap(loadCertificate(f)));
  for (const [i, c] of certs.entries()) {
    const twin = certs.slice(0, i).find((x) => x.spkiFingerprint === c.spkiFingerprint);
    if (twin)
      throw usageError(
        'dup-cert',
        `${c.file}: is the same key as ${twin.file}; each new holder needs their own key (one key is one holder)`,
      );
  }
  return certs;
}

function names(options: RotateOptions, certs: LoadedCertificate[], old: OldHolderKey[]): string[] {
  if (options.holderNames) {
    const given = options.holderNames.split(',').map((n) => n.trim());
    if (given.length !== certs.length)
      throw usageError(
        'names-count',
        `--holder-names lists ${given.length} names for ${certs.length} certificates`,
      );
    const bad = given.find((n) => !NAME.test(n));
    if (bad !== undefined)
      throw usageError(
        'bad-name',
        `holder name "${bad}" may use letters, digits, ".", "_" and "-"`,
      );
    return given;
  }
  return certs.map((c, i) => {
    const kept = old.find(
      (o) => o.certFingerprint === c.certFingerprint || o.spkiFingerprint === c.spkiFingerprint,
    );
    return newHolderName(c.subject, i + 1, kept?.name);
  });
}

/** Microsoft's documented path: the HSM itself writes a new file for the same certificates. */
export function azDownloadCommand(certFiles: readonly string[], m: number, out: string): string {
  const q = (s: string) => (/^[\w./:@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return `az keyvault security-domain download --hsm-name <HSM-NAME> --sd-wrapping-keys ${certFiles.map(q).join(' ')} --sd-quorum ${m} --security-domain-file ${q(out)}`;
}

/**
 * A new quorum below the safe one (the current quorum, never below 3 where the new holders
 * allow) weakens the real domain: refused before any key is opened, unless --lower-quorum says
 * it is meant — as the TUI asks y before it takes one.
 */
function loweredQuorum(
  from: {required: number; total: number},
  required: number,
  total: number,
  options: RotateOptions,
): {from: number; to: number; current: number} | undefined {
  const safe = safeQuorum(from.required, total);
  if (required >= safe) return undefined;
  if (!options.lowerQuorum) {
    const below =
      required < from.required
        ? `lower than the current quorum, ${from.required} of ${from.total}`
        : `below the ${safe} the domain document recommends (the current quorum is ${from.required} of ${from.total})`;
    throw usageError(
      'quorum-lowered',
      `--quorum ${required} is ${below}: fewer holders could open the domain; give --quorum ${safe} or more, or add --lower-quorum if ${required} of ${total} is meant`,
    );
  }
  return {from: safe, to: required, current: from.required};
}

async function rotate(options: RotateOptions): Promise<number> {
  if (options.key.length === 0)
    throw usageError('no-keys', "give the old quorum's keys: --key FILE for each");
  const outPath = resolve(options.out);
  refuseExistingOut(outPath, 'rotate');
  const certs = newCertificates(options.cert);
  const required = quorumOf(options.quorum, certs.length);
  const opened = unwrap(openDomainFile(options.sd));
  const from = opened.domain.describe();
  const lowered = loweredQuorum(from, required, certs.length, options);
  const collected = await collectShares(opened, options.key, options.passphraseFile);
  const quorum = await reconstructWithQuorum(opened, collected, options.sd);
  const rec = quorum.reconstructed;
  try {
    if (quorum.failure || !rec)
      throw (
        quorum.failure ?? checkError('quorum-not-met', 'the old quorum did not open the domain')
      );
    // The old quorum proved its shares (and keys): recorded, then no longer needed.
    const recorded = await recordReconstruction(opened, collected.shares, rec, {
      at: new Date().toISOString(),
      by: 'rotate',
      ref: null,
    });
    if (recorded.warning) warn(recorded.warning);
    for (const s of collected.shares) wipe(s.secret);
    const old = oldHolderKeys(
      from.holders,
      (i) => collected.matched.find((m) => m.holder === i)?.spkiFingerprint,
    );
    const holderNames = names(options, certs, old);
    const holders: NewHolder[] = certs.map((certificate, i) => ({
      name: holderNames[i] as string,
      certificate,
    }));
    const pinned = rotationPinCheck(
      identityOf({
        ...from,
        sha256: null,
        holders: certs.map((c) => ({certFingerprint: c.certFingerprint})),
      }),
      rec.reportKey,
      await storePins(),
    );
    if (!pinned.ok) throw checkError('domain-key-mismatch', pinned.message, options.sd);
    const written = unwrap(
      writeRewrapped({old: opened, reconstructed: rec, holders, required}, outPath),
    );
    const change = holderChange(
      old,
      certs.map((c, i) => ({
        index: i + 1,
        name: holderNames[i] as string,
        certFingerprint: c.certFingerprint,
        spkiFingerprint: c.spkiFingerprint,
      })),
    );
    const to = written.opened.domain.describe();
    const destroy = destructions(
      {file: from.file, ...(opened.sha256 ? {sha256: opened.sha256} : {}), required: from.required},
      change,
    );
    const az = from.format === 'azure' ? azDownloadCommand(options.cert, required, outPath) : null;
    if (options.json) {
      printJson({
        ok: true,
        format: from.format,
        from: {
          file: from.file,
          sha256: opened.sha256 ?? null,
          required: from.required,
          total: from.total,
        },
        to: {
          file: outPath,
          sha256: written.sha256,
          required: to.required,
          total: to.total,
          generation: to.generation ?? null,
        },
        reportKey: rec.reportKey,
        blobs: rec.evidence.blobs,
        holders: changeJson(change),
        quorumLowered: lowered ?? null,
        destroy,
        azDownload: az,
        notes: pinned.notes,
      });
      return 0;
    }
    printHuman({from, to, outPath, sha256: written.sha256, change, destroy, az, rec, certs});
    if (lowered)
      out(
        `Warning: the quorum was lowered (--lower-quorum) from ${lowered.current} of ${from.total} to ${lowered.to} of ${to.total}, below the ${lowered.from} offered: fewer holders, or fewer lost keys, now open the domain. Write it into the quorum policy, or rotate again.`,
      );
    for (const note of pinned.notes) out(`Note: ${note}.`);
    return 0;
  } finally {
    rec?.wipe();
    for (const s of collected.shares) wipe(s.secret);
  }
}

function changeJson(change: HolderChange) {
  const key = (h: {index: number; name?: string; certFingerprint: string}) => ({
    holder: h.index,
    name: h.name ?? null,
    fingerprint: h.certFingerprint,
  });
  return {
    kept: change.kept.map((k) => ({from: key(k.old), to: key(k.next), by: k.by})),
    added: change.added.map(key),
    departed: change.departed.map((d) => ({...key(d.old), knownBy: d.known})),
  };
}

function printHuman(r: {
  from: ReturnType<OpenedDomain['domain']['describe']>;
  to: ReturnType<OpenedDomain['domain']['describe']>;
  outPath: string;
  sha256: string;
  change: HolderChange;
  destroy: ReturnType<typeof destructions>;
  az: string | null;
  rec: {reportKey: string; evidence: {blobs: Array<{tag: string; bytes: number; sha256: string}>}};
  certs: LoadedCertificate[];
}): void {
  const {from, to, change} = r;
  out(
    `Rotated ${from.file} (${from.format}${from.name ? `, ${from.name}` : ''}, quorum ${from.required} of ${from.total})`,
  );
  out(
    `     to ${r.outPath} (quorum ${to.required} of ${to.total}${to.generation ? `, generation ${to.generation}` : ''}, sha256 ${r.sha256})`,
  );
  for (const k of change.kept)
    out(
      `  kept:     ${holderLabel(k.old)} → new ${holderLabel(k.next)} [${shortFingerprint(k.next.certFingerprint)}] (same ${k.by === 'certificate' ? 'certificate' : 'public key'})`,
    );
  for (const a of change.added)
    out(`  added:    new ${holderLabel(a)} [${shortFingerprint(a.certFingerprint)}]`);
  for (const d of change.departed)
    out(
      `  departed: ${holderLabel(d.old)} [${shortFingerprint(d.old.certFingerprint)}]${d.known === 'certificate' ? ' (by certificate: its key was not presented)' : ''}`,
    );
  out(
    `The new file holds the same domain: report key ${r.rec.reportKey}; its blobs open as before:`,
  );
  for (const b of r.rec.evidence.blobs) out(`  ${b.tag}: ${b.bytes} bytes, sha256 ${b.sha256}`);
  out('Next, in this order:');
  out(
    `  1. Every new holder proves their key opens their share: sd-drill verify --all --sd ${r.outPath} --key … (all ${to.total})`,
  );
  out(
    '  2. Only then destroy, and record each destruction with `sd-drill custody add` — until they are gone, the old file and any quorum of old keys still open the domain:',
  );
  for (const d of r.destroy) out(`     - ${d.text}`);
  if (r.az) {
    out(
      'If your policy wants the file from the HSM itself, have it wrap the domain to the same certificates (a fresh master key and shares; audit that file with verify --all too):',
    );
    out(`  ${r.az}`);
  }
}

/** `sd-drill rotate` (registered in ./register-domain.ts). */
export async function rotateAction(options: RotateOptions): Promise<void> {
  process.exitCode = await rotate(options);
}
