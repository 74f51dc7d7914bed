/**
 * `sd-drill check --import FILE… --sd SD`: the ceremony lead collects holders' attestations
 * (../proof/attestation.ts). Each must be whole (exactly the bytes `check --out` writes), for
 * this domain and generation, signed by the key of the holder it names (native: the key the
 * file lists; Azure: the certificate the file lists, carried in the attestation), and its
 * commitment must be the one on record for that holder's slot, where one is. Each that passes
 * is recorded as the holder's last proof. Exit 0 when every file passes, 1 when one does not,
 * 2 when one is not an attestation at all.
 */
import {holderLabel} from '../domain/format.js';
import {domainIdentity, generationOf, sealedDigests} from '../domain/commitment.js';
import {openDomainFile} from '../domain/open.js';
import {readSmallFileSync} from '../fs/read-file.js';
import {SdError, unwrap} from '../errors.js';
import {
  attestationSignedBy,
  MAX_ATTESTATION_BYTES,
  parseAttestation,
  type Attestation,
} from '../proof/attestation.js';
import {judge, provenanceWords, type SourcedSet} from '../proof/sources.js';
import {storeDirectory, storeExists} from '../store/location.js';
import {assertStoreTrusted} from '../store/permissions.js';
import {appendProofs, proofsFile, readProofsFile} from '../store/proofs-file.js';
import type {HolderProofRecord} from '../store/proofs.js';
import {out, printJson, warn} from './io.js';

interface Outcome {
  file: string;
  ok: boolean;
  /** 1 a failed check, 2 not an attestation. */
  code: 0 | 1 | 2;
  holder: number | null;
  line: string;
}

/** Future dates beyond this are refused: an attestation is made before it is imported. */
const CLOCK_SLACK_MS = 10 * 60 * 1000;

export function importAttestations(sd: string, files: readonly string[], json: boolean): number {
  const opened = unwrap(openDomainFile(sd));
  const desc = opened.domain.describe();
  const identity = domainIdentity(opened);
  const generation = generationOf(opened);
  if (storeExists()) assertStoreTrusted(storeDirectory());
  const onRecord = readProofsFile(proofsFile(storeDirectory()));
  if (onRecord.damaged)
    warn(
      `${proofsFile(storeDirectory())}: not read (${onRecord.damaged}); no commitment is on record from it`,
    );
  const records = onRecord.proofs.commitments;
  const header = opened.format === 'native' ? opened.domain.doc.commitments?.shares : undefined;
  const sets: SourcedSet[] = records
    .filter((r) => r.domain === identity)
    .sort((a, b) => Date.parse(a.provenAt) - Date.parse(b.provenAt))
    .map((r) => ({
      set: r,
      provenance: {source: 'store', by: r.by, at: r.provenAt, ref: r.ref, generation: r.generation},
    }));
  const sealed = sealedDigests(opened);
  const outcomes: Outcome[] = [];
  const proven: HolderProofRecord[] = [];

  const one = (file: string): Outcome => {
    const said = (code: 0 | 1 | 2, line: string, holder: number | null = null): Outcome => ({
      file,
      ok: code === 0,
      code,
      holder,
      line: `${file}: ${line}`,
    });
    const bytes = readSmallFileSync(file, MAX_ATTESTATION_BYTES, 'attestation');
    if (!bytes.ok) return said(2, bytes.error.message.replace(`${file}: `, ''));
    const parsed = parseAttestation(bytes.value);
    if (!parsed.ok)
      return said(/bytes are not/.test(parsed.error) ? 1 : 2, `refused: ${parsed.error}`);
    const a: Attestation = parsed.value;
    if (a.domain.identity !== identity)
      return said(1, `is for another domain (${a.domain.label}), not ${sd}`);
    if (a.domain.generation !== generation)
      return said(
        1,
        `is for generation ${a.domain.generation} of this domain; ${sd} is generation ${generation}`,
      );
    const holder = desc.holders[a.holder.index - 1];
    if (!holder || holder.certFingerprint !== a.holder.certFingerprint)
      return said(
        1,
        `names holder ${a.holder.index} with a certificate ${sd} does not list for that holder`,
      );
    const signed = attestationSignedBy(a, holder);
    if (signed === 'bad')
      return said(
        1,
        'its signature does not verify: it was changed after it was signed',
        holder.index,
      );
    if (signed === 'other-key')
      return said(
        1,
        `is signed by a key that is not ${holderLabel(holder)}'s${opened.format === 'azure' && !a.signer.certificate ? ' (an Azure holder must sign with their certificate beside the key)' : ''}`,
        holder.index,
      );
    if (Date.parse(a.at) > Date.now() + CLOCK_SLACK_MS)
      return said(1, `is dated ${a.at}, in the future by this machine's clock`, holder.index);
    const slot = {domain: identity, generation, index: holder.index, sealed};
    const fromHeader = header?.[holder.index - 1]?.sha256;
    const verdict = judge(a.commitment, slot, sets);
    const differs =
      verdict.kind === 'differs' || (fromHeader !== undefined && fromHeader !== a.commitment);
    if (differs)
      return said(
        1,
        `${holderLabel(holder)}'s key opened a share that is not the one on record for their slot: their copy of the file is not this one, or was changed — check it with them`,
        holder.index,
      );
    proven.push({
      domain: identity,
      label: (desc.name ?? desc.file).slice(0, 300),
      holder: holder.index,
      fingerprint: holder.certFingerprint,
      at: a.at,
      by: 'attestation',
      ref: null,
    });
    const against =
      verdict.kind === 'match'
        ? provenanceWords(verdict.provenance)
        : fromHeader !== undefined
          ? "the share the file's header commits to"
          : undefined;
    return said(
      0,
      against
        ? `${holderLabel(holder)} proved their key on ${a.at.slice(0, 10)}: it opens ${against}`
        : `${holderLabel(holder)} proved their key on ${a.at.slice(0, 10)}; no commitment is on record here to compare their share with, so this proves the key, not the share`,
      holder.index,
    );
  };

  for (const file of files) outcomes.push(one(file));
  let problem: string | undefined;
  if (proven.length > 0) {
    try {
      for (const w of appendProofs(null, proven)) warn(w);
    } catch (error) {
      if (!(error instanceof SdError)) throw error;
      problem = error.message;
    }
  }
  const refused = outcomes.filter((o) => !o.ok).length;
  if (json)
    printJson({
      ok: refused === 0,
      recorded: problem ? 0 : proven.length,
      attestations: outcomes.map(({file, ok, holder, line}) => ({file, ok, holder, line})),
      ...(problem ? {error: problem} : {}),
    });
  else {
    for (const o of outcomes) out(`${o.ok ? '✓' : '✗'} ${o.line}`);
    out(
      problem
        ? `Not recorded: ${problem}`
        : proven.length > 0
          ? `Recorded ${proven.length} holder proof${proven.length === 1 ? '' : 's'} in ${storeDirectory()}.`
          : 'Nothing recorded.',
    );
  }
  if (refused > 0)
    process.stderr.write(
      `sd-drill: ${refused} of ${outcomes.length} attestation${outcomes.length === 1 ? '' : 's'} refused (each is named above)\n`,
    );
  return Math.max(problem ? 2 : 0, ...outcomes.map((o) => o.code));
}
