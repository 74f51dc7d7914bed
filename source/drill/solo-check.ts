/**
 * The TUI's fifth use, "Check my key (one holder)": no ceremony, no quorum, no custodian of
 * the whole domain — one holder with their stick and their copy of the domain file. The
 * domain file is chosen, the stick inserted, the passphrase typed; the check (../proof/) says
 * whether the key opens the holder's true share. On a pass the holder may write their signed
 * attestation to the stick for the ceremony lead. The passphrase lives in a Buffer only until
 * the check has used it; the share never leaves the check; the unlocked key is dropped when
 * the attestation is written or declined, the stick leaves, or the check is left.
 */
import {basename, join} from 'node:path';
import type {StickInfo} from '../ceremony/types.js';
import {holderLabel} from '../domain/format.js';
import {openDomainFile, type OpenedDomain} from '../domain/open.js';
import type {FoundKey} from '../media/key-material.js';
import {scanStick} from '../media/scan.js';
import type {Stick} from '../media/stick.js';
import type {CheckResult, Signer} from '../proof/check.js';
import {runCheck, writeAttestation} from '../proof/run-check.js';
import {wipe} from '../secret.js';
import {stickInfo} from './arrivals/desk.js';

/** Three tries, as at a drill: a passphrase that needs more is not at hand on the day. */
export const SOLO_PASSPHRASE_TRIES = 3;

export type SoloStep = 'domain' | 'stick' | 'passphrase' | 'checking' | 'result';

export interface SoloState {
  step: SoloStep;
  domain?: {file: string; label: string; format: 'native' | 'azure'; total: number};
  stick?: StickInfo;
  /** The key file on the stick being checked (relative to the stick) and whether it is locked. */
  key?: {file: string; name: string; encrypted: boolean};
  /** Wrong passphrases so far. */
  failures: number;
  notice?: {level: 'info' | 'warning' | 'error'; text: string};
  result?: CheckResult;
  /** The store the pass was recorded in (as the holder's last proof). */
  recorded?: string;
  /** After a pass: the attestation offered, written (where), or declined. */
  attestation?: {state: 'offered'} | {state: 'written'; file: string} | {state: 'declined'};
}

export interface SoloOptions {
  toolVersion: string;
  now?: () => number;
}

