/**
 * `sd-drill contribute`: run by a holder at another site, on their own offline machine. Their
 * private key and passphrase never leave it; their share leaves it only sealed (HPKE) to the
 * key of the one ceremony that made the request, bound to that request, and signed with their
 * wrapping key (../remote/contribution.ts says why both).
 */
import {checkError, unwrap} from '../errors.js';
import {holderLabel} from '../domain/format.js';
import {sha256Hex, shortFingerprint, sniff} from '../domain/key-file.js';
import {openDomainFile} from '../domain/open.js';
import {presentKeyFile} from '../domain/present-key.js';
import {readSmallFileSync} from '../fs/read-file.js';
import {holderOf, payloadToSeal} from '../domain/remote-share.js';
import {writeFileAtomic} from '../fs/atomic-write.js';
import {contributionText, makeContribution, type Contribution} from '../remote/contribution.js';
import {MAX_REQUEST_BYTES, parseRequest, requestDigest, shortCode} from '../remote/request.js';
import {wipe} from '../secret.js';
import {out, printJson, warn} from './io.js';
import {readPassphraseFile} from '../domain/passphrase-file.js';
import {promptPassphrase} from './passphrases.js';

export interface ContributeOptions {
  request: string;
  sd: string;
  key: string;
  passphraseFile?: string;
  out: string;
  expectCode?: string;
  json?: boolean;
}

/** `7k3q m9px 2hda w4te` → `7K3Q-M9PX-2HDA-W4TE`, as read over the phone. */
export function normaliseCode(code: string): string {
  const chars = code
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return (chars.match(/.{1,4}/g) ?? []).join('-');
}

async function passphraseFor(options: ContributeOptions): Promise<Buffer | undefined> {
  if (options.passphraseFile) {
    const lines = unwrap(readPassphraseFile(options.passphraseFile));
    const [first, ...rest] = lines;
    wipe(...rest);
    return first && first.length > 0 ? first : undefined;
  }
  const bytes = readSmallFileSync(options.key);
  const encrypted = bytes.ok && sniff(bytes.value).kind === 'encrypted-private-key';
  if (bytes.ok) wipe(bytes.value);
  if (!encrypted) return undefined;
  return unwrap(await promptPassphrase(`Passphrase for ${options.key}: `));
}

export interface Contributed {
  code: string;
  holder: string;
  sha256: string;
  expiresAt: string;
}

/** Checks, seals, signs and writes the contribution; throws an SdError when it cannot. */
export async function contribute(
  options: ContributeOptions,
  onCode: (code: string) => void = () => {},
): Promise<Contributed> {
  const bytes = unwrap(readSmallFileSync(options.request, MAX_REQUEST_BYTES, 'request file'));
  const request = unwrap(parseRequest(options.request, bytes));
  const digest = requestDigest(request);
  const code = shortCode(digest);
  onCode(code);
  if (options.expectCode !== undefined && normaliseCode(options.expectCode) !== code)
    throw checkError(
      'code-mismatch',
      `${options.request}: its code is ${code}, not ${normaliseCode(options.expectCode)}: this is not the request the ceremony showed you — do not answer it; ask for the request again`,
      options.request,
    );
  const opened = unwrap(openDomainFile(options.sd));
  if (opened.sha256 !== request.domain.sha256)
    throw checkError(
      'other-domain',
      `${options.request}: is for another security-domain file (sha256 ${shortFingerprint(request.domain.sha256)}), not ${options.sd} (sha256 ${shortFingerprint(opened.sha256 ?? '')}); use the same file as the ceremony`,
      options.request,
    );
  const holder = holderOf(opened, request.holder.index);
  if (!holder || holder.certFingerprint !== request.holder.certFingerprint)
    throw checkError(
      'other-holder',
      `${options.request}: names holder ${request.holder.index} with a certificate ${options.sd} does not list for that holder`,
      options.request,
    );
  const expires = Date.parse(request.expiresAt);
  if (Date.now() > expires)
    warn(
      `the request expired at ${request.expiresAt} by this machine's clock: if that clock is right, the ceremony will refuse this contribution; ask for a new request`,
    );

  const passphrase = await passphraseFor(options);
  const presented = presentKeyFile(opened.domain, options.key, passphrase);
  wipe(passphrase);
  if (!presented.ok) throw presented.error;
  const {opened: share, key, certificate} = presented.value;
  let contribution: Contribution;
  try {
    if (share.holder.index !== request.holder.index)
      throw checkError(
        'not-requested-holder',
        `${options.key}: is the key of ${holderLabel(share.holder)}, but the request is for ${holderLabel(holder)}; use that holder's key, or ask the ceremony for a request to ${holderLabel(share.holder)}`,
        options.key,
      );
    const payload = unwrap(payloadToSeal(opened, share, key));
    try {
      contribution = await makeContribution({
        request,
        requestDigest: digest,
        payload,
        key,
        // Azure files name holders only by certificate: send it when it is the one named.
        ...(opened.format === 'azure' && certificate?.certFingerprint === holder.certFingerprint
          ? {certificate}
          : {}),
      });
    } finally {
      wipe(payload);
    }
  } finally {
    wipe(share.secret);
  }
  const text = contributionText(contribution);
  const written = writeFileAtomic(options.out, text, {mode: 0o644});
  if (!written.ok) throw written.error;
  return {
    code,
    holder: holderLabel(holder),
    sha256: sha256Hex(Buffer.from(text, 'utf8')),
    expiresAt: request.expiresAt,
  };
}

export async function contributeAction(options: ContributeOptions): Promise<void> {
  const done = await contribute(options, (code) => {
    if (!options.json) out(`Request code: ${code}`);
  });
  if (options.json) {
    printJson({code: done.code, out: options.out, sha256: done.sha256});
    return;
  }
  out(`Contribution of ${done.holder} written to ${options.out} (sha256 ${done.sha256}).`);
  out(
    `Compare the code above with the one the ceremony shows before this file leaves your hands. It holds your share sealed to that ceremony's key; it opens there only, once, until ${done.expiresAt}.`,
  );
}
