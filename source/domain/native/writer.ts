import {createCipheriv, publicEncrypt, randomBytes, randomUUID, constants} from 'node:crypto';
import {wipe} from '../../secret.js';
import {deriveReportKey} from '../report-key.js';
import {shareCommitment} from '../commitment.js';
import {signHeaderCommitments} from './commitments.js';
import type {LoadedCertificate} from '../key-file.js';
import {headerAad, keyCheck, oaepLabel, payloadKey, voucher} from './crypto.js';
import {NATIVE_FORMAT, NATIVE_VERSION, type NativeDomainFile} from './schema.js';
import {splitSecret} from './shamir.js';

export interface NativeDomainInput {
  hsmName: string;
  id?: string;
  created?: string;
  /** 1 for a new domain; a rotation writes the old one's plus one. */
  generation?: number;
  /**
   * The domain key to split (a rotation keeps the domain's, so its report key stays the
   * same); a fresh random one when absent. Not wiped here: the caller owns it.
   */
  domainKey?: Buffer;
  required: number;
  holders: Array<{name: string; certificate: LoadedCertificate}>;
  /** The domain contents (already encoded); encrypted here, not kept. */
  payload: Buffer;
  manifest: NativeDomainFile['manifest'];
}

/**
 * Builds a native security-domain document. Returns the JSON text; the domain key and the
 * shares exist only inside this function and are wiped before it returns.
 */
export function createNativeDomain(input: NativeDomainInput): string {
  const id = input.id ?? randomUUID();
  const total = input.holders.length;
  const holders = input.holders.map((h, i) => ({
    index: i + 1,
    name: h.name,
    certFingerprint: h.certificate.certFingerprint,
    spkiFingerprint: h.certificate.spkiFingerprint,
    bits: h.certificate.bits,
    certificate: h.certificate.der.toString('base64'),
  }));
  const domainKey = input.domainKey ? Buffer.from(input.domainKey) : randomBytes(32);
  const reportKey = deriveReportKey(domainKey);
  const generation = input.generation ?? 1;
  const domain = {
    id,
    hsmName: input.hsmName,
    created: input.created ?? new Date().toISOString(),
    generation,
    // The report key is pinned in the authenticated header: see ../report-key.ts.
    reportKey: reportKey.publicKey,
  };
  const quorum = {required: input.required, total};
  const shares = splitSecret(domainKey, total, input.required);
  // Every holder's share commitment, signed by the report key: a holder checks alone against it.
  const commitments = signHeaderCommitments(
    {domain, quorum, holders},
    shares.map((share, i) => ({
      holder: i + 1,
      sha256: shareCommitment({domain: `native:${id}`, generation, index: i + 1}, share),
    })),
    reportKey,
  );
  const header = {
    format: NATIVE_FORMAT,
    version: NATIVE_VERSION,
    domain,
    quorum,
    holders,
    manifest: input.manifest,
    commitments,
  } as const;
  const aad = headerAad(header);
  const encKey = payloadKey(domainKey, id);
  try {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', encKey, iv);
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(input.payload), cipher.final()]);
    const tag = cipher.getAuthTag();
    const shareEntries = input.holders.map((h, i) => {
      const index = i + 1;
      const share = shares[i] as Buffer;
      const encrypted = publicEncrypt(
        {
          key: h.certificate.publicKey,
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: 'sha256',
          oaepLabel: oaepLabel(id, index),
        },
        share,
      );
      const vouchers = shares
        .map((other, j) => ({by: j + 1, other}))
        .filter(({by}) => by !== index)
        .map(({by, other}) => ({by, mac: voucher(other, id, index, share).toString('base64')}));
      return {
        holder: index,
        certFingerprint: h.certificate.certFingerprint,
        alg: 'RSA-OAEP-256' as const,
        ciphertext: encrypted.toString('base64'),
        vouchers,
      };
    });
    const {commitments: signed, ...rest} = header;
    const doc: NativeDomainFile = {
      ...rest,
      shares: shareEntries,
      commitments: signed,
      keyCheck: keyCheck(domainKey, id, aad).toString('base64'),
      payload: {
        alg: 'A256GCM',
        iv: iv.toString('base64'),
        tag: tag.toString('base64'),
        ciphertext: ciphertext.toString('base64'),
      },
    };
    return `${JSON.stringify(doc, null, 1)}\n`;
  } finally {
    wipe(domainKey, encKey, ...shares);
  }
}
