/**
 * A share that arrives on a stick — the TUI sees the stick mounted and scans it; the plan
 * runner names the key file. The key is matched to a holder (SecurityDomainFormat.matchKey:
 * certificate, public key, trial decryption; an encrypted key with no match is unlocked
 * first, by its passphrase, to learn whose it is), its custodian acknowledges their duties
 * and types the passphrase, and the opened share goes to the session (ShareDesk.accept),
 * which holds it. One of the ways a share arrives.
 */
import type {CeremonyState, Custodian, StickInfo} from '../../ceremony/types.js';
import type {KeyEvidence, KeyMatch, SecurityDomainFormat} from '../../domain/format.js';
import {loadPrivateKey, loadUnencryptedKey} from '../../domain/key-unlock.js';
import {findCertificateBeside, presentKeyFile} from '../../domain/present-key.js';
import type {FoundKey} from '../../media/key-material.js';
import {scanStick} from '../../media/scan.js';
import type {Stick} from '../../media/stick.js';
import {wipe} from '../../secret.js';
import {identifiedCustodian} from '../../ceremony/uses/rotation.js';
import {stickInfo, type ShareArrival, type ShareDesk} from './desk.js';

/** Steps in which shares arrive: the collect, and a rotation's new holders proving their keys. */
const COLLECTING: ReadonlySet<string> = new Set(['collect', 'prove']);

/** A departed holder's key at a rotation's prove step: it has no share in the new file. */
const departedMessage = (stick: string, who: string): string =>
  `The key on stick ${stick} is the key of ${who}, who departs in this rotation: it has no share in the new file, and is to be destroyed once the rotation passes.`;

export const NOT_OURS =
  "is not one of this domain's wrapping keys (a stranger's key, or a key from another domain).";

export class StickArrival implements ShareArrival {
  /** See identify(): the passphrase that unlocked a key with no certificate beside it. */
  private heldPassphrase: {file: string; passphrase: Buffer} | undefined;
  private readonly scanning = new Set<string>();
  /** A key is being unlocked (its derivation runs off the main thread). */
  private unlocking = false;

  /**
   * `contributions`: where remote holders' contributions found on a stick go (./contribution.ts).
   * A stick that carries any is read for them only.
   */
  constructor(
    private readonly desk: ShareDesk,
    private readonly contributions?: (stick: StickInfo, files: string[]) => Promise<void>,
  ) {}

  /**
   * A passphrase kept from identifying a key lives only while that key is presented (an
   * event the machine ignores can end that too: identify() checks through here).
   */
  onState(next: CeremonyState): void {
    if (this.heldPassphrase && next.presenting?.file !== this.heldPassphrase.file)
      this.dropHeldPassphrase();
  }

  wipe(): void {
    this.dropHeldPassphrase();
  }

  /** A stick arrived: find the key on it and match it to a holder. */
  async stickInserted(stick: Stick): Promise<void> {
    const info = stickInfo(stick);
    // The same stick again while it is being read or is presenting: nothing new happened.
    if (this.scanning.has(info.path) || this.desk.getState().presenting?.stick.path === info.path)
      return;
    const before = this.desk.dispatch({type: 'stick-inserted', stick: info});
    if (
      !COLLECTING.has(before.step) ||
      (before.awaitingRemoval && before.awaitingRemoval !== info.path) ||
      (before.presenting && before.presenting.stick.path !== info.path)
    )
      return;
    const domain = this.desk.format();
    if (!domain) return;
    let scan;
    this.scanning.add(info.path);
    try {
      scan = await scanStick(stick);
    } catch (error) {
      // A scan failure is a bug, but the ceremony must go on: the operator can remove the stick.
      const why = error instanceof Error ? error.message : String(error);
      this.desk.dispatch({
        type: 'key-refused',
        stick: info,
        message: `Stick ${info.label} could not be read (${why}).`,
      });
      return;
    } finally {
      this.scanning.delete(info.path);
    }
    if (scan.status === 'gone') {
      this.desk.dispatch({type: 'stick-removed', path: info.path});
      return;
    }
    if (scan.contributions.length > 0 && this.contributions)
      return this.contributions(info, scan.contributions);
    let locked: string | undefined;
    let departed: string | undefined;
    for (const key of scan.keys) {
      const match = this.matchScanned(domain, key);
      if (!match) {
        departed ??= this.desk.departedHolder?.([key.fingerprint, key.spkiFingerprint]);
        if (key.encrypted) locked ??= key.file;
        continue;
      }
      if (this.desk.refuseSameKey(info, key.file, key.spkiFingerprint ?? undefined)) return;
      this.desk.dispatch({
        type: 'key-matched',
        stick: info,
        file: key.file,
        holderIndex: match.holder.index,
        encrypted: key.encrypted,
        matchedBy: match.by,
        certMissing: match.certMissing,
      });
      await this.knownCustodian();
      return;
    }
    if (departed) {
      // Known by its certificate or public key: no passphrase is asked for a key with no share.
      this.desk.dispatch({
        type: 'key-refused',
        stick: info,
        message: departedMessage(info.label, departed),
      });
      return;
    }
    if (locked) {
      // Whose key it is shows only once it is unlocked: the custodian types the passphrase
      // first (identify), and it is then used again for the share without a second prompt.
      this.desk.dispatch({type: 'key-locked', stick: info, file: locked});
      return;
    }
    const message =
      scan.keys.length === 0
        ? `No private key found on stick ${info.label}.`
        : `The key on stick ${info.label} ${NOT_OURS}`;
    this.desk.dispatch({type: 'key-refused', stick: info, message});
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
    const loaded = loadUnencryptedKey(key.file);
    return loaded.ok ? domain.matchKey({...evidence, key: loaded.value}) : undefined;
  }

