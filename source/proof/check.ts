/**
 * The solo check: one holder, alone and offline, learns whether their key and passphrase open
 * their share of a domain file, and whether that share is the one a quorum last proved — by
 * comparing its commitment (../domain/commitment.ts) with the ones on record (./sources.ts):
 * this machine's store, a signed report, the file's own header (native version 3). The share
 * is wiped as soon as its commitment is taken; nothing secret is written anywhere.
 *
 * A place on record counts only under a key the domain is pinned by (./anchor.ts): a report
 * or a header signed by a forger's key does not. The `verify` of the whole domain stays the
 * quorum's: a solo check proves one share, not that the rest of the file is intact.
 */
import {type Holder, holderLabel} from '../domain/format.js';
import type {LoadedCertificate, LoadedKey} from '../domain/key-file.js';
import {loadPrivateKey} from '../domain/key-unlock.js';
import {findCertificateBeside} from '../domain/present-key.js';
import {headerCommitmentsVerify} from '../domain/native/commitments.js';
import {
  domainIdentity,
  generationOf,
  sealedDigests,
  shareCommitment,
  type CommitmentSet,
} from '../domain/commitment.js';
import type {OpenedDomain} from '../domain/open.js';
import {fail, ok, type Result, type SdError} from '../errors.js';
import type {DrillReport} from '../report/model.js';
import {wipe} from '../secret.js';
import type {CommitmentRecord} from '../store/proofs.js';
import {anchorsFor, type Anchor, type PinContext} from './anchor.js';
import {
  judge,
  provenanceWords,
  rank,
  type Provenance,
  type SourcedSet,
  type Verdict,
} from './sources.js';
import {reportSets} from './report-sets.js';

export type CheckFailure =
  | 'wrong-passphrase'
  | 'not-a-holder'
  | 'share-damaged'
  | 'share-differs'
  | 'no-commitment'
  | 'superseded'
  | 'report-not-valid'
  | 'header-not-valid'
  | 'key-mismatch';

export interface CheckInput extends PinContext {
  opened: OpenedDomain;
  keyFile: string;
  /** Owned and wiped by the caller. */
  passphrase?: Buffer;
  /** A report given with --report, read and schema-checked (its raw JSON for the signature). */
  report?: {file: string; raw: unknown; report: DrillReport};
  /** The store's commitment sets. */
  commitments: readonly CommitmentRecord[];
}

export interface CheckResult {
  ok: boolean;
  domain: {file: string; format: 'native' | 'azure'; label: string; identity: string};
  generation: number;
  holder?: Holder;
  /** The commitment of the share the key opened: public (a hash), for the attestation. */
  commitment?: string;
  /** Every place on record that agrees, strongest first. */
  matched: Provenance[];
  /** What the commitments counted under: see ./anchor.ts. */
  anchors: Anchor[];
  failure?: {reason: CheckFailure; message: string};
  /** Worth saying beside the result (an older file, an anchor only the file gives). */
  notes: string[];
  /** The one line that says it all. */
  line: string;
}

/** The unlocked key and its certificate: an attestation is signed with them (./attestation.ts). */
export interface Signer {
  key: LoadedKey;
  certificate?: LoadedCertificate;
}

type Opened =
  | {kind: 'opened'; holder: Holder; commitment: string; signer: Signer}
  | {kind: 'failed'; reason: CheckFailure; message: string};

/** Loads the key, finds its holder, opens their share and takes its commitment. */
async function openOwnShare(input: CheckInput): Promise<Result<Opened>> {
  const {opened, keyFile} = input;
  const file = opened.domain.describe().file;
  // The key's derivation runs off the main thread (../domain/key-unlock.ts).
  const key = await loadPrivateKey(keyFile, input.passphrase);
  if (!key.ok) {
    if (key.error.reason !== 'wrong-passphrase') return key;
    const message = `the passphrase does not open ${keyFile}: check your passphrase record (a key whose passphrase is lost is a lost key)`;
    return ok<Opened>({kind: 'failed', reason: 'wrong-passphrase', message});
  }
  const beside = findCertificateBeside(keyFile).certificate;
  const certificate =
    beside && beside.spkiFingerprint === key.value.spkiFingerprint ? beside : undefined;
  const match = opened.domain.matchKey({key: key.value, ...(certificate ? {certificate} : {})});
  if (!match) {
    const total = opened.domain.describe().total;
    const unsure =
      opened.format === 'azure' && !certificate
        ? ' (with no certificate beside it, a key whose own share was changed looks the same: bring its .cer to tell)'
        : '';
    return ok<Opened>({
      kind: 'failed',
      reason: 'not-a-holder',
      message: `${keyFile} opens no share of ${file}: it is not one of its ${total} holders' keys — a stranger's key, another domain's, or a key replaced since the file was made${unsure}`,
    });
  }
  const share = opened.domain.openShare({key: key.value, ...(certificate ? {certificate} : {})});
  if (!share.ok) return damaged(share.error, keyFile, file, match.holder);
  try {
    const slot = {
      domain: domainIdentity(opened),
      generation: generationOf(opened),
      index: share.value.holder.index,
    };
    return ok<Opened>({
      kind: 'opened',
      holder: share.value.holder,
      commitment: shareCommitment(slot, share.value.secret),
      signer: {key: key.value, ...(certificate ? {certificate} : {})},
    });
  } finally {
    wipe(share.value.secret);
  }
}

