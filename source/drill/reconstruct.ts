/**
 * The session's way from the shares to the restored keys: the new HSM brought up in recovery
 * mode (./recovery.ts), the shares in the vault reconstructed into the domain and its key checked
 * against the pins, then the domain restored into the new HSM. Every use reconstructs here; a
 * rotation or a compromise rehearsal goes on from the reconstructed domain to its own steps
 * (./uses/) instead of restoring.
 *
 * The reconstructed domain is held here, for the report's proof and a rotation's new file, and
 * wiped with the session's other secrets.
 */
import type {CeremonyEvent, CeremonyState, ExchangeTarget} from '../ceremony/types.js';
import {duplicateShareProblem, duplicatesOf, type ReconstructedDomain} from '../domain/format.js';
import type {OpenedDomain} from '../domain/open.js';
import {commitmentSet, provenShares, type CommitmentSet} from '../domain/commitment.js';
import {checkPin, identityOf, type DomainPin} from '../store/pins.js';
import {readExchangeTarget, RecoveryTarget} from './recovery.js';
import type {ShareVault} from './vault.js';

/** The session's options these steps read (./session.ts). */
export interface ReconstructOptions {
  /** Where the restore blob goes in restore mode (Azure domains). */
  restoreBlobOut?: string;
  /** The new HSM's exchange certificate, as init-recovery wrote it (restore mode). */
  exchangeKeyFile?: string;
  /** That certificate, read: how the screens and the report name the operator's new HSM. */
  exchangeTarget?: ExchangeTarget;
  /** Exchange key size for the simulated Azure recovery HSM (the service uses 4096). */
  azureExchangeBits?: number;
  /** The store's pinned domain keys, to check the reconstructed domain against. */
  pins?: () => readonly DomainPin[];
}

export interface ReconstructHost {
  getState(): CeremonyState;
  dispatch(event: CeremonyEvent): CeremonyState;
  readonly openedDomain: OpenedDomain | undefined;
  /** A reconstruction proved shares: their commitments go into the report. */
  recordProven(set: CommitmentSet, reportKey: string): void;
  abort(reason: string): void;
}

export class ReconstructWork {
  private reconstructed: ReconstructedDomain | undefined;
  private readonly recovery: RecoveryTarget;

  constructor(
    private readonly host: ReconstructHost,
    private readonly vault: ShareVault,
    private readonly options: ReconstructOptions,
  ) {
    this.recovery = new RecoveryTarget(options.azureExchangeBits);
  }

  /** The reconstructed domain, once reconstructed; undefined again once wiped. */
  get domain(): ReconstructedDomain | undefined {
    return this.reconstructed;
  }

  /** A new HSM in recovery mode with a fresh exchange key (simulated). */
  async bringUpRecoveryHsm(): Promise<void> {
    // Let the screen show the step before the key generation holds the thread.
    await new Promise((r) => setTimeout(r, 20));
    const target = this.restoreTarget();
    if (target && !target.ok) return this.host.abort(target.message);
    const hsm = await this.recovery.bringUp(
      this.host.openedDomain,
      this.host.getState().domain?.name ?? 'recovery-hsm',
    );
    this.host.dispatch({
      type: 'recovery-ready',
      hsmId: hsm.id,
      exchangeFingerprint: hsm.exchangeFingerprint,
      ...(target ? {target: target.value} : {}),
    });
  }

  /**
   * Restore mode, an Azure domain, --exchange-key: the operator's HSM the blob is written for,
   * by its certificate (read here unless the command line read it already).
   */
  private restoreTarget():
    {ok: true; value: ExchangeTarget} | {ok: false; message: string} | undefined {
    const file = this.options.exchangeKeyFile;
    if (
      this.host.getState().mode !== 'restore' ||
      this.host.openedDomain?.format !== 'azure' ||
      !file
    )
      return undefined;
    return this.options.exchangeTarget
      ? {ok: true, value: this.options.exchangeTarget}
      : readExchangeTarget(file);
  }

  /** Reconstructs from the vault, then restores into the new HSM. */
  async reconstructAndRestore(): Promise<void> {
    const host = this.host;
    const s = host.dispatch({type: 'reconstruct'});
    if (s.step !== 'reconstruct' || !host.openedDomain) return;
    await new Promise((r) => setTimeout(r, 20));
    const shares = this.vault.held();
    const r = host.openedDomain.domain.reconstruct(shares);
    if (r.ok)
      host.recordProven(
        commitmentSet(host.openedDomain, provenShares(host.openedDomain.format, shares, r.value)),
        r.value.reportKey,
      );
    this.vault.wipe();
    // Two holders with one share: said before the verdict, so the report has it either way.
    for (const d of duplicatesOf(r))
      host.dispatch({type: 'domain-problem', problem: duplicateShareProblem(d)});
    if (!r.ok) {
      const bad =
        'badShares' in r.error
          ? (r.error as {badShares: Array<{holderIndex: number; reason: string}>}).badShares
          : [];
      host.dispatch({
        type: 'reconstruct-failed',
        message: r.error.message,
        badShares: bad.map((b) => ({holderIndex: b.holderIndex, reason: b.reason})),
      });
      return;
    }
    this.reconstructed = r.value;
    const summary0 = host.getState().domain;
    const pin = summary0
      ? checkPin(identityOf(summary0), r.value.reportKey, this.options.pins?.() ?? [])
      : undefined;
    const after = host.dispatch({
      type: 'reconstructed',
      usedHolders: r.value.usedHolders,
      badShares: r.value.badShares.map((b) => ({holderIndex: b.holderIndex, reason: b.reason})),
      identity: {
        reportKey: r.value.reportKey,
        pinnedBy: pin?.ok ? pin.pinnedBy : null,
        mismatch: pin && !pin.ok ? pin.message : null,
        recorded: pin?.ok === true && pin.records.length > 0,
      },
    });
    if (after.step !== 'restore') return;
    const summary = await this.recovery.restore(host.openedDomain, r.value, {
      ...(host.getState().hsm.target && this.options.exchangeKeyFile
        ? {realExchangeKeyFile: this.options.exchangeKeyFile}
        : {}),
      ...(this.options.restoreBlobOut ? {restoreBlobOut: this.options.restoreBlobOut} : {}),
      progress: (done, total) => host.dispatch({type: 'restore-progress', done, total}),
    });
    if (!summary.ok) {
      host.dispatch({type: 'restore-failed', message: summary.message});
      return;
    }
    host.dispatch({type: 'restored', summary: summary.value});
  }

  /** Wipes the reconstructed domain. */
  wipe(): void {
    this.reconstructed?.wipe();
    this.reconstructed = undefined;
  }
}
