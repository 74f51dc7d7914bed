/**
 * The rotation ceremony's effects (the machine's side is ../../ceremony/uses/rotation.ts):
 * reading new holders' certificates from sticks (or, for a native file, keeping a holder's
 * certificate from the old file), writing the same domain to a new file wrapped to them and
 * checking it, and finally checking every new holder's share against the new file. The new
 * holders' shares arrive the way the old quorum's did — on sticks, through the session's
 * stick arrival — against the new file (`target`).
 *
 * It holds no secret of its own: certificates are public; the reconstructed domain and the
 * shares stay the session's and are wiped there.
 */
import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import type {CeremonyEvent, CeremonyState} from '../../ceremony/types.js';
import {printable} from '../../errors.js';
import {
  duplicateShareProblem,
  duplicatesOf,
  ReconstructError,
  type OpenedShare,
  type ReconstructedDomain,
} from '../../domain/format.js';
import {
  destructions,
  holderChange,
  newHolderName,
  oldHolderKeys,
  type OldHolderKey,
} from '../../domain/holder-change.js';
import {loadCertificate, parseCertificate, type LoadedCertificate} from '../../domain/key-file.js';
import type {OpenedDomain} from '../../domain/open.js';
import {proveAll} from '../../domain/prove-all.js';
import {writeRewrapped} from '../../domain/rewrap.js';
import {scanStick} from '../../media/scan.js';
import type {Stick} from '../../media/stick.js';
import {wipe} from '../../secret.js';
import {
  identityOf,
  rotationPinCheck,
  type DomainIdentity,
  type DomainPin,
} from '../../store/pins.js';
import {summarise} from '../summary.js';

export interface RotationHost {
  getState(): CeremonyState;
  dispatch(event: CeremonyEvent): CeremonyState;
  readonly openedDomain: OpenedDomain | undefined;
  readonly reconstruction: ReconstructedDomain | undefined;
  takeShares(): OpenedShare[];
}

/** The store's pinned domain keys, read when the new file is about to be written. */
export type PinsNow = () => readonly DomainPin[];

const tick = () => new Promise((r) => setTimeout(r, 20));

export class RotationWork {
  /** The new holders' certificates, by certificate fingerprint (public). */
  private readonly certificates = new Map<string, LoadedCertificate>();
  private written: OpenedDomain | undefined;
  private proven: DomainIdentity | undefined;

  constructor(
    private readonly host: RotationHost,
    private readonly pins?: PinsNow,
  ) {}

  /**
   * The new file, once every new holder has proven their key: only then may the store link it
   * to the domain's key (the report service does, with the report).
   */
  get provenIdentity(): DomainIdentity | undefined {
    return this.proven;
  }

  /** The new file, once written and checked: the new holders' shares are taken for it. */
  get target(): OpenedDomain | undefined {
    return this.written;
  }

  /** A new domain another use wrote (a compromise's new HSM): the new holders prove against it. */
  adopt(opened: OpenedDomain): void {
    this.written = opened;
  }

  /** The chosen new holders' certificates, in share order; undefined if one is missing. */
  chosenCertificates(): LoadedCertificate[] | undefined {
    const list = this.host.getState().rotation?.newHolders ?? [];
    const certs = list.map((h) => this.certificates.get(h.certFingerprint));
    return certs.every((c) => c !== undefined) ? (certs as LoadedCertificate[]) : undefined;
  }

  private refuse(message: string): void {
    this.host.dispatch({type: 'new-holder-refused', message});
  }

  /** Old holders by key: a native file lists every public key; Azure, the keys presented. */
  private oldHolders(): OldHolderKey[] {
    const presented = this.host.getState().holders;
    return oldHolderKeys(
      this.host.openedDomain?.domain.describe().holders ?? [],
      (i) => presented.find((p) => p.index === i)?.spkiFingerprint,
    );
  }

