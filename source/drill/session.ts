/**
 * A drill session: the effects around the pure ceremony machine. It opens the domain, takes
 * shares from the ways they arrive (./arrivals/: a key on a stick, …) into a vault of Buffers
 * (never into state), reconstructs, restores into the simulated recovery-mode HSM
 * (./recovery.ts) and hands the report to the shell. The Ink TUI and the headless plan runner
 * both drive a session, so both take the same path and journal.
 */
import {isAbsolute, join, relative} from 'node:path';
import {initialState, reduce} from '../ceremony/reduce.js';
import type {
  CeremonyEvent,
  CeremonyState,
  Custodian,
  ExchangeTarget,
  Mode,
  Scenario,
  StickInfo,
} from '../ceremony/types.js';
import {
  duplicateShareProblem,
  duplicatesOf,
  holderLabel,
  type OpenedShare,
  type ReconstructedDomain,
  type SecurityDomainFormat,
} from '../domain/format.js';
import {openDomainFile, type OpenedDomain} from '../domain/open.js';
import type {Stick} from '../media/stick.js';
import {printable} from '../errors.js';
import {wipe} from '../secret.js';
import {checkPin, identityOf, type DomainPin} from '../store/pins.js';
import type {AcceptFrom, ShareArrival, ShareDesk} from './arrivals/desk.js';
import {StickArrival} from './arrivals/stick.js';
import {ContributionArrival} from './arrivals/contribution.js';
import {DEFAULT_REQUEST_MS} from '../remote/request.js';
import {readExchangeTarget, RecoveryTarget} from './recovery.js';
import {stickContents, type StickContents} from './stick-contents.js';
import {RotationWork} from './uses/rotation.js';
import {CompromiseWork} from './uses/compromise.js';

export {stickInfo} from './arrivals/desk.js';
export {summarise} from './summary.js';
import {summarise, withKnownKey} from './summary.js';

export interface SessionOptions {
  idleLimitMs?: number;
  /** Where the restore blob goes in restore mode (Azure domains). */
  restoreBlobOut?: string;
  /** The new HSM's exchange certificate, as init-recovery wrote it (restore mode). */
  exchangeKeyFile?: string;
  /** That certificate, read: how the screens and the report name the operator's new HSM. */
  exchangeTarget?: ExchangeTarget;
  /** Exchange key size for the simulated Azure recovery HSM (the service uses 4096). */
  azureExchangeBits?: number;
  now?: () => number;
  /** The store's pinned domain keys, to check the reconstructed domain against. */
  pins?: () => readonly DomainPin[];
  /** Tests only: key material for remote requests' key pairs (see ./arrivals/contribution.ts). */
  requestKeyMaterial?: () => Buffer;
  /** Called once the drill ends (report step reached); the shell writes the report. */
  onEnded?: (session: DrillSession) => void;
}

export class DrillSession implements ShareDesk {
  private state: CeremonyState;
  private readonly listeners = new Set<() => void>();
  private readonly vault = new Map<number, OpenedShare>();
  /** Public keys whose shares were taken (one key, one holder), by SPKI fingerprint. */
  private readonly keysTaken = new Map<string, OpenedShare>();
  private domain: OpenedDomain | undefined;
  private reconstructed: ReconstructedDomain | undefined;
  private readonly recovery: RecoveryTarget;
  private ended = false;
  readonly now: () => number;
  /** Shares that arrive on sticks. */
  readonly sticks: StickArrival;
  /** Shares sealed by holders at other sites. */
  readonly remote: ContributionArrival;
  /** A rotation's own work: the new holders, the new file, their proof (./uses/rotation.ts). */
  readonly rotation: RotationWork;
  /** A compromise rehearsal's new HSM and migration (./uses/compromise.ts). */
  readonly compromise: CompromiseWork;
  private readonly arrivals: ShareArrival[];

  constructor(private readonly options: SessionOptions = {}) {
    this.now = options.now ?? Date.now;
    this.state = initialState(this.now(), options.idleLimitMs);
    this.recovery = new RecoveryTarget(options.azureExchangeBits);
    this.remote = new ContributionArrival(
      this,
      options.requestKeyMaterial ? {requestKeyMaterial: options.requestKeyMaterial} : {},
    );
    this.sticks = new StickArrival(this, (stick, files) => this.remote.fromStick(stick, files));
    this.arrivals = [this.sticks, this.remote];
    this.rotation = new RotationWork(this, options.pins);
    this.compromise = new CompromiseWork(this, this.rotation);
  }

  getState = (): CeremonyState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispatch(event: CeremonyEvent): CeremonyState {
    const next = reduce(this.state, {...this.tidy(event), at: this.now()} as CeremonyEvent & {
      at: number;
    });
    for (const a of this.arrivals) a.onState?.(next);
    if (next === this.state) return next;
    this.state = next;
    if ((next.step === 'report' || next.step === 'done') && !this.ended) {
      this.ended = true;
      // Whatever ended the drill, no share outlives the collect/reconstruct steps.
      if (next.outcome?.verdict !== 'pass') this.wipeSecrets();
      this.wipeShares();
      this.options.onEnded?.(this);
    }
    for (const l of this.listeners) l();
    return next;
  }