  /**
   * The passphrase of an encrypted key that has no certificate beside it: unlocks the key to
   * learn its public key, and matches that to a holder. Kept (in this Buffer, nowhere else)
   * only until that holder's passphrase step, where it is used and wiped; wiped at once if the
   * key matches nobody, and whenever the presentation ends.
   */
  async identify(passphrase: Buffer): Promise<void> {
    const id = this.desk.getState().identifying;
    const domain = this.desk.format();
    // One unlock at a time: a second Enter while the key opens is not a second try.
    if (!id || !domain || this.unlocking) return wipe(passphrase);
    this.unlocking = true;
    let key: Awaited<ReturnType<typeof loadPrivateKey>>;
    try {
      key = await loadPrivateKey(id.file, passphrase);
    } finally {
      this.unlocking = false;
    }
    // While it opened, the stick may have gone, or the drill ended (q, Ctrl-C, idle).
    if (this.desk.getState().identifying?.file !== id.file) return wipe(passphrase);
    if (!key.ok) {
      wipe(passphrase);
      if (key.error.reason === 'wrong-passphrase')
        this.desk.dispatch({type: 'identify-failed', message: `Wrong passphrase for ${id.file}`});
      else
        this.desk.dispatch({
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
      const departed = this.desk.departedHolder?.([
        key.value.spkiFingerprint,
        beside?.certFingerprint,
      ]);
      this.desk.dispatch({
        type: 'key-refused',
        stick: id.stick,
        file: id.file,
        message: departed ? departedMessage(id.stick.label, departed) : `${id.file}: ${NOT_OURS}`,
      });
      return;
    }
    if (this.desk.refuseSameKey(id.stick, id.file, key.value.spkiFingerprint))
      return wipe(passphrase);
    this.dropHeldPassphrase();
    this.heldPassphrase = {file: id.file, passphrase};
    this.desk.dispatch({
      type: 'key-matched',
      stick: id.stick,
      file: id.file,
      holderIndex: match.holder.index,
      encrypted: true,
      matchedBy: match.by,
      certMissing: match.certMissing,
    });
    await this.knownCustodian();
  }

  /**
   * A holder already identified in this ceremony (a rotation's kept holder proving their new
   * key) is not asked again who they are: stick and passphrase only.
   */
  private async knownCustodian(): Promise<void> {
    const s = this.desk.getState();
    if (s.presenting?.phase !== 'acknowledge') return;
    const known = identifiedCustodian(s, s.presenting.holderIndex);
    if (known) await this.acknowledge(known);
  }

  private dropHeldPassphrase(): void {
    wipe(this.heldPassphrase?.passphrase);
    this.heldPassphrase = undefined;
  }

  /**
   * A named key file presented from a stick (the plan runner's way in; the TUI scans the
   * stick instead). Emits the same events the TUI path does.
   */
  async presentFile(
    stick: StickInfo,
    file: string,
    custodian: Custodian,
    passphrase: Buffer | undefined,
  ): Promise<void> {
    const domain = this.desk.format();
    const before = this.desk.dispatch({type: 'stick-inserted', stick});
    if (!domain || !COLLECTING.has(before.step)) return wipe(passphrase);
    const beside = findCertificateBeside(file).certificate;
    const probe = loadUnencryptedKey(file);
    const encrypted = !probe.ok && probe.error.reason === 'passphrase-required';
    if (!probe.ok && !encrypted) {
      wipe(passphrase);
      this.desk.dispatch({type: 'key-refused', stick, file, message: probe.error.message});
      return;
    }
    // An encrypted key the plan gives a passphrase for is unlocked to match it by its public
    // key or trial decryption, as the ceremony does once its custodian types it.
    const unlocked = probe.ok
      ? probe
      : passphrase
        ? await loadPrivateKey(file, passphrase)
        : undefined;
    const key = unlocked?.ok ? unlocked.value : undefined;
    const match = domain.matchKey({
      ...(beside && (!key || beside.spkiFingerprint === key.spkiFingerprint)
        ? {certificate: beside}
        : {}),
      ...(key ? {key} : {}),
    });
    if (!match) {
      wipe(passphrase);
      this.desk.dispatch({
        type: 'key-refused',
        stick,
        file,
        message: `${file}: ${NOT_OURS}`,
      });
      return;
    }
    if (this.desk.refuseSameKey(stick, file, key?.spkiFingerprint)) return wipe(passphrase);
    this.desk.dispatch({
      type: 'key-matched',
      stick,
      file,
      holderIndex: match.holder.index,
      encrypted,
      matchedBy: match.by,
      certMissing: match.certMissing,
    });
    const s = this.desk.dispatch({type: 'acknowledged', custodian});
    if (s.presenting?.phase === 'passphrase') {
      if (!passphrase || passphrase.length === 0) {
        this.desk.dispatch({
          type: 'share-refused',
          holderIndex: match.holder.index,
          message: `${file}: is encrypted and the plan gives no passphrase file for it.`,
        });
        return;
      }
      await this.submitPassphrase(passphrase);
    } else {
      wipe(passphrase);
      if (s.presenting?.phase === 'opening') await this.openPresented(undefined);
    }
  }

  stickRemoved(path: string): void {
    this.desk.dispatch({type: 'stick-removed', path});
  }

  async acknowledge(custodian: Custodian): Promise<void> {
    const s = this.desk.dispatch({type: 'acknowledged', custodian});
    if (s.presenting?.phase === 'opening') await this.openPresented(undefined);
    else if (
      s.presenting?.phase === 'passphrase' &&
      this.heldPassphrase?.file === s.presenting.file
    ) {
      // Typed once already, to identify the key.
      const {passphrase} = this.heldPassphrase;
      this.heldPassphrase = undefined;
      await this.submitPassphrase(passphrase);
    }
  }

  /**
   * Tries the passphrase; the Buffer is wiped here whatever happens. The key opens off the main
   * thread (the phase is `opening` meanwhile: q, Ctrl-C and the idle limit still work).
   */
  async submitPassphrase(passphrase: Buffer): Promise<void> {
    const s = this.desk.dispatch({type: 'passphrase-submitted'});
    if (s.presenting?.phase !== 'opening') {
      wipe(passphrase);
      return;
    }
    await this.openPresented(passphrase);
  }

  private async openPresented(passphrase: Buffer | undefined): Promise<void> {
    const p = this.desk.getState().presenting;
    const domain = this.desk.format();
    if (!p || !domain) return wipe(passphrase);
    const presented = await presentKeyFile(domain, p.file, passphrase);
    wipe(passphrase);
    // While the key opened, the drill may have been aborted or the stick pulled: nothing taken.
    const now = this.desk.getState().presenting;
    if (now?.file !== p.file || now.holderIndex !== p.holderIndex || now.phase !== 'opening') {
      if (presented.ok) wipe(presented.value.opened.secret);
      return;
    }
    if (!presented.ok) {
      if (presented.error.reason === 'wrong-passphrase') {
        this.desk.dispatch({type: 'passphrase-failed', message: `Wrong passphrase for ${p.file}`});
      } else {
        this.desk.dispatch({
          type: 'share-refused',
          holderIndex: p.holderIndex,
          message: presented.error.message,
        });
      }
      return;
    }
    this.desk.accept(presented.value.opened, {
      holderIndex: p.holderIndex,
      stick: p.stick,
      file: p.file,
      spkiFingerprint: presented.value.spkiFingerprint,
    });
  }

  cancelPresenting(): void {
    this.desk.dispatch({type: 'cancel-presenting'});
  }
}
