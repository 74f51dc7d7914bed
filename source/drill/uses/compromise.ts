/**
 * The compromise rehearsal's effects (the machine's side is ../../ceremony/uses/compromise.ts):
 * provisioning the new HSM — a new native security domain, a fresh domain key, wrapped to the
 * new holders' certificates the rotation's enlist step gathered, written beside nothing and
 * read back and checked — then, once its holders have proven their keys (the rotation's
 * check), migrating every key of the old instance into a new instance and purging the old one
 * only if every key made it.
 *
 * Secrets it holds, and wipes: the new domain's key (the new HSM's own; the report is signed
 * with the key derived from it, and only on a pass), the old instance's copy of its keys and
 * the new instance's AES keys. The old instance comes from the old domain the quorum
 * reconstructed, which stays the session's.
 */
import {randomBytes, randomUUID} from 'node:crypto';
import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import type {CeremonyEvent, CeremonyState} from '../../ceremony/types.js';
import type {ReconstructedDomain} from '../../domain/format.js';
import type {NativeReconstructed} from '../../domain/native/reader.js';
import {createNativeDomain} from '../../domain/native/writer.js';
import {openDomainFile, type OpenedDomain} from '../../domain/open.js';
import {reportPublicKey} from '../../domain/report-key.js';
import {sha256Hex} from '../../domain/key-file.js';
import {writeFileAtomic} from '../../fs/atomic-write.js';
import {
  buildManifest,
  encodeContents,
  generateContents,
  wipeContents,
} from '../../hsm/inventory.js';
import {migrateInventory, NewInstance, OldInstance} from '../../hsm/migration.js';
import {wipe} from '../../secret.js';
import {summarise} from '../summary.js';
import type {RotationWork} from './rotation.js';

export interface CompromiseHost {
  getState(): CeremonyState;
  dispatch(event: CeremonyEvent): CeremonyState;
  readonly openedDomain: OpenedDomain | undefined;
  readonly reconstruction: ReconstructedDomain | undefined;
}

const tick = () => new Promise((r) => setTimeout(r, 20));

/** The new HSM's name: the old one's, marked as its successor. */
export const successorName = (oldName: string): string => `${oldName}-new`;

export class CompromiseWork {
  private newDomainKey: Buffer | undefined;
  private old: OldInstance | undefined;
  private next: NewInstance | undefined;

  constructor(
    private readonly host: CompromiseHost,
    private readonly rotation: RotationWork,
  ) {}

  /** Holders whose sticks were reported lost (`drill --lost`, a plan's `lost`). */
  reportLost(holders: readonly number[]): void {
    this.host.dispatch({type: 'lost-reported', holders: [...holders]});
  }

  /**
   * The new domain's key, to sign the report with — only once the rehearsal passed, and only
   * while it is the key the new file's header pins.
   */
  get signingSecret(): Buffer | undefined {
    const s = this.host.getState();
    const pinned = s.rotation?.to?.domain.reportKey;
    const key = this.newDomainKey;
    if (s.mode !== 'compromise' || s.outcome?.verdict !== 'pass' || !key || !pinned)
      return undefined;
    return reportPublicKey(key) === pinned ? key : undefined;
  }