  /** The domain shares are taken for: the loaded one, or a rotation's new file once written. */
  format(): SecurityDomainFormat | undefined {
    return (this.rotation.target ?? this.domain)?.domain;
  }

  get openedDomain(): OpenedDomain | undefined {
    return this.domain;
  }

  /** The reconstructed secret, for the report's proof only; wiped by `wipeSecrets()`. */
  get domainSecret(): Buffer | undefined {
    return this.reconstructed?.secret;
  }

  /** The reconstructed domain (a rotation writes it anew); wiped by `wipeSecrets()`. */
  get reconstruction(): ReconstructedDomain | undefined {
    return this.reconstructed;
  }

  /** Hands over the shares held (a rotation checks the new file with them); the caller wipes. */
  takeShares(): OpenedShare[] {
    const shares = [...this.vault.values()];
    this.vault.clear();
    this.keysTaken.clear();
    return shares;
  }

  chooseMode(mode: Mode): void {
    this.dispatch({type: 'choose-mode', mode});
  }

  loadDomain(file: string): boolean {
    const opened = openDomainFile(file);
    if (!opened.ok) {
      this.dispatch({type: 'domain-failed', message: opened.error.message});
      return false;
    }
    this.domain = opened.value;
    const domain = withKnownKey(summarise(opened.value), this.options.pins?.() ?? []);
    this.dispatch({type: 'domain-loaded', domain});
    return true;
  }

  inspected(): void {
    this.dispatch({type: 'inspected'});
  }

  simulateDisaster(scenario: Scenario): void {
    this.dispatch({type: 'choose-scenario', scenario});
  }

