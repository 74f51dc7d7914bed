/**
 * Passphrases come from a file (domain/passphrase-file.ts) or a masked prompt on a terminal —
 * never from the command line, where they would land in shell history and the process table.
 * They are held as Buffers and wiped.
 */
import {fail, inputError, ok, usageError, type Result} from '../errors.js';
import {wipe} from '../secret.js';

/** Reads a passphrase with echo off. Only on a terminal; the bytes go into a Buffer. */
export function promptPassphrase(prompt: string): Promise<Result<Buffer>> {
  const stdin = process.stdin;
  if (!stdin.isTTY || !process.stderr.isTTY) {
    return Promise.resolve(
      fail(
        usageError(
          'no-terminal',
          `${prompt.replace(/:\s*$/, '')}: no terminal to ask on — give --passphrase-file`,
        ),
      ),
    );
  }
  return new Promise((resolve) => {
    const buf = Buffer.alloc(1024);
    let len = 0;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    const finish = (result: Result<Buffer>): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      for (const byte of chunk) {
        if (byte === 0x03) {
          wipe(buf, chunk);
          finish(fail(inputError('cancelled', 'cancelled at the passphrase prompt')));
          return;
        }
        if (byte === 0x0d || byte === 0x0a) {
          const out = Buffer.from(buf.subarray(0, len));
          wipe(buf, chunk);
          finish(ok(out));
          return;
        }
        if (byte === 0x7f || byte === 0x08) {
          // One character, not one byte: UTF-8 continuation bytes (10xxxxxx), then the lead.
          while (len > 0 && ((buf[len - 1] ?? 0) & 0xc0) === 0x80) buf[--len] = 0;
          if (len > 0) buf[--len] = 0;
        } else if (len < buf.length) {
          buf[len++] = byte;
        }
      }
      wipe(chunk);
    };
    stdin.on('data', onData);
  });
}

/**
 * Reads one line typed on the terminal, shown as typed (a code read over the phone is not a
 * secret). Only on a terminal; Ctrl-C or Ctrl-D cancels.
 */
export async function promptLine(prompt: string): Promise<Result<string>> {
  if (!process.stdin.isTTY || !process.stderr.isTTY)
    return fail(
      usageError('no-terminal', `${prompt.replace(/[:?]\s*$/, '')}: no terminal to ask on`),
    );
  const {createInterface} = await import('node:readline');
  const rl = createInterface({input: process.stdin, output: process.stderr, terminal: true});
  return new Promise((resolve) => {
    let answered = false;
    const cancel = (): void => {
      if (answered) return;
      answered = true;
      rl.close();
      process.stderr.write('\n');
      resolve(fail(inputError('cancelled', 'cancelled at the prompt; nothing was written')));
    };
    rl.on('SIGINT', cancel);
    rl.on('close', cancel);
    rl.question(prompt, (line) => {
      answered = true;
      rl.close();
      resolve(ok(line));
    });
  });
}
