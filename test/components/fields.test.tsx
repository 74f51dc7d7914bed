/**
 * The two field components under ink-testing-library, fed the way terminals feed them: one
 * write is one read, so `'Alice Ng\r'` in one write is what a paste, a password manager or
 * `tmux send-keys "Alice Ng" Enter` delivers.
 */
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {SecretInput} from '../../source/components/secret-input.js';
import {TextField} from '../../source/components/text-field.js';
import {MAX_FIELD_CHARACTERS} from '../../source/components/text-field-state.js';
import {flush, KEY, plain, press, type} from '../helpers/ink.js';

const PASTE_START = '\u001B[200~';
const PASTE_END = '\u001B[201~';

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
});

function textField() {
  const onSubmit = vi.fn<(value: string) => void>();
  const app = render(<TextField placeholder="full name" onSubmit={onSubmit} />);
  unmount = app.unmount;
  return {...app, onSubmit};
}

/** A SecretInput whose submissions are copied out (as text, for the test only) and wiped. */
function secretInput() {
  const got: string[] = [];
  const onSubmit = vi.fn((b: Buffer) => {
    got.push(b.toString('utf8'));
    b.fill(0);
  });
  const onCancel = vi.fn();
  const app = render(<SecretInput label="Passphrase: " onSubmit={onSubmit} onCancel={onCancel} />);
  unmount = app.unmount;
  return {...app, got, onSubmit, onCancel};
}

const BURSTS: Array<[string, string]> = [
  ['text + CR', '\r'],
  ['text + LF', '\n'],
  ['text + CRLF', '\r\n'],
];

describe('TextField', () => {
  it.each(BURSTS)('%s in one read: submitted once, without the line break', async (_, eol) => {
    const {stdin, lastFrame, onSubmit} = textField();
    await press(stdin, `Alice Ng${eol}`);
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit).toHaveBeenCalledWith('Alice Ng');
    expect(plain(lastFrame())).toBe('Alice Ng▌');
  });

  it('shows the placeholder until something is typed, one key at a time as before', async () => {
    const {stdin, lastFrame, onSubmit} = textField();
    expect(plain(lastFrame())).toBe('▌full name');
    await type(stdin, 'Bob');
    expect(plain(lastFrame())).toBe('Bob▌');
    await press(stdin, KEY.enter);
    expect(onSubmit).toHaveBeenCalledWith('Bob');
  });

  it('keeps embedded control characters out of the value', async () => {
    const {stdin, lastFrame, onSubmit} = textField();
    await press(stdin, 'Al\tice\u0007 \u0000Ng\u0085\r');
    expect(onSubmit).toHaveBeenCalledWith('Alice Ng');
    expect(plain(lastFrame())).toBe('Alice Ng▌');
  });

  it('takes a bracketed paste, markers never in the value, then Enter', async () => {
    const {stdin, onSubmit} = textField();
    await press(stdin, `${PASTE_START}Alice Ng${PASTE_END}`);
    expect(onSubmit).not.toHaveBeenCalled();
    await press(stdin, KEY.enter);
    expect(onSubmit).toHaveBeenCalledWith('Alice Ng');
  });

  it('a bracketed paste with its own trailing newline submits', async () => {
    const {stdin, onSubmit} = textField();
    await press(stdin, `${PASTE_START}Alice\n${PASTE_END}`);
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit).toHaveBeenCalledWith('Alice');
  });

  it('an ESC in pasted text cancels nothing, types nothing, and the paste still ends', async () => {
    const {stdin, onSubmit} = textField();
    await press(stdin, `${PASTE_START}Alice\u001B${PASTE_END}`);
    await press(stdin, ' Ng', KEY.enter);
    expect(onSubmit).toHaveBeenCalledWith('Alice Ng');
  });

  it('multi-byte characters go in whole; Backspace removes one character each', async () => {
    const {stdin, lastFrame, onSubmit} = textField();
    await press(stdin, 'Jürgen Groß 😀');
    expect(plain(lastFrame())).toBe('Jürgen Groß 😀▌');
    await press(stdin, KEY.backspace, KEY.backspace, KEY.backspace);
    expect(plain(lastFrame())).toBe('Jürgen Gro▌');
    // In a burst (a fast correction over ssh) DEL erases too.
    await press(stdin, 'ß\u007f\u007fß\r');
    expect(onSubmit).toHaveBeenCalledWith('Jürgen Grß');
  });

  it('reads sent back to back, before any render, act on the latest value', async () => {
    const {stdin, onSubmit} = textField();
    stdin.write('Ali');
    stdin.write('ce');
    stdin.write('\r');
    await flush();
    expect(onSubmit).toHaveBeenCalledWith('Alice');
  });

  it('drops what follows Enter in the same read, and takes the next read again', async () => {
    const {stdin, lastFrame, onSubmit} = textField();
    await press(stdin, 'Alice\rSecurity Architect\r');
    expect(onSubmit.mock.calls).toEqual([['Alice']]);
    expect(plain(lastFrame())).toBe('Alice▌');
    await press(stdin, '!\r');
    expect(onSubmit.mock.calls).toEqual([['Alice'], ['Alice!']]);
  });

  it('stops a runaway paste at its limit', async () => {
    const {stdin, onSubmit} = textField();
    await press(stdin, `${'é'.repeat(MAX_FIELD_CHARACTERS + 50)}\r`);
    expect(onSubmit).toHaveBeenCalledWith('é'.repeat(MAX_FIELD_CHARACTERS));
  });
});

