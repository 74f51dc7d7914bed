/**
 * Builds the drill report from the ceremony's state: the journal gives the timeline, the
 * holders the participants, the policy rules the findings. A passing drill's report is signed
 * with the key derived from the reconstructed domain secret; any other report says why not.
 */
import {randomBytes} from 'node:crypto';
import {resolve} from 'node:path';
import {timeline} from '../ceremony/timeline.js';
import type {CeremonyState, HolderStatus} from '../ceremony/types.js';
import {normaliseFingerprint, type DrillRecord, type RegistryEntry} from '../store/schema.js';
import {drillEndedAt, findingsFor, recommendationsFrom} from './findings.js';
import {
  REPORT_SCHEMA_VERSION,
  objectivesFor,
  type DrillReport,
  type Participant,
  type Proof,
} from './model.js';
import {deriveReportKey, MIN_SECRET_BYTES, signBytes, signedBytes} from './proof.js';
import {rotationSection} from './rotation.js';
import {compromiseSection} from './compromise.js';

export interface BuildReportInput {
  state: CeremonyState;
  /** The drill's id: names the report files (`drill-<id>.json`); see `newDrillId`. */
  id: string;
  now: number;
  toolVersion: string;
  history: DrillRecord[];
  registry: RegistryEntry[];
  settings: {reviewDays: number; rtoMinutes: number};
  /** The reconstructed domain secret, to sign a passing drill's report. Not wiped here. */
  domainSecret?: Buffer;
}

/** A drill id that sorts by time and is safe in a file name: `20250301-101500-3f9a1c`. */
export function newDrillId(now: number = Date.now()): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

const iso = (at: number): string => new Date(at).toISOString();

function participates(h: HolderStatus): boolean {
  return (
    h.state !== 'waiting' ||
    h.custodian !== undefined ||
    h.stick !== undefined ||
    h.passphraseFailures > 0 ||
    h.remote !== undefined
  );
}

function participant(h: HolderStatus, registry: readonly RegistryEntry[]): Participant {
  const reg = h.custodian
    ? undefined
    : registry.find((r) => r.fingerprint === normaliseFingerprint(h.certFingerprint));
  return {
    holderIndex: h.index,
    holderName: h.name ?? null,
    fingerprint: h.certFingerprint,
    bits: h.bits ?? null,
    custodian: h.custodian?.name ?? reg?.custodian ?? null,
    role: h.custodian?.role ?? reg?.role ?? null,
    custodianSource: h.custodian
      ? h.custodian.from === 'registry'
        ? 'confirmed'
        : h.custodian.from === 'practice'
          ? 'practice'
          : 'drill'
      : reg
        ? 'registry'
        : null,
    keyFile: h.file ?? null,
    stick: h.stick
      ? {
          path: h.stick.path,
          label: h.stick.label,
          source: h.stick.source,
          removable: h.stick.removable,
          device: h.stick.device,
        }
      : null,
    presentedAt: h.presentedAt !== undefined ? iso(h.presentedAt) : null,
    // A holder still at the machine when the drill ended did not finish presenting.
    outcome: h.state === 'presenting' ? 'waiting' : h.state,
    passphraseFailures: h.passphraseFailures,
    certMissing: h.certMissing ?? null,
    matchedBy: h.matchedBy ?? null,
    note: h.note ?? null,
    ...remoteFields(h),
  };
}

/** A holder called remotely (and not then accepted at the machine): the contribution, if any. */
function remoteFields(h: HolderStatus): Pick<Participant, 'remote' | 'contribution'> {
  const r = h.remote;
  if (!r || (h.state === 'accepted' && r.state !== 'accepted')) return {};
  return {
    remote: true,
    contribution:
      r.state === 'accepted' && r.contributionSha256 && r.acceptedAt !== undefined
        ? {sha256: r.contributionSha256, acceptedAt: iso(r.acceptedAt)}
        : null,
  };
}

function identityOfState(
  id: NonNullable<CeremonyState['identity']>,
): NonNullable<DrillReport['identity']> {
  const {firstPin, recorded, ...rest} = id;
  return {
    ...rest,
    ...(recorded !== undefined ? {recorded} : {}),
    ...(firstPin ? {firstPin: {pinned: firstPin.pinned, at: iso(firstPin.at)}} : {}),
  };
}

function unsignedReason(input: BuildReportInput): string {
  const outcome = input.state.outcome;
  if (!outcome) return 'the drill ended before a verdict, so there is no proof of recovery';
  if (outcome.verdict === 'aborted')
    return `the drill was aborted (${outcome.reason}), so there is no proof of recovery`;
  if (outcome.verdict === 'fail')
    return `the drill failed (${outcome.reason}), so there is no proof of recovery`;
  if (!input.domainSecret) return 'no reconstructed domain secret was given to sign with';
  return 'the reconstructed domain secret was too short to derive a signing key from';
}