  private offer(cert: LoadedCertificate, from: string): void {
    const s = this.host.getState();
    if (s.step !== 'enlist') return;
    const kept = this.oldHolders().find(
      (o) =>
        o.certFingerprint === cert.certFingerprint || o.spkiFingerprint === cert.spkiFingerprint,
    );
    const position = (s.rotation?.newHolders.length ?? 0) + 1;
    this.certificates.set(cert.certFingerprint, cert);
    this.host.dispatch({
      type: 'new-holder-added',
      holder: {
        certFingerprint: cert.certFingerprint,
        spkiFingerprint: cert.spkiFingerprint,
        bits: cert.bits,
        // Names and file names come from a stick or a file: shown, never obeyed.
        name: printable(newHolderName(cert.subject, position, kept?.name)),
        from: printable(from),
        ...(kept ? {keeps: kept.index} : {}),
      },
    });
  }

  /**
   * A new holder's stick: every certificate on it is offered (RSA ≥ 2048, one key once). A
   * key without its certificate cannot be wrapped to: the holder brings the .cer.
   */
  async readStick(stick: Stick): Promise<void> {
    if (this.host.getState().step !== 'enlist') return;
    const scan = await scanStick(stick);
    if (scan.status === 'gone')
      return this.refuse(`Stick ${stick.label} was removed while it was read.`);
    if (scan.certificates.length === 0)
      return this.refuse(
        `No certificate (.cer) on stick ${stick.label}: a new holder brings the certificate keygen or onboarding wrote beside their key.`,
      );
    for (const found of scan.certificates) {
      const cert = loadCertificate(found.file);
      if (!cert.ok) this.refuse(`${found.name} on stick ${stick.label}: ${cert.error.message}`);
      else this.offer(cert.value, `${found.name} on stick ${stick.label}`);
    }
  }

  /** A certificate named by a plan (the TUI reads sticks instead). */
  offerCertificate(cert: LoadedCertificate, file: string): void {
    this.offer(cert, file);
  }

  /** A native file carries its holders' certificates: a remaining holder is kept from it. */
  keep(index: number): void {
    const opened = this.host.openedDomain;
    if (opened?.format !== 'native')
      return this.refuse(
        'An Azure file names its holders by certificate thumbprint only: a remaining holder brings their .cer on their stick.',
      );
    const h = opened.domain.doc.holders[index - 1];
    if (!h) return this.refuse(`The old file has no holder ${index}.`);
    const cert = parseCertificate(
      opened.domain.describe().file,
      Buffer.from(h.certificate, 'base64'),
    );
    if (!cert.ok) return this.refuse(cert.error.message);
    this.offer(cert.value, `the old file (holder ${index})`);
  }

  drop(certFingerprint: string): void {
    this.host.dispatch({type: 'new-holder-dropped', certFingerprint});
  }

  /** The new set is complete: who is kept, added and departed, and what is then destroyed. */
  choose(): void {
    const s = this.host.getState();
    const opened = this.host.openedDomain;
    if (!s.rotation || !opened) return;
    const change = holderChange(
      this.oldHolders(),
      s.rotation.newHolders.map((h, i) => ({
        index: i + 1,
        name: h.name,
        certFingerprint: h.certFingerprint,
        spkiFingerprint: h.spkiFingerprint,
      })),
    );
    const d = opened.domain.describe();
    const destroy = destructions(
      {file: d.file, ...(opened.sha256 ? {sha256: opened.sha256} : {}), required: d.required},
      change,
    );
    this.host.dispatch({type: 'new-holders-chosen', change, destroy});
  }

  /** Whose departed key this is, by certificate or public-key fingerprint ("erin (holder 5)"). */
  departedHolder(fingerprints: ReadonlyArray<string | null | undefined>): string | undefined {
    const departed = this.host.getState().rotation?.change?.departed ?? [];
    const keys = this.oldHolders();
    for (const {old} of departed) {
      const spki = keys.find((k) => k.index === old.index)?.spkiFingerprint;
      if (fingerprints.some((f) => f && (f === old.certFingerprint || f === spki)))
        return old.name ? `${old.name} (holder ${old.index})` : `holder ${old.index}`;
    }
    return undefined;
  }

