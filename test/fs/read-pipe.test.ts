/**
 * A passphrase file given as a pipe — `--passphrase-file <(pass show …)` or `/dev/stdin` fed by
 * a pipe, so the secret never touches the disk — is read to its end, its writer coming before or
 * after sd-drill opens it; a FIFO nobody writes to, or one held open without ending, is given up
 * after the deadline with one line saying what to do: never a hang.
 */
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {readPassphraseSource, readPipeSync} from '../../source/fs/read-file.js';
import {bundle, demoKey, demoPassphrase, demoSd} from '../helpers/paths.js';
import {tempDir} from '../helpers/temp.js';

function fifo(): string {
  const dir = tempDir('read-pipe');
  const f = join(dir, 'pass.fifo');
  execFileSync('mkfifo', [f]);
  return f;
}

/** A child that opens the FIFO for writing, writes `text` (if any), and holds it `ms`. */
function writer(f: string, text: string, ms: number) {
  const script = `const fs=require('node:fs');const fd=fs.openSync(${JSON.stringify(f)},'w');fs.writeSync(fd,${JSON.stringify(text)});setTimeout(()=>fs.closeSync(fd),${ms});`;
  return spawn(process.execPath, ['-e', script], {stdio: 'ignore'});
}

/**
 * Reads `f` while a child process writes `text` to it and holds it open `holdMs`: the reader
 * waits on its own thread, as the CLI's does; the writer is another process, so it goes on.
 */
async function readWithWriter(f: string, text: string, holdMs: number, deadlineMs: number) {
  const child = writer(f, text, holdMs);
  const exited = new Promise((r) => child.once('exit', r));
  const r = readPipeSync(f, 64 * 1024, 'passphrase file', deadlineMs);
  child.kill();
  await exited;
  return r.ok ? {text: r.value.toString('utf8')} : {error: r.error.message};
}

describe('a passphrase file that is a pipe', () => {
  it('is read to its end when its writer closes it, the writer coming after the reader', async () => {
    const r = await readWithWriter(fifo(), 'alice-practice-only\nbob-practice-only\n', 100, 5_000);
    expect(r).toEqual({text: 'alice-practice-only\nbob-practice-only\n'});
  });

  it('a FIFO that nobody writes to is given up after the deadline, saying what to do', () => {
    const r = readPipeSync(fifo(), 64 * 1024, 'passphrase file', 200);
    expect(r.ok ? '' : r.error.message).toMatch(
      /pass\.fifo: nothing arrived on the pipe within 0\.2 s: start the program that writes the passphrase file's lines to it$/,
    );
  });

  it('a FIFO held open without ending is given up after the deadline, saying what to do', async () => {
    const f = fifo();
    const r = await readWithWriter(f, 'alice', 5_000, 300);
    expect(r.error).toMatch(
      /pass\.fifo: the pipe was still open after 0\.3 s: the program writing to it must send the passphrase file's lines and exit/,
    );
  });

  it('more than the limit is refused', async () => {
    const f = fifo();
    const r = await readWithWriter(f, 'x'.repeat(70 * 1024), 200, 5_000);
    expect(r.error).toMatch(/too large for a passphrase file/);
  });

  it('a regular file still goes through the bounded file reader', () => {
    const dir = tempDir('read-pipe-file');
    mkdirSync(join(dir, 'p'));
    const f = join(dir, 'p', 'pass.txt');
    writeFileSync(f, 'carol-practice-only\n');
    const r = readPassphraseSource(f);
    expect(r.ok ? r.value.toString('utf8') : '').toBe('carol-practice-only\n');
  });

  it('check --passphrase-file /dev/stdin takes the passphrase a shell pipes in', () => {
    const args = ['check', '--sd', demoSd, '--key', demoKey('carol'), '--passphrase-file'];
    const r = spawnSync(
      'sh',
      ['-c', 'printf "%s\\n" "$PASS" | "$NODE" "$@" /dev/stdin', 'sh', bundle, ...args],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          PASS: demoPassphrase('carol'),
          NODE: process.execPath,
          SD_DRILL_CONFIG_DIR: join(tempDir('read-pipe-store'), 'store'),
        },
      },
    );
    // The passphrase opened the key (a fresh store has no commitment to compare with: exit 1).
    expect(r.stderr).toMatch(/your key and passphrase open holder 3's share \(carol\)/);
    expect(r.stderr).not.toMatch(/FIFO|needs its passphrase|passphrase does not open/);
  });
});