describe('SecretInput', () => {
  it.each(BURSTS)('%s in one read: the passphrase alone, submitted once', async (_, eol) => {
    const {stdin, lastFrame, got} = secretInput();
    await press(stdin, `alice-practice-only${eol}`);
    expect(got).toEqual(['alice-practice-only']);
    expect(plain(lastFrame())).toBe('Passphrase: ▌');
  });

  it('a pasted passphrase with a trailing newline (bracketed) is the passphrase alone', async () => {
    const {stdin, got} = secretInput();
    await press(stdin, `${PASTE_START}alice-practice-only\n${PASTE_END}`);
    expect(got).toEqual(['alice-practice-only']);
  });

  it('a bracketed paste then Enter; the markers are not part of the secret', async () => {
    const {stdin, lastFrame, got} = secretInput();
    await press(stdin, `${PASTE_START}pässwörd${PASTE_END}`);
    expect(plain(lastFrame())).toBe(`Passphrase: ${'•'.repeat(8)}▌`);
    await press(stdin, KEY.enter);
    expect(got).toEqual(['pässwörd']);
  });

  it('keeps embedded control characters out of the secret', async () => {
    const {stdin, got} = secretInput();
    await press(stdin, 'pa\tss\u0000w\u001Fd\r');
    expect(got).toEqual(['passwd']);
  });

  it('shows one dot per character and Backspace removes a whole é, ü or 😀', async () => {
    const {stdin, lastFrame, got} = secretInput();
    await type(stdin, 'Grüße-é😀');
    expect(plain(lastFrame())).toBe(`Passphrase: ${'•'.repeat(8)}▌`);
    await press(stdin, KEY.backspace, KEY.backspace);
    expect(plain(lastFrame())).toBe(`Passphrase: ${'•'.repeat(6)}▌`);
    await press(stdin, 'é', KEY.enter);
    expect(got).toEqual(['Grüße-é']);
  });

  it('Backspace over multi-byte characters inside a burst', async () => {
    const {stdin, got} = secretInput();
    await press(stdin, 'Grüße-ü\u007fé\r');
    expect(got).toEqual(['Grüße-é']);
  });

  it('Enter on an empty field does nothing (a stray Enter costs no try)', async () => {
    const {stdin, onSubmit} = secretInput();
    await press(stdin, KEY.enter, '\n', '\r\n');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('drops what follows Enter in the same read, then takes the next try', async () => {
    const {stdin, got} = secretInput();
    await press(stdin, 'first\rleftover');
    expect(got).toEqual(['first']);
    await press(stdin, 'second\r');
    expect(got).toEqual(['first', 'second']);
  });

  it('Escape wipes what was typed and cancels', async () => {
    const {stdin, lastFrame, onCancel, onSubmit} = secretInput();
    await type(stdin, 'half');
    await press(stdin, KEY.escape);
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(plain(lastFrame())).toBe('Passphrase: ▌');
    await press(stdin, KEY.enter);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('never shows the secret, typed or pasted', async () => {
    const {stdin, frames} = secretInput();
    await press(stdin, 'Grüße-é-secret');
    await type(stdin, 'xyz');
    expect(frames.map(plain).filter((f) => /Grü|secret|xyz/.test(f))).toEqual([]);
  });
});
