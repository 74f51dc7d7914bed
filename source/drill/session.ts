/**
 * A drill session: the effects around the pure ceremony machine. It opens the domain, scans
 * sticks, opens shares (holding them in a vault of Buffers, never in state), reconstructs,
 * restores into the simulated recovery-mode HSM and writes the report. The Ink TUI and the
 * headless plan runner both drive a session, so both take the same path and journal.
 */
import {createHash} from 'node:crypto';
import {isAbsolute, join, relative} from 'node:path';
import {initialState, reduce} from '../ceremony/reduce.js';
import type {
  CeremonyEvent,
  CeremonyState,
  Custodian,
  DomainSummary,
  Mode,
  RestoreSummary,
  Scenario,
  StickInfo,
} from '../ceremony/types.js';
import {AzureDomain} from '../domain/azure/reader.js';
import {buildRestoreBlob} from '../domain/azure/restore-blob.js';
import {loadExchangeKey} from '../domain/azure/exchange-key.js';
import {
  holderLabel,
  type KeyEvidence,
  type KeyMatch,
  type OpenedShare,
  type ReconstructedDomain,
  type SecurityDomainFormat,
} from '../domain/format.js';
import type {FoundKey} from '../media/key-material.js';
import {loadPrivateKey} from '../domain/key-file.js';
import {openDomainFile, type OpenedDomain} from '../domain/open.js';
import {findCertificateBeside, presentKeyFile} from '../domain/present-key.js';
import {writeFileAtomic} from '../fs/atomic-write.js';
import type {AzureRecoveryHsm} from '../hsm/azure-recovery.js';
import {RecoveryHsm} from '../hsm/simulated-hsm.js';
import type {NativeReconstructed} from '../domain/native/reader.js';
import type {Stick} from '../media/stick.js';
import {scanStick} from '../media/scan.js';
import {printable} from '../errors.js';
import {wipe} from '../secret.js';
import {checkPin, identityOf, type DomainPin} from '../store/pins.js';

export interface SessionOptions {
  idleLimitMs?: number;
  /** Where the restore blob goes in restore mode (Azure domains). */
  restoreBlobOut?: string;
  /** The new HSM's exchange certificate, as init-recovery wrote it (restore mode). */
  exchangeKeyFile?: string;
  /** Exchange key size for the simulated Azure recovery HSM (the service uses 4096). */
  azureExchangeBits?: number;
  now?: () => number;
  /** The store's pinned domain keys, to check the reconstructed domain against. */
  pins?: () => readonly DomainPin[];
  /** Called once the drill ends (report step reached); the shell writes the report. */
  onEnded?: (session: DrillSession) => void;
}

export function stickInfo(stick: Stick): StickInfo {
  return {
    path: stick.path,
    label: stick.label,
    source: stick.source,
    removable: stick.simulated ? null : stick.removable,
    device: stick.deviceId,
  };
}

export function summarise(opened: OpenedDomain): DomainSummary {
  const d = opened.domain.describe();
  return {
    format: d.format,
    file: d.file,
    ...(d.name ? {name: d.name} : {}),
    ...(d.id ? {id: d.id} : {}),
    ...(d.created ? {created: d.created} : {}),
    required: d.required,
    total: d.total,
    holders: d.holders.map((h) => ({
      index: h.index,
      ...(h.name ? {name: h.name} : {}),
      certFingerprint: h.certFingerprint,
      ...(h.bits ? {bits: h.bits} : {}),
    })),
    details: d.details,
    problems: d.problems.map((p) => ({...p, shares: [...p.shares]})),
    ...(opened.sha256 ? {sha256: opened.sha256} : {}),
    ...(d.reportKey ? {reportKey: d.reportKey} : {}),
    ...(d.generation ? {generation: d.generation} : {}),
  };
}

export class DrillSession {
  private state: CeremonyState;
  private readonly listeners = new Set<() => void>();
  private readonly vault = new Map<number, OpenedShare>();
  /** Public keys whose shares were taken (one key, one holder), by SPKI fingerprint. */
  private readonly keysTaken = new Map<string, OpenedShare>();
  private domain: OpenedDomain | undefined;
  private reconstructed: ReconstructedDomain | undefined;
  /** See identify(): the passphrase that unlocked a key with no certificate beside it. */
  private heldPassphrase: {file: string; passphrase: Buffer} | undefined;
  private nativeRecovery: RecoveryHsm | undefined;
  private azureRecovery: AzureRecoveryHsm | undefined;
  private ended = false;
  private readonly scanning = new Set<string>();
  readonly now: () => number;

