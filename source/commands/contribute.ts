/**
 * `sd-drill contribute`: run by a holder at another site, on their own offline machine. Their
 * private key and passphrase never leave it; their share leaves it only sealed (HPKE) to the
 * key of the one ceremony that made the request, bound to that request, and signed with their
 * wrapping key (../remote/contribution.ts says why both).
 *
 * A request is only as trustworthy as its code: anyone on the courier's path can write one
 * (the domain file's digest and a holder's certificate are public) with their own key in it.
 * So the holder is shown what is asked (the domain as their own file names it, the holder,
 * the expiry) and nothing is sealed until they type the code the ceremony reads to them over
 * another channel (or give it with --expect-code; without a terminal that is required).
 */
import {checkError, inputError, printable, SdError, unwrap, usageError} from '../errors.js';
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
import {promptLine, promptPassphrase} from './passphrases.js';

export interface ContributeOptions {
  request: string;
  sd: string;
  key: string;
  passphraseFile?: string;
  out: string;
  expectCode?: string;
  json?: boolean;
}

/** `7k3q m9px 2hda w4te 5rnb` → `7K3Q-M9PX-2HDA-W4TE-5RNB`, as read over the phone. */
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
  /** The domain as the holder's own file names it, and that file's SHA-256. */
  domain: {label: string; file: string; sha256: string};
  /** How the holder confirmed the code: typed at the prompt, or given with --expect-code. */
  confirmed: 'typed' | 'expect-code';
  holder: string;
  sha256: string;
  expiresAt: string;
}

/** What the holder is shown before anything is sealed (never the request's code). */
export interface RequestFacts {
  domain: string;
  file: string;
  fileSha256: string;
  holder: string;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
}

export interface ContributeIo {
  /** Shown to the holder: the request's facts, one line each. */
  show?: (facts: RequestFacts) => void;
  /** Asks the holder to type the code; undefined: no terminal (then --expect-code is needed). */
  askCode?: () => Promise<string>;
  /** Told once the code matched. */
  confirmed?: (code: string) => void;
}

const TRIES = 3;

/**
 * The holder types the code the ceremony reads to them (or gives it with --expect-code): the
 * request is sealed to only if it matches. The request's own code is never shown first — a
 * code copied off this screen would confirm nothing.
 */
async function confirmCode(
  options: ContributeOptions,
  code: string,
  io: ContributeIo,
): Promise<'typed' | 'expect-code'> {
  const refuse = (given: string) =>
    checkError(
      'code-mismatch',
      `${options.request}: its code is not ${given}, the code you were given: this is not the request the ceremony showed you — do not answer it; nothing was written; ask for the request again`,
      options.request,
    );
  if (options.expectCode !== undefined || !io.askCode) {
    const given = normaliseCode(options.expectCode ?? '');
    if (given !== code) throw refuse(given);
    return 'expect-code';
  }
  for (let tries = 1; ; tries++) {
    const given = normaliseCode(await io.askCode());
    if (given === code) return 'typed';
    if (tries >= TRIES) throw refuse(given || '(nothing)');
    process.stderr.write(
      `That is not this request's code (you typed ${given || 'nothing'}). Check it with the ceremony lead; ${TRIES - tries} ${TRIES - tries === 1 ? 'try' : 'tries'} left.\n`,
    );
  }
}

/** Checks, confirms the code, seals, signs and writes the contribution; throws an SdError. */
export async function contribute(
  options: ContributeOptions,
  io: ContributeIo = {},
): Promise<Contributed> {
  if (options.expectCode === undefined && !io.askCode)
    throw usageError(
      'no-code',
      'contribute seals only to a request whose code you confirm: give --expect-code CODE (the code the ceremony reads to you) when there is no terminal to type it on',
    );
  const bytes = unwrap(readSmallFileSync(options.request, MAX_REQUEST_BYTES, 'request file'));
  const request = unwrap(parseRequest(options.request, bytes));
  const digest = requestDigest(request);
  const code = shortCode(digest);
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
  const d = opened.domain.describe();
  // The domain as this holder's own file names it, not as the request says.
  io.show?.({
    domain: d.name ?? d.id ?? d.file,
    file: options.sd,
    fileSha256: opened.sha256 ?? '',
    holder: holderLabel(holder),
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    expired: Date.now() > expires,
  });
  const confirmed = await confirmCode(options, code, io);
  io.confirmed?.(code);

  const passphrase = await passphraseFor(options);
  const presented = await presentKeyFile(opened.domain, options.key, passphrase);
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
    // Said once the contribution is really about to be made (a refusal above stands alone).
    if (Date.now() > expires)
      warn(
        `the request expired at ${request.expiresAt} by this machine's clock: if that clock is right, the ceremony will refuse this contribution; ask for a new request`,
      );
    const payload = unwrap(payloadToSeal(opened, share, key));
    try {
      contribution = await sealTo(options.request, {
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
    confirmed,
    domain: {label: d.name ?? d.id ?? d.file, file: options.sd, sha256: opened.sha256 ?? ''},
    holder: holderLabel(holder),
    sha256: sha256Hex(Buffer.from(text, 'utf8')),
    expiresAt: request.expiresAt,
  };
}

/** Seals; a request whose public key is no usable X25519 key is bad input, said in one line. */
async function sealTo(
  file: string,
  input: Parameters<typeof makeContribution>[0],
): Promise<Contribution> {
  try {
    return await makeContribution(input);
  } catch (error) {
    if (error instanceof SdError && error.reason === 'bad-request-key')
      throw inputError(error.reason, `${file}: ${error.message}`, file);
    throw error;
  }
}

export async function contributeAction(options: ContributeOptions): Promise<void> {
  const terminal = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const asking = terminal && options.expectCode === undefined;
  const done = await contribute(options, {
    // With --json and --expect-code, a script is running it: the JSON says what was sealed.
    show: (f) => {
      if (options.json && !asking) return;
      // What is asked, before anything is sealed (on stderr with --json: stdout is the JSON).
      const say = (line: string) =>
        (options.json ? process.stderr : process.stdout).write(`${printable(line)}\n`);
      say(`Request for ${f.holder} of ${f.domain}`);
      say(`  your domain file ${f.file}, sha256 ${f.fileSha256}: the file the request names`);
      say(
        `  made ${f.createdAt}, expires ${f.expiresAt}${f.expired ? ' — EXPIRED by this machine’s clock' : ''}`,
      );
    },
    ...(asking
      ? {
          askCode: async () =>
            unwrap(await promptLine('Type the code the ceremony lead reads to you: ')),
        }
      : {}),
  });
  if (options.json) {
    printJson({
      code: done.code,
      confirmed: done.confirmed,
      domain: done.domain,
      holder: done.holder,
      out: options.out,
      sha256: done.sha256,
      expiresAt: done.expiresAt,
    });
    return;
  }
  out(
    `Code ${done.code} confirmed (${done.confirmed === 'expect-code' ? 'it matches --expect-code' : 'as typed'}): this is the request the ceremony showed you.`,
  );
  out(`Contribution of ${done.holder} written to ${options.out} (sha256 ${done.sha256}).`);
  out(
    `It holds your share sealed to the key of that ceremony only: only it can open the file, it counts there once, and it is refused after ${done.expiresAt} or once that ceremony has ended. Send it back by any route.`,
  );
}