  /** A new HSM in recovery mode with a fresh exchange key (simulated). */
  async bringUpRecoveryHsm(): Promise<void> {
    // Let the screen show the step before the key generation holds the thread.
    await new Promise((r) => setTimeout(r, 20));
    const target = this.restoreTarget();
    if (target && !target.ok) return this.abort(target.message);
    const hsm = await this.recovery.bringUp(this.domain, this.state.domain?.name ?? 'recovery-hsm');
    this.dispatch({
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
    if (this.state.mode !== 'restore' || this.domain?.format !== 'azure' || !file) return undefined;
    return this.options.exchangeTarget
      ? {ok: true, value: this.options.exchangeTarget}
      : readExchangeTarget(file);
  }

  /** What is on each stick present: for ordering and labelling the lists (./stick-contents.ts). */
  stickContents = (sticks: readonly Stick[]): Promise<Map<string, StickContents>> =>
    stickContents(sticks);

  // The stick arrival's actions, as the TUI and the plan runner call them.
  stickInserted = (stick: Stick): Promise<void> => this.sticks.stickInserted(stick);
  stickRemoved = (path: string): void => this.sticks.stickRemoved(path);
  identify = (passphrase: Buffer): Promise<void> => this.sticks.identify(passphrase);
  acknowledge = (custodian: Custodian): Promise<void> => this.sticks.acknowledge(custodian);
  submitPassphrase = (passphrase: Buffer): Promise<void> =>
    this.sticks.submitPassphrase(passphrase);
  cancelPresenting = (): void => this.sticks.cancelPresenting();
  presentFile = (
    stick: StickInfo,
    file: string,
    custodian: Custodian,
    passphrase: Buffer | undefined,
  ): Promise<void> => this.sticks.presentFile(stick, file, custodian, passphrase);

  // The remote-holder arrival's actions, as the TUI calls them.
  callRemote = (holderIndex: number, dir: string, custodian?: Custodian): Promise<unknown> =>
    this.remote.call(holderIndex, {dir}, DEFAULT_REQUEST_MS, custodian);
  readContribution = (file: string): Promise<boolean> => this.remote.receiveFile(file);

  /**
   * One public key is one holder, however many certificates or files name it: a key whose
   * share was already taken is refused, naming both files.
   */
  refuseSameKey(stick: StickInfo, file: string, spki: string | undefined): boolean {
    const earlier = spki ? this.keysTaken.get(spki) : undefined;
    if (!earlier) return false;
    this.dispatch({
      type: 'key-refused',
      stick,
      file,
      message: `${file}: is the same wrapping key as ${earlier.file}, already counted for ${holderLabel(earlier.holder)}; one key is one holder.`,
    });
    return true;
  }

  departedHolder(fingerprints: ReadonlyArray<string | null | undefined>): string | undefined {
    return this.state.step === 'prove' ? this.rotation.departedHolder(fingerprints) : undefined;
  }

  takenWith(spki: string): OpenedShare | undefined {
    return this.keysTaken.get(spki);
  }

  accept(share: OpenedShare, from: AcceptFrom): void {
    // Each arrival checks one key, one holder first, in its own words; this is the backstop.
    if (this.keysTaken.has(from.spkiFingerprint)) {
      if (from.stick) this.refuseSameKey(from.stick, from.file, from.spkiFingerprint);
      return wipe(share.secret);
    }
    const also = share.match.alsoOpens ?? [];
    if (also.length > 0) {
      // A key that opens more than one share: the domain gives one person two votes.
      const shares = [share.holder.index, ...also];
      this.dispatch({
        type: 'domain-problem',
        problem: {
          rule: 'duplicate-wrapping-key',
          shares,
          text: `${from.file} opens the shares of holders ${shares.join(' and ')}: the domain wraps ${shares.length} shares to one key, so whoever holds it holds ${shares.length} votes of the quorum`,
        },
      });
    }
    if (share.holder.index !== from.holderIndex) {
      wipe(share.secret);
      this.dispatch({
        type: 'share-refused',
        holderIndex: from.holderIndex,
        message: `${from.file} opened the share of ${holderLabel(share.holder)}, not the holder it was matched to`,
      });
      return;
    }
    this.vault.set(from.holderIndex, share);
    this.keysTaken.set(from.spkiFingerprint, share);
    this.dispatch({
      type: 'share-accepted',
      holderIndex: from.holderIndex,
      certMissing: share.match.certMissing,
      matchedBy: share.match.by,
      ...(from.remote
        ? {
            remote: {
              sha256: from.remote.sha256,
              ...(from.stick ? {stickPath: from.stick.path} : {}),
            },
          }
        : {}),
      spkiFingerprint: from.spkiFingerprint,
    });
  }

  /**
   * Messages enter the state (the screen, the journal, the report) only as one printable line:
   * a file named with escape codes on a stick must not drive the terminal. A key file on the
   * stick being presented is named by its place on the stick, not its mount path, which
   * would wrap the line on an 80-column screen.
   */
  private tidy(event: CeremonyEvent): CeremonyEvent {
    if (!('message' in event) || typeof event.message !== 'string') return event;
    const where =
      event.type === 'key-refused'
        ? {stick: event.stick, file: event.file}
        : (this.state.presenting ?? this.state.identifying);
    let message = event.message;
    if (where?.file) message = message.split(where.file).join(onStick(where.file, where.stick));
    return {...event, message: printable(message)};
  }

  /**
   * After a pass on a domain this machine has no record of: pin its key (or not), before the
   * report is written, so the report says which. ../report/first-pin.ts shows what is pinned.
   */
  decideFirstPin(pin: boolean): void {
    this.dispatch({type: 'first-pin-decided', pin});
  }

  markAbsent(holderIndex: number): void {
    this.dispatch({type: 'mark-absent', holderIndex});
  }

  /** Reconstructs from the vault, then restores into the new HSM. */
  async reconstructAndRestore(): Promise<void> {
    const s = this.dispatch({type: 'reconstruct'});
    if (s.step !== 'reconstruct' || !this.domain) return;
    await new Promise((r) => setTimeout(r, 20));
    const shares = [...this.vault.values()];
    const r = this.domain.domain.reconstruct(shares);
    this.wipeShares();
    // Two holders with one share: said before the verdict, so the report has it either way.
    for (const d of duplicatesOf(r))
      this.dispatch({type: 'domain-problem', problem: duplicateShareProblem(d)});
    if (!r.ok) {
      const bad =
        'badShares' in r.error
          ? (r.error as {badShares: Array<{holderIndex: number; reason: string}>}).badShares
          : [];
      this.dispatch({
        type: 'reconstruct-failed',
        message: r.error.message,
        badShares: bad.map((b) => ({holderIndex: b.holderIndex, reason: b.reason})),
      });
      return;
    }
    this.reconstructed = r.value;
    const summary0 = this.state.domain;
    const pin = summary0
      ? checkPin(identityOf(summary0), r.value.reportKey, this.options.pins?.() ?? [])
      : undefined;
    const after = this.dispatch({
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
    const summary = await this.recovery.restore(this.domain, r.value, {
      ...(this.state.hsm.target && this.options.exchangeKeyFile
        ? {realExchangeKeyFile: this.options.exchangeKeyFile}
        : {}),
      ...(this.options.restoreBlobOut ? {restoreBlobOut: this.options.restoreBlobOut} : {}),
      progress: (done, total) => this.dispatch({type: 'restore-progress', done, total}),
    });
    if (!summary.ok) {
      this.dispatch({type: 'restore-failed', message: summary.message});
      return;
    }
    this.dispatch({type: 'restored', summary: summary.value});
  }

  abort(reason: string): void {
    this.dispatch({type: 'abort', reason});
    this.wipeSecrets();
  }

  tick(): void {
    this.dispatch({type: 'tick'});
  }

  private wipeShares(): void {
    for (const s of this.vault.values()) wipe(s.secret);
    this.vault.clear();
    this.keysTaken.clear();
  }

  /** Wipes everything secret the session holds. */
  wipeSecrets(): void {
    for (const a of this.arrivals) a.wipe();
    this.wipeShares();
    this.reconstructed?.wipe();
    this.reconstructed = undefined;
    this.compromise.wipe();
  }
}

export const reportDirDefault = (): string => join(process.cwd(), 'drill-reports');

/** "keys/alice.key on stick ALICE", or the path itself when the file is not on the stick. */
function onStick(file: string, stick: StickInfo): string {
  const rel = relative(stick.path, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? `${rel} on stick ${stick.label}` : file;
}