  constructor(private readonly options: SessionOptions = {}) {
    this.now = options.now ?? Date.now;
    this.state = initialState(this.now(), options.idleLimitMs);
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
    // A passphrase kept from identifying a key lives only while that key is presented (an
    // event the machine ignores can end that too: identify() checks through here).
    if (this.heldPassphrase && next.presenting?.file !== this.heldPassphrase.file)
      this.dropHeldPassphrase();
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

  get openedDomain(): OpenedDomain | undefined {
    return this.domain;
  }

  /** The reconstructed secret, for the report's proof only; wiped by `wipeSecrets()`. */
  get domainSecret(): Buffer | undefined {
    return this.reconstructed?.secret;
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
    this.dispatch({type: 'domain-loaded', domain: summarise(opened.value)});
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
    let id: string;
    let exchangeFingerprint: string;
    if (this.domain?.format === 'azure') {
      // Loaded here, not at start-up: it brings node-forge (certificates), which the TUI's
      // first frame should not wait for.
      const {AzureRecoveryHsm} = await import('../hsm/azure-recovery.js');
      this.azureRecovery = AzureRecoveryHsm.create({
        name: this.state.domain?.name ?? 'recovery-hsm',
        bits: this.options.azureExchangeBits ?? 3072,
      });
      id = this.azureRecovery.exchangeKey.x5t256;
      exchangeFingerprint = this.azureRecovery.exchangeKey.certFingerprint;
    } else {
      this.nativeRecovery = new RecoveryHsm();
      id = this.nativeRecovery.id;
      exchangeFingerprint = createHash('sha256')
        .update(this.nativeRecovery.exchangePublicPem)
        .digest('hex');
    }
    this.dispatch({type: 'recovery-ready', hsmId: id, exchangeFingerprint});
  }

  /** A stick arrived: find the key on it and match it to a holder. */
  async stickInserted(stick: Stick): Promise<void> {
    const info = stickInfo(stick);
    // The same stick again while it is being read or is presenting: nothing new happened.
    if (this.scanning.has(info.path) || this.state.presenting?.stick.path === info.path) return;
    const before = this.dispatch({type: 'stick-inserted', stick: info});
    if (
      before.step !== 'collect' ||
      (before.awaitingRemoval && before.awaitingRemoval !== info.path) ||
      (before.presenting && before.presenting.stick.path !== info.path)
    )
      return;
    const domain = this.domain?.domain;
    if (!domain) return;
    let scan;
    this.scanning.add(info.path);
    try {
      scan = await scanStick(stick);
    } catch (error) {
      // A scan failure is a bug, but the ceremony must go on: the operator can remove the stick.
      const why = error instanceof Error ? error.message : String(error);
      this.dispatch({
        type: 'key-refused',
        stick: info,
        message: `Stick ${info.label} could not be read (${why}).`,
      });
      return;
    } finally {
      this.scanning.delete(info.path);
    }
    if (scan.status === 'gone') {
      this.dispatch({type: 'stick-removed', path: info.path});
      return;
    }
    let locked: string | undefined;
    for (const key of scan.keys) {
      const match = this.matchScanned(domain, key);
      if (!match) {
        if (key.encrypted) locked ??= key.file;
        continue;
      }
      if (this.refuseSameKey(info, key.file, key.spkiFingerprint ?? undefined)) return;
      this.dispatch({
        type: 'key-matched',
        stick: info,
        file: key.file,
        holderIndex: match.holder.index,
        encrypted: key.encrypted,
        matchedBy: match.by,
        certMissing: match.certMissing,
      });
      return;
    }
    if (locked) {
      // Whose key it is shows only once it is unlocked: the custodian types the passphrase
      // first (identify), and it is then used again for the share without a second prompt.
      this.dispatch({type: 'key-locked', stick: info, file: locked});
      return;
    }
    const message =
      scan.keys.length === 0
        ? `No private key found on stick ${info.label}.`
        : `The key on stick ${info.label} ${NOT_OURS}`;
    this.dispatch({type: 'key-refused', stick: info, message});
  }

  /**
   * The one way a key is matched (SecurityDomainFormat.matchKey): by its certificate, its
   * public key, or — for an unencrypted key the file lists no public key for (Azure) — by
   * trial decryption. An encrypted key that does not match yet is tried once unlocked.
   */
  private matchScanned(domain: SecurityDomainFormat, key: FoundKey): KeyMatch | undefined {
    const evidence: KeyEvidence = {
      ...(key.fingerprintKind === 'certificate' && key.fingerprint
        ? {certificate: {certFingerprint: key.fingerprint}}
        : {}),
      ...(key.spkiFingerprint ? {spkiFingerprint: key.spkiFingerprint} : {}),
    };
    const quick = domain.matchKey(evidence);
    if (quick || key.encrypted) return quick;
    const loaded = loadPrivateKey(key.file);
    return loaded.ok ? domain.matchKey({...evidence, key: loaded.value}) : undefined;
  }

  /**
   * One public key is one holder, however many certificates or files name it: a key whose
   * share was already taken is refused, naming both files.
   */
  private refuseSameKey(stick: StickInfo, file: string, spki: string | undefined): boolean {
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

  /** A key that opens more than one share: the domain gives one person two votes. */
  private noteAlsoOpens(file: string, match: KeyMatch): void {
    const also = match.alsoOpens ?? [];
    if (also.length === 0) return;
    const shares = [match.holder.index, ...also];
    this.dispatch({
      type: 'domain-problem',
      problem: {
        rule: 'duplicate-wrapping-key',
        shares,
        text: `${file} opens the shares of holders ${shares.join(' and ')}: the domain wraps ${shares.length} shares to one key, so whoever holds it holds ${shares.length} votes of the quorum`,
      },
    });
  }

  /**
   * The passphrase of an encrypted key that has no certificate beside it: unlocks the key to
   * learn its public key, and matches that to a holder. Kept (in this Buffer, nowhere else)
   * only until that holder's passphrase step, where it is used and wiped; wiped at once if the
   * key matches nobody, and whenever the presentation ends.
   */
  identify(passphrase: Buffer): void {
    const id = this.state.identifying;
    const domain = this.domain?.domain;
    if (!id || !domain) return wipe(passphrase);
    const key = loadPrivateKey(id.file, passphrase);
    if (!key.ok) {
      wipe(passphrase);
      if (key.error.reason === 'wrong-passphrase')
        this.dispatch({type: 'identify-failed', message: `Wrong passphrase for ${id.file}`});
      else
        this.dispatch({
          type: 'key-refused',
          stick: id.stick,
          file: id.file,
          message: key.error.message,
        });
      return;
    }
    const beside = findCertificateBeside(id.file).certificate;
    const match = domain.matchKey({
      key: key.value,
      ...(beside?.spkiFingerprint === key.value.spkiFingerprint ? {certificate: beside} : {}),
    });
    if (!match) {
      wipe(passphrase);
      this.dispatch({
        type: 'key-refused',
        stick: id.stick,
        file: id.file,
        message: `${id.file}: ${NOT_OURS}`,
      });
      return;
    }
    if (this.refuseSameKey(id.stick, id.file, key.value.spkiFingerprint)) return wipe(passphrase);
    this.dropHeldPassphrase();
    this.heldPassphrase = {file: id.file, passphrase};
    this.dispatch({
      type: 'key-matched',
      stick: id.stick,
      file: id.file,
      holderIndex: match.holder.index,
      encrypted: true,
      matchedBy: match.by,
      certMissing: match.certMissing,
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

  private dropHeldPassphrase(): void {
    wipe(this.heldPassphrase?.passphrase);
    this.heldPassphrase = undefined;
  }

  /**
   * A named key file presented from a stick (the plan runner's way in; the TUI scans the
   * stick instead). Emits the same events the TUI path does.
   */
  presentFile(
    stick: StickInfo,
    file: string,
    custodian: Custodian,
    passphrase: Buffer | undefined,
  ): void {
    const domain = this.domain?.domain;
    const before = this.dispatch({type: 'stick-inserted', stick});
    if (!domain || before.step !== 'collect') return wipe(passphrase);
    const beside = findCertificateBeside(file).certificate;
    const probe = loadPrivateKey(file);
    const encrypted = !probe.ok && probe.error.reason === 'passphrase-required';
    if (!probe.ok && !encrypted) {
      wipe(passphrase);
      this.dispatch({type: 'key-refused', stick, file, message: probe.error.message});
      return;
    }
    // An encrypted key the plan gives a passphrase for is unlocked to match it by its public
    // key or trial decryption, as the ceremony does once its custodian types it.
    const unlocked = probe.ok ? probe : passphrase ? loadPrivateKey(file, passphrase) : undefined;
    const key = unlocked?.ok ? unlocked.value : undefined;
    const match = domain.matchKey({
      ...(beside && (!key || beside.spkiFingerprint === key.spkiFingerprint)
        ? {certificate: beside}
        : {}),
      ...(key ? {key} : {}),
    });
    if (!match) {
      wipe(passphrase);
      this.dispatch({
        type: 'key-refused',
        stick,
        file,
        message: `${file}: ${NOT_OURS}`,
      });
      return;
    }
    if (this.refuseSameKey(stick, file, key?.spkiFingerprint)) return wipe(passphrase);
    this.dispatch({
      type: 'key-matched',
      stick,
      file,
      holderIndex: match.holder.index,
      encrypted,
      matchedBy: match.by,
      certMissing: match.certMissing,
    });
    const s = this.dispatch({type: 'acknowledged', custodian});
    if (s.presenting?.phase === 'passphrase') {
      if (!passphrase || passphrase.length === 0) {
        this.dispatch({
          type: 'share-refused',
          holderIndex: match.holder.index,
          message: `${file}: is encrypted and the plan gives no passphrase file for it.`,
        });
        return;
      }
      this.submitPassphrase(passphrase);
    } else {
      wipe(passphrase);
      if (s.presenting?.phase === 'opening') this.openPresented(undefined);
    }
  }

  stickRemoved(path: string): void {
    this.dispatch({type: 'stick-removed', path});
  }

  acknowledge(custodian: Custodian): void {
    const s = this.dispatch({type: 'acknowledged', custodian});
    if (s.presenting?.phase === 'opening') this.openPresented(undefined);
    else if (
      s.presenting?.phase === 'passphrase' &&
      this.heldPassphrase?.file === s.presenting.file
    ) {
      // Typed once already, to identify the key.
      const {passphrase} = this.heldPassphrase;
      this.heldPassphrase = undefined;
      this.submitPassphrase(passphrase);
    }
  }

  /** Tries the passphrase; the Buffer is wiped here whatever happens. */
  submitPassphrase(passphrase: Buffer): void {
    const s = this.dispatch({type: 'passphrase-submitted'});
    if (s.presenting?.phase !== 'opening') {
      wipe(passphrase);
      return;
    }
    this.openPresented(passphrase);
  }

  private openPresented(passphrase: Buffer | undefined): void {
    const p = this.state.presenting;
    const domain = this.domain?.domain;
    if (!p || !domain) return wipe(passphrase);
    const presented = presentKeyFile(domain, p.file, passphrase);
    wipe(passphrase);
    if (!presented.ok) {
      if (presented.error.reason === 'wrong-passphrase') {
        this.dispatch({type: 'passphrase-failed', message: `Wrong passphrase for ${p.file}`});
      } else {
        this.dispatch({
          type: 'share-refused',
          holderIndex: p.holderIndex,
          message: presented.error.message,
        });
      }
      return;
    }
    const share = presented.value.opened;
    if (this.refuseSameKey(p.stick, p.file, presented.value.spkiFingerprint)) {
      wipe(share.secret);
      return;
    }
    this.noteAlsoOpens(p.file, share.match);
    if (share.holder.index !== p.holderIndex) {
      wipe(share.secret);
      this.dispatch({
        type: 'share-refused',
        holderIndex: p.holderIndex,
        message: `${p.file} opened the share of ${holderLabel(share.holder)}, not the holder it was matched to`,
      });
      return;
    }
    this.vault.set(p.holderIndex, share);
    this.keysTaken.set(presented.value.spkiFingerprint, share);
    this.dispatch({
      type: 'share-accepted',
      holderIndex: p.holderIndex,
      certMissing: share.match.certMissing,
      matchedBy: share.match.by,
    });
  }

  cancelPresenting(): void {
    this.dispatch({type: 'cancel-presenting'});
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
      },
    });
    if (after.step !== 'restore') return;
    const summary =
      this.domain.format === 'native'
        ? await this.restoreNative(r.value as NativeReconstructed)
        : this.restoreAzure(r.value);
    if (!summary.ok) {
      this.dispatch({type: 'restore-failed', message: summary.message});
      return;
    }
    this.dispatch({type: 'restored', summary: summary.value});
  }

  private async restoreNative(
    rec: NativeReconstructed,
  ): Promise<{ok: true; value: RestoreSummary} | {ok: false; message: string}> {
    const hsm = this.nativeRecovery;
    const domain = this.domain;
    if (!hsm || domain?.format !== 'native')
      return {ok: false, message: 'no recovery-mode HSM to restore into'};
    const wrapped = hsm.wrapForUpload(rec.secret);
    const result = await hsm.upload(domain.domain, wrapped, (p) =>
      this.dispatch({type: 'restore-progress', done: p.done, total: p.total}),
    );
    if (!result.ok) return {ok: false, message: result.error.message};
    const v = result.value;
    return {
      ok: true,
      value: {
        keysExpected: v.keysExpected,
        keysRestored: v.keysRestored,
        canaries: v.canaries,
        blobs: rec.evidence.blobs,
        verified: v.verified,
        mismatched: v.mismatched.slice(0, 20),
      },
    };
  }

  private restoreAzure(
    rec: ReconstructedDomain,
  ): {ok: true; value: RestoreSummary} | {ok: false; message: string} {
    const hsm = this.azureRecovery;
    const domain = this.domain?.domain;
    if (!hsm || !(domain instanceof AzureDomain))
      return {ok: false, message: 'no recovery-mode HSM to restore into'};
    const blobs = domain.decryptBlobs(rec.secret);
    if (!blobs.ok) return {ok: false, message: blobs.error.message};
    try {
      const plain = blobs.value.map((b) => ({tag: b.tag, plaintext: b.plaintext}));
      let restoreBlobFile: string | undefined;
      if (
        this.state.mode === 'restore' &&
        this.options.exchangeKeyFile &&
        this.options.restoreBlobOut
      ) {
        const exchange = loadExchangeKey(this.options.exchangeKeyFile);
        if (!exchange.ok) return {ok: false, message: exchange.error.message};
        const written = writeFileAtomic(
          this.options.restoreBlobOut,
          buildRestoreBlob(plain, exchange.value),
          {mode: 0o600},
        );
        if (!written.ok) return {ok: false, message: written.error.message};
        restoreBlobFile = this.options.restoreBlobOut;
      }
      this.dispatch({type: 'restore-progress', done: 0, total: plain.length});
      const uploaded = hsm.upload(buildRestoreBlob(plain, hsm.exchangeKey));
      if (!uploaded.ok) return {ok: false, message: uploaded.error.message};
      const verified = hsm.verify(rec.evidence.blobs);
      this.dispatch({type: 'restore-progress', done: plain.length, total: plain.length});
      return {
        ok: true,
        value: {
          keysExpected: plain.length,
          keysRestored: verified.ok ? plain.length : 0,
          canaries: {total: 0, passed: 0},
          blobs: rec.evidence.blobs,
          ...(restoreBlobFile ? {restoreBlobFile} : {}),
          verified: verified.ok,
          mismatched: verified.ok ? [] : [verified.error.message],
        },
      };
    } finally {
      for (const b of blobs.value) wipe(b.plaintext);
    }
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
  }

  /** Wipes everything secret the session holds. */
  wipeSecrets(): void {
    this.dropHeldPassphrase();
    this.wipeShares();
    this.reconstructed?.wipe();
    this.reconstructed = undefined;
  }
}

const NOT_OURS =
  "is not one of this domain's wrapping keys (a stranger's key, or a key from another domain).";

export const reportDirDefault = (): string => join(process.cwd(), 'drill-reports');

/** "keys/alice.key on stick ALICE", or the path itself when the file is not on the stick. */
function onStick(file: string, stick: StickInfo): string {
  const rel = relative(stick.path, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? `${rel} on stick ${stick.label}` : file;
}