  chooseQuorum(required: number, confirmed = false): void {
    this.host.dispatch({type: 'choose-quorum', required, confirmed});
  }

  /** Writes the new file (never over one), checks it, and collects for it from now on. */
  async write(file: string): Promise<void> {
    const started = this.host.dispatch({type: 'rewrap-started'});
    const r = started.rotation;
    if (started.step !== 'rewrap' || !r?.writing || r.required === undefined) return;
    await tick();
    const old = this.host.openedDomain;
    const rec = this.host.reconstruction;
    const out = resolve(file);
    const certs = r.newHolders.map((h) => this.certificates.get(h.certFingerprint));
    const fail = (message: string) => this.host.dispatch({type: 'rewrap-failed', message});
    if (!old || !rec) return void fail('the old domain is no longer held; start again');
    if (existsSync(out))
      return void fail(
        `${out}: already exists; a rotation never writes over a file — choose another place.`,
      );
    const holders = r.newHolders.flatMap((h, i) => {
      const certificate = certs[i];
      return certificate ? [{name: h.name, certificate}] : [];
    });
    if (holders.length !== r.newHolders.length) return void fail('a new certificate is missing');
    // The new file against every pin before it exists (two HSMs may share their holders).
    const od = old.domain.describe();
    const pinned = rotationPinCheck(
      identityOf({
        ...od,
        sha256: null,
        holders: holders.map((h) => ({certFingerprint: h.certificate.certFingerprint})),
      }),
      rec.reportKey,
      this.pins?.() ?? [],
    );
    if (!pinned.ok) return void fail(pinned.message);
    const written = writeRewrapped({old, reconstructed: rec, holders, required: r.required}, out);
    if (!written.ok) return void fail(written.error.message);
    this.written = written.value.opened;
    this.host.dispatch({
      type: 'rewrapped',
      domain: summarise(written.value.opened),
      ...(pinned.notes.length > 0 ? {notes: pinned.notes.map(printable)} : {}),
    });
  }

  /**
   * Every new holder has opened their share: reconstruct the new file from all of them and
   * check each share against it. A holder is proven only when their share agrees.
   */
  async check(): Promise<void> {
    const after = this.host.dispatch({type: 'reconstruct'});
    const target = this.written;
    if (after.step !== 'prove' || !after.rotation?.checking || !target) return;
    await tick();
    const shares = this.host.takeShares();
    try {
      const r = target.domain.reconstruct(shares);
      const duplicates = duplicatesOf(r);
      for (const d of duplicates)
        this.host.dispatch({type: 'domain-problem', problem: duplicateShareProblem(d)});
      const proofs = proveAll(
        target.domain.describe().holders,
        shares.map((s) => ({holderIndex: s.holder.index, file: s.file})),
        r.ok ? r.value.badShares : r.error instanceof ReconstructError ? r.error.badShares : [],
        r.ok,
        duplicates,
      );
      const reportKey = r.ok ? r.value.reportKey : null;
      if (r.ok) r.value.wipe();
      // Every new holder proven, the same domain: the store may now link the new file.
      const all = proofs.length > 0 && proofs.every((p) => p.proven);
      if (all && reportKey !== null && reportKey === this.host.getState().identity?.reportKey)
        this.proven = identityOf({...target.domain.describe(), sha256: target.sha256 ?? null});
      this.host.dispatch({
        type: 'new-shares-checked',
        proven: proofs.filter((p) => p.proven).map((p) => p.index),
        unproven: proofs
          .filter((p) => !p.proven)
          .map((p) => ({holderIndex: p.index, reason: p.reason ?? (r.ok ? '' : r.error.message)})),
        reportKey,
      });
    } finally {
      for (const s of shares) wipe(s.secret);
    }
  }
}
