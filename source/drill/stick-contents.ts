/**
 * What is on each stick present, for ordering and labelling the lists people choose from:
 * how many private keys, and the fingerprints (certificate and public key) of what it
 * carries. Public facts only; nothing is decrypted. A stick that holds no key (a backup stick)
 * is not where the next holder's key is, and is the first place for a new domain file.
 */
import {scanStick} from '../media/scan.js';
import type {Stick} from '../media/stick.js';

export interface StickContents {
  /** Private keys found (encrypted or not). */
  keys: number;
  /** Certificates found (beside a key or alone). */
  certificates: number;
  /** Remote holders' contribution files on it. */
  contributions: number;
  /** SHA-256 fingerprints of the certificates and public keys on it, where readable. */
  fingerprints: string[];
}

export async function stickContents(sticks: readonly Stick[]): Promise<Map<string, StickContents>> {
  const out = new Map<string, StickContents>();
  for (const stick of sticks) {
    const scan = await scanStick(stick);
    if (scan.status === 'gone') continue;
    const fingerprints = new Set<string>();
    for (const m of [...scan.keys, ...scan.certificates]) {
      if (m.fingerprint) fingerprints.add(m.fingerprint);
      if (m.spkiFingerprint) fingerprints.add(m.spkiFingerprint);
    }
    out.set(stick.path, {
      keys: scan.keys.length,
      certificates: scan.certificates.length,
      contributions: scan.contributions.length,
      fingerprints: [...fingerprints],
    });
  }
  return out;
}
