/**
 * Proof of recovery: a passing drill's report is signed with the domain's report key
 * (../domain/report-key.ts), which only a quorum that reconstructed the domain can use.
 * Signed bytes: the RFC 8785 (JCS) canonical JSON of the report without `proof.signature`.
 */
import {sign, verify} from 'node:crypto';
import {canonicalJson} from '../canonical-json.js';
import {publicKeyObject, type ReportSigningKey} from '../domain/report-key.js';

export {
  deriveReportKey,
  MIN_SECRET_BYTES,
  publicKeyObject,
  type ReportSigningKey,
} from '../domain/report-key.js';

/** The bytes a report's signature covers: its canonical JSON without `proof.signature`. */
export function signedBytes(report: unknown): Buffer {
  if (report === null || typeof report !== 'object') throw new TypeError('not a report');
  const {proof, ...rest} = report as {proof?: unknown};
  let unsignedProof: unknown = proof;
  if (proof !== null && typeof proof === 'object') {
    const {signature: _signature, ...others} = proof as Record<string, unknown>;
    unsignedProof = others;
  }
  return Buffer.from(canonicalJson({...rest, proof: unsignedProof}), 'utf8');
}

export function signBytes(key: ReportSigningKey, data: Buffer): string {
  return sign(null, data, key.privateKey).toString('base64');
}

export function verifyBytes(publicKeyB64: string, data: Buffer, signatureB64: string): boolean {
  try {
    const signature = Buffer.from(signatureB64, 'base64');
    if (signature.length !== 64) return false;
    return verify(null, data, publicKeyObject(publicKeyB64), signature);
  } catch {
    return false;
  }
}