function damaged(error: SdError, keyFile: string, file: string, holder: Holder): Result<Opened> {
  if (error.kind === 'input' && !/unwrap|cek/.test(error.reason)) return fail(error);
  // Native shares carry their own x: the slot opened, but holds another holder's share.
  if (error.reason === 'share-corrupt')
    return ok<Opened>({
      kind: 'failed',
      reason: 'share-differs',
      message: `your key opens the sealed share in the slot of ${holderLabel(holder)} in ${file}, but it is not their share (it is another holder's): the slot was swapped — the file must not be trusted; use a backup copy and tell the ceremony lead`,
    });
  return ok<Opened>({
    kind: 'failed',
    reason: 'share-damaged',
    message: `${keyFile} is the key of ${holderLabel(holder)}, but their sealed share in ${file} does not open with it: the share was changed or damaged after it was sealed — do not trust this file; check a backup copy of it`,
  });
}

/** The store's sets for this domain, as sources. */
function storeSets(records: readonly CommitmentRecord[], domain: string): SourcedSet[] {
  return records
    .filter((r) => r.domain === domain)
    .sort((a, b) => Date.parse(a.provenAt) - Date.parse(b.provenAt))
    .map((r) => ({
      set: r,
      provenance: {source: 'store', by: r.by, at: r.provenAt, ref: r.ref, generation: r.generation},
    }));
}

/** The native header's commitments as one set, once its signature and key have been checked. */
function headerSet(opened: OpenedDomain, identity: string): CommitmentSet | undefined {
  if (opened.format !== 'native' || !opened.domain.doc.commitments) return undefined;
  const doc = opened.domain.doc;
  const sealed = sealedDigests(opened);
  return {
    domain: identity,
    format: 'native',
    generation: doc.domain.generation ?? 0,
    fileSha256: opened.sha256 ?? null,
    shares: doc.commitments!.shares.map((c) => ({
      holder: c.holder,
      fingerprint: doc.holders[c.holder - 1]?.certFingerprint ?? '',
      sealed: sealed.get(c.holder) ?? '',
      commitment: c.sha256,
    })),
  };
}

/**
 * Checks the holder's key and share against every place on record. On a pass, `signer` holds
 * the unlocked key (for an attestation); it is never written or shown.
 */
