/**
 * Passphrase files: one line per key, in order; an empty line for an unencrypted key. The
 * headless commands and `drill --plan` both read them, so the reader lives below both.
 * Lines are Buffers the caller wipes; the file's own bytes are wiped here.
 */
import {ok, type Result} from '../errors.js';
import {readPassphraseSource} from '../fs/read-file.js';
import {wipe} from '../secret.js';

/** Splits a passphrase file into per-line Buffers (CRLF tolerated); wipes the file's bytes. */
export function readPassphraseFile(file: string): Result<Buffer[]> {
  const bytes = readPassphraseSource(file);
  if (!bytes.ok) return bytes;
  const data = bytes.value;
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    if (i === data.length || data[i] === 0x0a) {
      let end = i;
      if (end > start && data[end - 1] === 0x0d) end--;
      lines.push(Buffer.from(data.subarray(start, end)));
      start = i + 1;
    }
  }
  // A final newline does not make one more (empty) passphrase.
  if (lines.length > 0 && data.length > 0 && data[data.length - 1] === 0x0a) lines.pop();
  wipe(data);
  return ok(lines);
}
