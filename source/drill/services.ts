/**
 * The drill's report and store services, shared by the TUI and the plan runner: the report
 * is built from the session's final state, signed when the domain was reconstructed, written
 * atomically, and recorded in history. Then every secret the session held is wiped.
 */
import {readdirSync} from 'node:fs';
import {join} from 'node:path';
import type {CeremonyState, Custodian} from '../ceremony/types.js';
import {timeline} from '../ceremony/timeline.js';
import {detectDomainFile} from '../domain/open.js';
import {buildReport, newDrillId, recordFromReport, type DrillReport} from '../report/build.js';
import {renderTimelineChart} from '../report/chart.js';

export interface ChartOptions {
  width?: number;
  ascii?: boolean;
}
import {findingsFor} from '../report/findings.js';
import {writeReport} from '../report/write.js';
import {openStore, type Store} from '../store/store.js';
import {identityOf, type DomainIdentity, type DomainPin} from '../store/pins.js';
import {recordRetirements} from './uses/rotation-records.js';
import {proofRecords} from '../proof/record.js';
import {proofDomainOf, type HolderProofRecord} from '../store/proofs.js';
import type {Stick} from '../media/stick.js';
import type {DrillSession, ProvenSet} from './session.js';

declare const SD_DRILL_VERSION: string;
const toolVersion = typeof SD_DRILL_VERSION === 'string' ? SD_DRILL_VERSION : '0.0.0-dev';

export interface FinishResult {
  report?: DrillReport;
  paths?: {markdown: string; json: string};
  error?: string;
}

export class ReportService {
  readonly store: Store;
  constructor(
    readonly reportDir: string,
    store?: Store,
  ) {
    this.store = store ?? openStore();
  }

  findings(state: CeremonyState) {
    const settings = this.store.settings();
    return findingsFor(state, {
      now: Date.now(),
      history: this.store.drills(),
      registry: this.store.registry(),
      settings: {reviewDays: settings.reviewDays, rtoMinutes: settings.rtoMinutes},
      ...this.proofContext(state),
    });
  }

  /** Each holder's last proof, and how the proofs name this domain (holder-unproven). */
  private proofContext(state: CeremonyState): {proofs: HolderProofRecord[]; proofDomain?: string} {
    const proofs = this.store.proofs();
    const domain = state.domain ? proofDomainOf(state.domain, proofs.commitments) : undefined;
    return {proofs: proofs.holders, ...(domain ? {proofDomain: domain} : {})};
  }

  /** The pins a session checks its reconstruction against. */
  pins = (): DomainPin[] => this.store.pins();

  /**
   * A passing, signed drill of a domain on record adds what it learnt (a new file of it) to
   * its record. A domain with no record here is pinned only when a person said so after the
   * pass (`identity.firstPin`): trust on first use is a decision, not a side effect. A
   * rotation's new file is linked only once every new holder has proven their key (`next`).
   */
  private pin(report: DrillReport, next: DomainIdentity | undefined): void {
    // A compromise rehearsal's report is signed by the new domain this ceremony made.
    const to = report.compromise?.to;
    if (to) return this.pinNewDomain(report, to);
    const d = report.scope.domain;
    const id = report.identity;
    if (report.verdict !== 'pass' || !report.proof.signed || !d || !id || id.mismatch) return;
    // A practice domain (onboarding) is thrown away when the drill ends: nothing to pin.
    if (report.scope.mode === 'onboarding') return;
    if (id.recorded === false && id.firstPin?.pinned !== true) return;
    const key = report.proof.publicKey;
    const identity = identityOf({
      ...d,
      holders: d.holders.map((h) => ({certFingerprint: h.fingerprint})),
      reportKey: id.pinnedBy === 'header' ? key : null,
    });
    const source = identity.headerKey ? 'header' : 'first-use';
    const r = this.store.recordPin(identity, key, `drill ${report.id}`, source);
    if (!r.ok)
      process.stderr.write(
        `sd-drill: warning: the domain's key was not pinned: ${r.error.message}\n`,
      );
    if (!next) return;
    const linked = this.store.recordPin(next, key, `rotation in drill ${report.id}`, 'rotation');
    if (!linked.ok)
      process.stderr.write(
        `sd-drill: warning: the new domain file was not linked to its domain: ${linked.error.message}\n`,
      );
  }

