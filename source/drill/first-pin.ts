/**
 * Trust on first use is a decision. After a pass on a domain this machine's store has no record
 * of, its report key is pinned only when a person says so — the TUI asks on screen, a plan says
 * `"pinFirstUse": true` — and what they decide on is shown first: the file and its SHA-256, the
 * key, and any domain already pinned here that looks like this one (the same holders'
 * certificates, or the same HSM name, under another key). On a machine where the real domain
 * never passed, a substitute wrapped to the real holders' certificates opens with the real
 * keys: this is where someone comparing the key with the one on record can stop it.
 */
import type {CeremonyState} from '../ceremony/types.js';
import {identityOf, lookalikeNotes, type DomainPin} from '../store/pins.js';

export {needsFirstPin} from '../ceremony/steps.js';

export interface FirstPinFacts {
  label: string;
  format: 'native' | 'azure';
  file: string;
  fileSha256: string | null;
  reportKey: string;
  /** A native file whose authenticated header carries this key. */
  header: boolean;
  /** Other domains pinned here that a person could take this one for. */
  lookalikes: string[];
}

export function firstPinFacts(
  state: CeremonyState,
  pins: readonly DomainPin[],
): FirstPinFacts | undefined {
  const d = state.domain;
  const id = state.identity;
  if (!d || !id) return undefined;
  const identity = identityOf(d);
  return {
    label: identity.label,
    format: d.format,
    file: d.file,
    fileSha256: d.sha256 ?? null,
    reportKey: id.reportKey,
    header: id.pinnedBy === 'header',
    lookalikes: lookalikeNotes(pins, identity, id.reportKey),
  };
}

/** What is about to be pinned, one fact a line (the plan runner prints these). */
export function firstPinLines(f: FirstPinFacts): string[] {
  return [
    `domain file ${f.file} (${f.format}), sha256 ${f.fileSha256 ?? 'unknown'}`,
    `report key ${f.reportKey}${f.header ? " (the key its file's header carries)" : ''}`,
    ...f.lookalikes.map((l) => `note: ${l}`),
  ];
}
