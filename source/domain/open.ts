/**
 * Opens a security-domain file of either format, detected from its content.
 */
import {closeSync, constants, openSync, readSync, statSync} from 'node:fs';
import {fail, inputError, type Result} from '../errors.js';
import {detectAzure, openAzureDomainJson, type AzureDomain} from './azure/reader.js';
import {openNativeDomain, type NativeDomain} from './native/reader.js';
import {NATIVE_FORMAT} from './native/schema.js';
import {readSmallFileSync} from '../fs/read-file.js';
import {sha256Hex} from './key-file.js';

/** A 10,000-key simulated domain is a few MB; anything far larger is not a domain file. */
export const MAX_DOMAIN_FILE_BYTES = 64 * 1024 * 1024;

export type OpenedDomain = (
  {format: 'native'; domain: NativeDomain} | {format: 'azure'; domain: AzureDomain}
) & {
  /** SHA-256 of the file's bytes as read: reports record it, pins are looked up by it. */
  sha256?: string;
};

/**
 * Invalid UTF-8 (decoded as U+FFFD) or a control character other than tab, CR, LF. A cut
 * through the last character's bytes is allowed: that is what truncation looks like.
 */
function notText(text: string): boolean {
  const end = text.length - 3;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0xfffd && i < end) || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d))
      return true;
  }
  return false;
}

function parseJson(file: string, bytes: Buffer): Result<unknown> {
  if (bytes.length === 0)
    return fail(inputError('empty', `${file}: is empty — not a security-domain file`, file));
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return {ok: true, value: JSON.parse(text)};
  } catch {
    const trimmed = text.trimEnd();
    // Cut JSON is text that opens like JSON and does not close. Bytes that are not text
    // (invalid UTF-8, control characters) are "not JSON" however they begin: random binary
    // starts with "{" one time in 256.
    const isText = !notText(text);
    const looksCut = isText && /^[[{]/.test(text.trimStart()) && !/[}\]]$/.test(trimmed);
    return fail(
      inputError(
        looksCut ? 'truncated' : 'not-json',
        looksCut
          ? `${file}: is truncated (the JSON ends early) — copy the security domain again from its backup`
          : `${file}: is not JSON — not a security-domain file`,
        file,
      ),
    );
  }
}

export function openDomainJson(file: string, json: unknown): Result<OpenedDomain> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return fail(
      inputError(
        'malformed',
        `${file}: is JSON but not a security-domain file (expected an object)`,
        file,
      ),
    );
  }
  if ((json as {format?: unknown}).format === NATIVE_FORMAT) {
    const r = openNativeDomain(file, json);
    return r.ok ? {ok: true, value: {format: 'native', domain: r.value}} : r;
  }
  if (detectAzure(json)) {
    const r = openAzureDomainJson(file, json);
    return r.ok ? {ok: true, value: {format: 'azure', domain: r.value}} : r;
  }
  return fail(
    inputError(
      'unknown-format',
      `${file}: is JSON but neither an sd-drill nor an Azure Managed HSM security domain`,
      file,
    ),
  );
}

export function openDomainFile(file: string): Result<OpenedDomain> {
  const bytes = readSmallFileSync(file, MAX_DOMAIN_FILE_BYTES, 'security-domain file');
  if (!bytes.ok) return bytes;
  const json = parseJson(file, bytes.value);
  if (!json.ok) return json;
  const opened = openDomainJson(file, json.value);
  if (!opened.ok) return opened;
  return {ok: true, value: {...opened.value, sha256: sha256Hex(bytes.value)}};
}

/** A cheap look at a file's head: does it look like a security domain of either format? */
export function detectDomainFile(file: string): boolean {
  let fd: number | undefined;
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > MAX_DOMAIN_FILE_BYTES) return false;
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, n).toString('utf8');
    return (
      text.includes(`"${NATIVE_FORMAT}"`) ||
      (text.includes('"EncData"') && text.includes('SharedKeys'))
    );
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