export class SoloCheckSession {
  private state: SoloState = {step: 'domain', failures: 0};
  private readonly listeners = new Set<() => void>();
  private opened: OpenedDomain | undefined;
  private signer: Signer | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SoloOptions) {
    this.now = options.now ?? Date.now;
  }

  getState = (): SoloState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The state without its notice (a new step says its own). */
  private quiet(): SoloState {
    const {notice: _, ...rest} = this.state;
    return rest;
  }

  private set(next: SoloState): void {
    this.state = next;
    for (const l of this.listeners) l();
  }

  chooseDomain(file: string): boolean {
    const opened = openDomainFile(file);
    if (!opened.ok) {
      this.set({...this.state, notice: {level: 'error', text: opened.error.message}});
      return false;
    }
    this.opened = opened.value;
    const d = opened.value.domain.describe();
    this.set({
      step: 'stick',
      failures: 0,
      domain: {file: d.file, label: d.name ?? basename(d.file), format: d.format, total: d.total},
    });
    return true;
  }

  /** The key on the stick to check: one the domain names (certificate, public key), else the first. */
  private pick(keys: readonly FoundKey[]): FoundKey | undefined {
    const domain = this.opened?.domain;
    const named = keys.find((k) =>
      domain?.matchKey({
        ...(k.fingerprintKind === 'certificate' && k.fingerprint
          ? {certificate: {certFingerprint: k.fingerprint}}
          : {}),
        ...(k.spkiFingerprint ? {spkiFingerprint: k.spkiFingerprint} : {}),
      }),
    );
    return named ?? keys.find((k) => k.encrypted) ?? keys[0];
  }

  async stickInserted(stick: Stick): Promise<void> {
    if (this.state.step !== 'stick') return;
    const info = stickInfo(stick);
    const scan = await scanStick(stick);
    if (scan.status === 'gone') return;
    const key = this.pick(scan.keys);
    if (!key) {
      this.set({
        ...this.state,
        notice: {level: 'warning', text: `No private key found on stick ${info.label}.`},
      });
      return;
    }
    this.set({
      ...this.quiet(),
      step: key.encrypted ? 'passphrase' : 'checking',
      stick: info,
      key: {file: key.file, name: key.name, encrypted: key.encrypted},
      failures: 0,
    });
    if (!key.encrypted) await this.check(undefined);
  }

  /** The stick left: whatever was under way with it ends, and the unlocked key is dropped. */
  stickRemoved(path: string): void {
    if (this.state.stick?.path !== path) return;
    this.signer = undefined;
    if (this.state.step === 'passphrase') this.again();
    else if (this.state.attestation?.state === 'offered')
      this.set({...this.state, attestation: {state: 'declined'}});
  }

  /** The passphrase (wiped here, whatever happens). */
  async submitPassphrase(passphrase: Buffer): Promise<void> {
    if (this.state.step !== 'passphrase') return wipe(passphrase);
    this.set({...this.quiet(), step: 'checking'});
    await this.check(passphrase);
  }

  private async check(passphrase: Buffer | undefined): Promise<void> {
    const opened = this.opened;
    const key = this.state.key;
    if (!opened || !key) return wipe(passphrase);
    // Let the screen show "checking" before the key's KDF holds the thread.
    await new Promise((r) => setTimeout(r, 20));
    let run;
    try {
      run = await runCheck({
        opened,
        keyFile: key.file,
        ...(passphrase ? {passphrase} : {}),
        now: this.now,
        toolVersion: this.options.toolVersion,
      });
    } finally {
      wipe(passphrase);
    }
    if (!run.ok) {
      this.set({...this.state, step: 'result', notice: {level: 'error', text: run.error.message}});
      return;
    }
    const {result, signer} = run.value;
    if (result.failure?.reason === 'wrong-passphrase') {
      const failures = this.state.failures + 1;
      if (failures < SOLO_PASSPHRASE_TRIES) {
        this.set({
          ...this.state,
          step: 'passphrase',
          failures,
          notice: {
            level: 'warning',
            text: `Wrong passphrase (try ${failures + 1} of ${SOLO_PASSPHRASE_TRIES}).`,
          },
        });
        return;
      }
      this.set({...this.state, step: 'result', failures, result});
      return;
    }
    this.signer = signer;
    const notice =
      run.value.warnings.length > 0
        ? {level: 'warning' as const, text: run.value.warnings.join(' ')}
        : undefined;
    this.set({
      ...this.quiet(),
      step: 'result',
      result,
      ...(run.value.recorded ? {recorded: run.value.recorded} : {}),
      ...(result.ok && signer ? {attestation: {state: 'offered'}} : {}),
      ...(notice ? {notice} : {}),
    });
  }

  /** After a pass: writes the attestation onto the holder's stick, never over a file. */
  attest(): void {
    const {result, stick, attestation} = this.state;
    const signer = this.signer;
    if (!result?.ok || !stick || !signer || attestation?.state !== 'offered' || !this.opened)
      return;
    const at = new Date(this.now());
    const holder = result.holder?.index ?? 0;
    const file = join(
      stick.path,
      `sd-drill-attestation-holder-${holder}-${at.toISOString().slice(0, 10)}-${at.getTime().toString(36)}.json`,
    );
    const written = writeAttestation(this.opened, result, signer, file, {
      at: at.toISOString(),
      toolVersion: this.options.toolVersion,
    });
    this.signer = undefined;
    if (!written.ok) {
      this.set({...this.state, notice: {level: 'error', text: written.error.message}});
      return;
    }
    if ('why' in written.value) {
      this.set({
        ...this.state,
        attestation: {state: 'declined'},
        notice: {level: 'warning', text: written.value.why},
      });
      return;
    }
    this.set({...this.state, attestation: {state: 'written', file}});
  }

  decline(): void {
    this.signer = undefined;
    if (this.state.attestation?.state === 'offered')
      this.set({...this.state, attestation: {state: 'declined'}});
  }

  /** Another check (another stick) on the same domain. */
  again(): void {
    this.signer = undefined;
    const {domain} = this.state;
    this.set(domain ? {step: 'stick', failures: 0, domain} : {step: 'domain', failures: 0});
  }

  /** Cancels a passphrase prompt: back to the stick. */
  cancel(): void {
    if (this.state.step === 'passphrase') this.again();
  }

  /** Leaving the check: nothing is kept. */
  dispose(): void {
    this.signer = undefined;
    this.listeners.clear();
  }

  /** "holder 3 (carol)", for the screen. */
  holderName(): string | undefined {
    const h = this.state.result?.holder;
    return h ? holderLabel(h) : undefined;
  }
}
