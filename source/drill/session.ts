/**
 * A drill session: the effects around the pure ceremony machine. It opens the domain, takes
 * shares from the ways they arrive (./arrivals/: a key on a stick, …) into a vault of Buffers
 * (./vault.ts, never into state), reconstructs, restores into the simulated recovery-mode HSM
 * (./reconstruct.ts, ./recovery.ts) and hands the report to the shell. The Ink TUI and the
 * headless plan runner both drive a session, so both take the same path and journal.
 */
import {isAbsolute, join, relative} from 'node:path';
import {initialState, reduce} from '../ceremony/reduce.js';
import type {
  CeremonyEvent,
  CeremonyState,
  Custodian,
  Mode,
  Scenario,
  StickInfo,
} from '../ceremony/types.js';
import type {OpenedShare, ReconstructedDomain, SecurityDomainFormat} from '../domain/format.js';
import {openDomainFile, type OpenedDomain} from '../domain/open.js';
import type {CommitmentSet} from '../domain/commitment.js';
import type {Stick} from '../media/stick.js';
import {printable} from '../errors.js';
import type {AcceptFrom, ShareArrival, ShareDesk} from './arrivals/desk.js';
import {StickArrival} from './arrivals/stick.js';
import {ContributionArrival} from './arrivals/contribution.js';
import {DEFAULT_REQUEST_MS} from '../remote/request.js';
import {ReconstructWork, type ReconstructOptions} from './reconstruct.js';
import {stickContents, type StickContents} from './stick-contents.js';
import {ShareVault} from './vault.js';
import {RotationWork} from './uses/rotation.js';
import {CompromiseWork} from './uses/compromise.js';

export {stickInfo} from './arrivals/desk.js';
export {summarise} from './summary.js';
import {summarise, withKnownKey} from './summary.js';

/** Shares a reconstruction proved, and the report key it derived. */
export interface ProvenSet {
  set: CommitmentSet;
  reportKey: string;
}

/** Also the options the reconstruct and restore steps read (./reconstruct.ts). */
export interface SessionOptions extends ReconstructOptions {
  idleLimitMs?: number;
  now?: () => number;
  /** Tests only: key material for remote requests' key pairs (see ./arrivals/contribution.ts). */
  requestKeyMaterial?: () => Buffer;
  /** Called once the drill ends (report step reached); the shell writes the report. */
  onEnded?: (session: DrillSession) => void;
}

export class DrillSession implements ShareDesk {
  private state: CeremonyState;
  private readonly listeners = new Set<() => void>();
  /** The shares taken, never in state (./vault.ts). */
  private readonly vault: ShareVault;
  private domain: OpenedDomain | undefined;
  /** The new HSM, the reconstruction and the restore (./reconstruct.ts). */
  private readonly reconstructing: ReconstructWork;
  /** The share commitments this drill's reconstructions made (public: hashes of shares). */
  private readonly proven: ProvenSet[] = [];
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
    this.vault = new ShareVault((event) => this.dispatch(event));
    this.reconstructing = new ReconstructWork(this, this.vault, options);
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
      this.vault.wipe();
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
    return this.reconstructing.domain?.secret;
  }

  /** The reconstructed domain (a rotation writes it anew); wiped by `wipeSecrets()`. */
  get reconstruction(): ReconstructedDomain | undefined {
    return this.reconstructing.domain;
  }

  /** The share commitments of the shares proven so far (the report carries them on a pass). */
  get commitmentSets(): CommitmentSet[] {
    return this.proven.map((p) => p.set);
  }

  /** The same, each with the report key of the reconstruction that proved it (for the store). */
  get provenSets(): readonly ProvenSet[] {
    return this.proven;
  }

  /** A reconstruction proved shares: their commitments go into the report (../domain/commitment.ts). */
  recordProven(set: CommitmentSet, reportKey: string): void {
    this.proven.push({set, reportKey});
  }

  /** Hands over the shares held (a rotation checks the new file with them); the caller wipes. */
  takeShares(): OpenedShare[] {
    return this.vault.take();
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
  bringUpRecoveryHsm(): Promise<void> {
    return this.reconstructing.bringUpRecoveryHsm();
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
    return this.vault.refuseSameKey(stick, file, spki);
  }

  departedHolder(fingerprints: ReadonlyArray<string | null | undefined>): string | undefined {
    return this.state.step === 'prove' ? this.rotation.departedHolder(fingerprints) : undefined;
  }

  takenWith(spki: string): OpenedShare | undefined {
    return this.vault.takenWith(spki);
  }

  accept(share: OpenedShare, from: AcceptFrom): void {
    this.vault.accept(share, from);
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
  reconstructAndRestore(): Promise<void> {
    return this.reconstructing.reconstructAndRestore();
  }

  abort(reason: string): void {
    this.dispatch({type: 'abort', reason});
    this.wipeSecrets();
  }

  tick(): void {
    this.dispatch({type: 'tick'});
  }

  /** Wipes everything secret the session holds. */
  wipeSecrets(): void {
    for (const a of this.arrivals) a.wipe();
    this.vault.wipe();
    this.reconstructing.wipe();
    this.compromise.wipe();
  }
}

export const reportDirDefault = (): string => join(process.cwd(), 'drill-reports');

/** "keys/alice.key on stick ALICE", or the path itself when the file is not on the stick. */
function onStick(file: string, stick: StickInfo): string {
  const rel = relative(stick.path, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? `${rel} on stick ${stick.label}` : file;
}