/** The report for a drill; signed when the drill passed and the domain secret is given. */
export function buildReport(input: BuildReportInput): DrillReport {
  const {state, now} = input;
  const d = state.domain;
  const endedAt = drillEndedAt(state, now);
  const findings = findingsFor(state, {
    now,
    history: input.history,
    registry: input.registry,
    settings: input.settings,
    drillId: input.id,
  });
  const steps = timeline(state, endedAt).map((s) => ({...s}));
  const report: DrillReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: {name: 'sd-drill', version: input.toolVersion},
    id: input.id,
    generatedAt: iso(now),
    startedAt: iso(state.startedAt),
    endedAt: iso(endedAt),
    durationMs: Math.max(0, endedAt - state.startedAt),
    scope: {
      domain: d
        ? {
            format: d.format,
            file: d.file,
            name: d.name ?? null,
            id: d.id ?? null,
            created: d.created ?? null,
            quorum: {required: d.required, total: d.total},
            sha256: d.sha256 ?? null,
            generation: d.generation ?? null,
            ...(d.encDataSha256 ? {encDataSha256: d.encDataSha256} : {}),
            holders: d.holders.map((h) => ({
              index: h.index,
              name: h.name ?? null,
              fingerprint: h.certFingerprint,
              bits: h.bits ?? null,
            })),
          }
        : null,
      mode: state.mode ?? null,
      scenario: state.scenario ?? null,
      newHsm: state.hsm.recovery
        ? {id: state.hsm.recovery.id, exchangeFingerprint: state.hsm.recovery.exchangeFingerprint}
        : null,
      ...(state.hsm.target ? {exchangeCertificate: {...state.hsm.target}} : {}),
      newcomer: state.newcomer
        ? {holder: state.newcomer.holder, certFingerprint: state.newcomer.certFingerprint}
        : null,
    },
    objectives: objectivesFor(state.mode ?? null, d?.required ?? null, d?.total ?? null, d?.format),
    participants: state.holders.filter(participates).map((h) => participant(h, input.registry)),
    timeline: steps,
    findings,
    recommendations: recommendationsFrom(findings),
    verdict: state.outcome?.verdict ?? 'aborted',
    verdictReason: state.outcome?.reason ?? 'the drill ended before a verdict was reached',
    reconstruction: state.reconstruction
      ? {
          ok: state.reconstruction.ok,
          usedHolders: [...state.reconstruction.usedHolders],
          badShares: state.reconstruction.badShares.map((b) => ({...b})),
          message: state.reconstruction.message ?? null,
        }
      : null,
    restore: state.restore
      ? {
          keysExpected: state.restore.keysExpected,
          keysRestored: state.restore.keysRestored,
          canaries: {...state.restore.canaries},
          blobs: state.restore.blobs.map((b) => ({tag: b.tag, bytes: b.bytes, sha256: b.sha256})),
          restoreBlobFile: state.restore.restoreBlobFile ?? null,
          ...(state.restore.restoreBlob ? {restoreBlob: {...state.restore.restoreBlob}} : {}),
          verified: state.restore.verified,
          mismatched: [...state.restore.mismatched],
        }
      : null,
    identity: state.identity ? identityOfState(state.identity) : null,
    ...(state.mode === 'rotation'
      ? {rotation: rotationSection(state, input.id, input.registry)}
      : {}),
    ...(state.mode === 'compromise'
      ? {
          compromise: compromiseSection(
            state,
            input.id,
            input.registry,
            steps,
            input.settings.rtoMinutes,
          ),
        }
      : {}),
    proof: {signed: false, reason: 'unsigned'},
  };
  const secret = input.domainSecret;
  const canSign =
    state.outcome?.verdict === 'pass' && secret !== undefined && secret.length >= MIN_SECRET_BYTES;
  if (!canSign || !secret) {
    report.proof = {signed: false, reason: unsignedReason(input)};
    return report;
  }
  const key = deriveReportKey(secret);
  // A compromise rehearsal's report is the new domain's: signed only with the key its header pins.
  const newKey = report.compromise?.to?.reportKey;
  if (state.mode === 'compromise' && key.publicKey !== newKey) {
    report.proof = {
      signed: false,
      reason: "the key given to sign with is not the new security domain's report key",
    };
    return report;
  }
  const unsigned: Proof = {
    signed: true,
    algorithm: 'Ed25519',
    publicKey: key.publicKey,
    signature: '',
  };
  report.proof = unsigned;
  const signature = signBytes(key, signedBytes(report));
  report.proof = {...unsigned, signature};
  return report;
}

/** The history record for a drill whose report was written to `files`. */
export function recordFromReport(
  report: DrillReport,
  files: {markdown: string; json: string} | null,
): DrillRecord {
  // A passing compromise rehearsal is its new HSM's domain's first drill (the report is signed
  // with its key; its reviews count from here); one that did not pass is the old domain's.
  const to = report.verdict === 'pass' ? report.compromise?.to : undefined;
  const d = to ?? report.scope.domain;
  return {
    id: report.id,
    domainId: d?.id ?? null,
    domainFile: d ? resolve(d.file) : '',
    domainName: d?.name ?? null,
    date: report.endedAt,
    mode: report.scope.mode,
    verdict: report.verdict,
    durationMs: report.durationMs,
    reportJson: files ? resolve(files.json) : null,
    reportMarkdown: files ? resolve(files.markdown) : null,
    publicKey: report.proof.signed ? report.proof.publicKey : null,
  };
}

export type {DrillReport} from './model.js';