  /**
   * A passing, signed drill's proofs go into the store: each reconstruction's commitments
   * (under the report key it derived) and the holders it proved.
   */
  private recordProofs(report: DrillReport, proven: readonly ProvenSet[]): void {
    if (report.verdict !== 'pass' || !report.proof.signed) return;
    for (const {set, reportKey} of proven) {
      const {commitments, holders} = proofRecords(set, {
        // A rotation's report is of two files: the new one is named by its own path.
        label:
          report.scope.domain?.name ??
          (set.fileSha256 !== null && set.fileSha256 === report.rotation?.to?.sha256
            ? report.rotation.to.file
            : report.scope.domain?.file) ??
          set.domain,
        reportKey,
        at: report.endedAt,
        by: report.scope.mode === 'rotation' ? 'rotation' : 'drill',
        ref: report.id,
      });
      const r = this.store.recordProofs(commitments, holders);
      if (!r.ok)
        process.stderr.write(
          `sd-drill: warning: the drill's proofs were not recorded: ${r.error.message}\n`,
        );
    }
  }

  /**
   * A passing compromise rehearsal's new domain: its header's key, pinned for it. No question is
   * asked: this ceremony made the domain in front of its operator, from fresh randomness.
   */
  private pinNewDomain(
    report: DrillReport,
    to: NonNullable<DrillReport['compromise']>['to'],
  ): void {
    if (report.verdict !== 'pass' || !report.proof.signed || !to) return;
    const identity = identityOf({
      format: 'native',
      file: to.file,
      name: to.name,
      id: to.id,
      sha256: to.sha256,
      reportKey: to.reportKey,
      holders: to.holders.map((h) => ({certFingerprint: h.fingerprint})),
    });
    const r = this.store.recordPin(
      identity,
      report.proof.publicKey,
      `drill ${report.id}`,
      'header',
    );
    if (!r.ok)
      process.stderr.write(
        `sd-drill: warning: the new domain's key was not pinned: ${r.error.message}\n`,
      );
  }

  registered(): Map<string, string> {
    return new Map(this.store.registry().map((r) => [r.fingerprint, `${r.custodian}, ${r.role}`]));
  }

  /** The registry as the ceremony asks it: certificate fingerprint → custodian and role. */
  registry(): Map<string, Custodian> {
    return new Map(
      this.store.registry().map((r) => [r.fingerprint, {name: r.custodian, role: r.role}]),
    );
  }

  /** The report screen's timeline, `width` columns at most (ASCII bars for plain terminals). */
  chart(state: CeremonyState, {width = 76, ascii = false}: ChartOptions = {}): string[] {
    return renderTimelineChart(timeline(state, Date.now()), width, {ascii});
  }

  /** Builds, signs (on a pass), writes and records the report; wipes the session's secrets. */
  finish(session: DrillSession): FinishResult {
    const state = session.getState();
    try {
      if (!state.domain) return {error: 'no domain was loaded; nothing to report'};
      // Already written (a signal at the report screen, say): one drill, one report.
      if (state.report) return {paths: {...state.report}};
      const now = session.now();
      const settings = this.store.settings();
      // A compromise rehearsal's report is signed by the new HSM's domain, not the old one.
      const secret =
        state.mode === 'compromise' ? session.compromise.signingSecret : session.domainSecret;
      const report = buildReport({
        state,
        id: newDrillId(now),
        now,
        toolVersion,
        history: this.store.drills(),
        registry: this.store.registry(),
        settings: {reviewDays: settings.reviewDays, rtoMinutes: settings.rtoMinutes},
        ...this.proofContext(state),
        ...(secret ? {domainSecret: secret} : {}),
        // A compromise rehearsal's report is signed by the new domain's key: it vouches for no
        // share of the old one.
        commitments: state.mode === 'compromise' ? [] : session.commitmentSets,
      });
      session.wipeSecrets();
      const written = writeReport(this.reportDir, report);
      if (!written.ok) return {report, error: written.error.message};
      const recorded = this.store.recordDrill(recordFromReport(report, written.value));
      if (!recorded.ok)
        process.stderr.write(
          `sd-drill: warning: the drill was not added to history: ${recorded.error.message}\n`,
        );
      this.pin(report, session.rotation.provenIdentity);
      this.recordProofs(report, session.provenSets);
      recordRetirements(this.store, report);
      session.dispatch({
        type: 'report-saved',
        markdown: written.value.markdown,
        json: written.value.json,
      });
      return {report, paths: written.value};
    } finally {
      session.wipeSecrets();
    }
  }
}

/** Security-domain files at the top level of the sticks present (for the load screen). */
export function domainCandidates(sticks: Stick[]): string[] {
  const found: string[] = [];
  for (const stick of sticks) {
    let names: string[];
    try {
      names = readdirSync(stick.path).filter((n) => n.toLowerCase().endsWith('.json'));
    } catch {
      continue;
    }
    for (const n of names.slice(0, 20)) {
      const file = join(stick.path, n);
      if (detectDomainFile(file)) found.push(file);
    }
  }
  return found;
}