export async function soloCheck(
  input: CheckInput,
): Promise<Result<{result: CheckResult; signer?: Signer}>> {
  const {opened} = input;
  const desc = opened.domain.describe();
  const identity = domainIdentity(opened);
  const generation = generationOf(opened);
  const base: CheckResult = {
    ok: false,
    domain: {file: desc.file, format: desc.format, label: desc.name ?? desc.file, identity},
    generation,
    matched: [],
    anchors: [],
    notes: [],
    line: '',
  };
  const failed = (
    reason: CheckFailure,
    message: string,
    extra: Partial<CheckResult> = {},
  ): Result<{result: CheckResult}> =>
    ok({result: {...base, ...extra, failure: {reason, message}, line: message}});

  // The places on record, each checked before its word counts.
  const verdicts: Array<{verdict: Verdict; where: string}> = [];
  const sources: Array<{sets: SourcedSet[]; where: string}> = [];
  if (input.report) {
    const r = reportSets(input.report, opened, input);
    if (!r.ok) return failed(r.reason, r.message);
    base.anchors.push(...r.anchors);
    sources.push({sets: r.sets, where: input.report.file});
  }
  const header = headerSet(opened, identity);
  if (header && opened.format === 'native') {
    if (!headerCommitmentsVerify(opened.domain.doc))
      return failed(
        'header-not-valid',
        `${desc.file}: the holders' share commitments in its header do not verify under the report key it pins: the header was changed after init or a rotation wrote it — do not trust this file`,
      );
    const key = opened.domain.doc.domain.reportKey ?? '';
    const anchors = anchorsFor(key, opened, input);
    if (!anchors.ok) return failed('key-mismatch', `${desc.file}: ${anchors.message}`);
    base.anchors.push(...anchors.anchors);
    sources.push({
      sets: [
        {
          set: header,
          provenance: {source: 'header', by: 'written', at: null, ref: null, generation},
        },
      ],
      where: `the header of ${desc.file}`,
    });
  }
  // Commitments recorded under another report key are of another domain secret with this id.
  const pinned = desc.reportKey;
  const stranger = pinned
    ? input.commitments.find((r) => r.domain === identity && r.reportKey && r.reportKey !== pinned)
    : undefined;
  if (stranger)
    return failed(
      'key-mismatch',
      `${desc.file}: its header pins the report key ${pinned?.slice(0, 12)}…, but this domain's shares on record were proven under ${stranger.reportKey?.slice(0, 12)}… (${stranger.provenAt.slice(0, 10)}): one of the two files is a substitute — do not trust this one until a drill settles it`,
    );
  sources.push({sets: storeSets(input.commitments, identity), where: "this machine's store"});

  const own = await openOwnShare(input);
  if (!own.ok) return own;
  if (own.value.kind === 'failed') return failed(own.value.reason, own.value.message);
  const {holder, commitment, signer} = own.value;
  const slot = {domain: identity, generation, index: holder.index, sealed: sealedDigests(opened)};
  for (const s of sources)
    verdicts.push({verdict: judge(commitment, slot, s.sets), where: s.where});
  const found = {holder, commitment};

  const who = holderLabel(holder);
  // "holder 3's share (carol)": the issue's words, with the name where the file keeps one.
  const theirShare = `holder ${holder.index}'s share${holder.name ? ` (${holder.name})` : ''}`;
  const differs = verdicts.find((v) => v.verdict.kind === 'differs' && v.verdict.swapped);
  if (differs && differs.verdict.kind === 'differs')
    return failed(
      'share-differs',
      `your key opens ${theirShare} of ${desc.file}, but it is not ${provenanceWords(differs.verdict.provenance)} (${differs.where}): the share in that slot was swapped — the file must not be trusted; use a backup copy and tell the ceremony lead`,
      found,
    );
  const newer = input.commitments.filter((r) => r.domain === identity && r.generation > generation);
  if (opened.format === 'native' && newer.length > 0) {
    const latest = newer.sort((a, b) => b.generation - a.generation)[0] as CommitmentRecord;
    return failed(
      'superseded',
      `your key and passphrase open ${theirShare} of ${desc.file}, but that file is generation ${generation} of this domain and generation ${latest.generation} was proven on ${latest.provenAt.slice(0, 10)}: it is the file from before a rotation, which was to be destroyed — check the current file`,
      found,
    );
  }
  const matches = verdicts.flatMap((v) => (v.verdict.kind === 'match' ? [v.verdict] : []));
  if (matches.length === 0) {
    const other = verdicts.find((v) => v.verdict.kind === 'differs');
    const why =
      other && other.verdict.kind === 'differs'
        ? `every share in it differs from the file proven on ${other.verdict.provenance.at?.slice(0, 10) ?? 'record'} (${other.where}), so it is another file of this domain (rotated since?) and no proof of it is on record here`
        : `neither this machine's store${input.report ? `, ${input.report.file}` : ''} nor the file${opened.format === 'native' ? "'s header" : ''} has one${opened.format === 'native' && !header ? ` (a version ${opened.domain.doc.version} file, made before commitments)` : ''}`;
    return failed(
      'no-commitment',
      `your key and passphrase open ${theirShare} of ${desc.file}, but no commitment on record says it is the one proven: ${why}. A passing drill of this file, or \`sd-drill verify --all --sd ${desc.file}\` with every holder's key (or \`verify\` with a quorum that includes ${who}), records one${input.report ? '' : '; or check against the last drill’s signed report: --report drill-<id>.json (with --expect-key, its key on record, where this machine has none)'}`,
      found,
    );
  }
  const matched = matches.map((m) => m.provenance).sort((a, b) => rank(b) - rank(a));
  const best = matched[0] as Provenance;
  const notes: string[] = [];
  const later = matches.find((m) => m.later)?.later;
  if (later)
    notes.push(
      `a later proof (${later.at?.slice(0, 10) ?? 'undated'}${later.ref ? `, report ${later.ref}` : ''}) proved a different share for ${who}: if the domain was rotated since, this is the old file, which was to be destroyed`,
    );
  // Only the file vouches for its own key, and this machine's own record did not match.
  const unconfirmed = base.anchors.length > 0 && base.anchors.every((a) => a === 'file');
  if (unconfirmed && !matched.some((m) => m.source === 'store'))
    notes.push(
      `the report key ${opened.format === 'native' ? (opened.domain.doc.domain.reportKey ?? '') : ''} comes from the file itself and nothing on this machine confirms it: compare it with proof.publicKey in your last drill report (or give --expect-key)`,
    );
  return ok({
    result: {
      ...base,
      ...found,
      ok: true,
      matched,
      notes,
      line: `your key and passphrase open ${theirShare} of ${desc.file} — ${provenanceWords(best)}`,
    },
    signer,
  });
}

export type {Anchor} from './anchor.js';