  /**
   * Provisions the new HSM: a new security domain (new id, new key, the new HSM's own signing
   * and data-encryption keys) wrapped to the chosen holders with the chosen quorum, written to
   * `file` (never over one), read back and checked. The new holders then prove against it.
   */
  async provision(file: string): Promise<void> {
    const started = this.host.dispatch({type: 'rewrap-started'});
    const r = started.rotation;
    if (started.step !== 'rewrap' || !r?.writing || r.required === undefined) return;
    await tick();
    const fail = (message: string) => void this.host.dispatch({type: 'rewrap-failed', message});
    const old = this.host.openedDomain;
    if (old?.format !== 'native') return fail('the old domain is no longer held; start again');
    const out = resolve(file);
    if (existsSync(out))
      return fail(
        `${out}: already exists; the new HSM's domain is never written over a file — choose another place.`,
      );
    const certs = this.rotation.chosenCertificates();
    if (!certs) return fail('a new holder’s certificate is missing');
    const name = successorName(old.domain.doc.domain.hsmName);
    const id = randomUUID();
    const contents = await generateContents({name, id}, 0);
    const payload = encodeContents(contents);
    const manifest = buildManifest(id, contents);
    wipeContents(contents);
    wipe(this.newDomainKey);
    const key = randomBytes(32);
    this.newDomainKey = key;
    let text: string;
    try {
      text = createNativeDomain({
        hsmName: name,
        id,
        required: r.required,
        holders: r.newHolders.map((h, i) => ({
          name: h.name,
          certificate: certs[i] as (typeof certs)[0],
        })),
        payload,
        manifest,
        domainKey: key,
      });
    } finally {
      wipe(payload);
    }
    const written = writeFileAtomic(out, text);
    if (!written.ok) return fail(written.error.message);
    const back = openDomainFile(out);
    if (!back.ok) return fail(back.error.message);
    const problem = this.problemWith(
      back.value,
      text,
      r.required,
      certs.map((c) => c.certFingerprint),
    );
    if (problem)
      return fail(
        `${out}: the new HSM's security domain does not check: ${problem}; do not use it`,
      );
    this.rotation.adopt(back.value);
    this.host.dispatch({type: 'rewrapped', domain: summarise(back.value)});
  }

  /** The new file as read back, against what was written and the key in hand. */
  private problemWith(
    opened: OpenedDomain,
    text: string,
    required: number,
    holders: string[],
  ): string | undefined {
    const key = this.newDomainKey;
    if (opened.format !== 'native' || !key) return 'it is not an sd-drill domain';
    if (opened.sha256 !== sha256Hex(Buffer.from(text, 'utf8')))
      return 'the file read back is not the file written';
    const d = opened.domain.describe();
    if (
      d.required !== required ||
      d.holders.map((h) => h.certFingerprint).join() !== holders.join()
    )
      return 'its quorum or holders are not the ones chosen';
    if (d.reportKey !== reportPublicKey(key)) return "its header does not pin the new domain's key";
    const payload = opened.domain.decryptPayload(key);
    if (!payload.ok) return payload.error.message;
    wipe(payload.value);
    return undefined;
  }

  /** Every new holder has opened their share: check each, then (if all proved) migrate. */
  async check(): Promise<void> {
    await this.rotation.check();
    if (this.host.getState().step === 'migrate') await this.migrate();
  }

  /**
   * Migrates every key of the old instance into the new one, reporting each slice; stops when
   * the drill leaves the migrate step (an abort). Purges the old instance only when the machine
   * has seen every key migrated and checked.
   */
  private async migrate(): Promise<void> {
    const opened = this.host.openedDomain;
    const rec = this.host.reconstruction as NativeReconstructed | undefined;
    const s = this.host.getState();
    if (s.step !== 'migrate' || opened?.format !== 'native' || !rec?.payload) return;
    const doc = opened.domain.doc;
    const old = OldInstance.fromPayload(doc.domain.id, rec.payload, doc.manifest);
    if (!old) {
      this.host.dispatch({
        type: 'migration-failed',
        message:
          'the old domain’s contents are not a readable HSM backup, so the old instance could not be brought up',
      });
      return;
    }
    this.old = old;
    const next = new NewInstance(s.rotation?.to?.domain.name ?? successorName(doc.domain.hsmName));
    this.next = next;
    this.host.dispatch({type: 'migration-started', total: old.inventory.length});
    const outcome = await migrateInventory(old, next, {
      onBatch: (keys, upcoming) =>
        void this.host.dispatch({
          type: 'keys-migrated',
          keys,
          ...(upcoming ? {next: upcoming} : {}),
        }),
      stopped: () => this.host.getState().step !== 'migrate',
    });
    if (outcome === 'stopped') return this.wipe();
    const after = this.host.dispatch({type: 'migration-finished'});
    if (after.step === 'migrate') {
      // Every key made it: the old instance's keys are wiped, and the old domain's too.
      old.purge();
      this.host.reconstruction?.wipe();
      this.host.dispatch({type: 'old-purged'});
    }
    next.wipe();
  }

  /** Wipes what this rehearsal holds (the session calls it with its own wipe). */
  wipe(): void {
    // Wiping memory at the end is not a purge: the state says purged only when it was one.
    this.old?.purge();
    this.next?.wipe();
    wipe(this.newDomainKey);
    this.newDomainKey = undefined;
  }
}
