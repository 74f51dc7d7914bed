import {describe, expect, it} from 'vitest';
import {shows} from './screen-text.js';

// What an 80-column screen shows of a long path: Ink breaks it inside the word.
const wrappedPath = [
  'The restore blob for your new HSM will be written to /tmp/a-private-temporary-fo',
  'lder/sd-drill-e2e-restore-out-1KsI91/restore-blob.json.',
].join('\n');

describe('a screen shows a text however it is wrapped', () => {
  it('a path broken inside a word by the app', () => {
    const path =
      '/tmp/a-private-temporary-folder/sd-drill-e2e-restore-out-1KsI91/restore-blob.json';
    expect(shows(wrappedPath, `will be written to ${path}`)).toBe(true);
    expect(wrappedPath).toShow(`will be written to ${path}`);
    expect(wrappedPath).toShow(/written to \S+restore-blob\.json\./);
  });

  it('a sentence broken at a space, with the indentation of the next line', () => {
    const screen = 'Verdict: PASS — all 3 new holders\n   proved their keys';
    expect(screen).toShow('all 3 new holders proved their keys');
    expect(screen).toShow(/all 3 new holders proved their keys/);
  });

  it('a secret split over two lines is found, so "never shown" checks cannot miss it', () => {
    expect('Passphrase: alice-prac\ntice-only').toShow('alice-practice-only');
    expect('nothing to see here').not.toShow('alice-practice-only');
  });

  it('says what it looked for and shows the screen when it is not there', () => {
    expect(() => expect(wrappedPath).toShow('bob.key')).toThrow(
      /expected the screen to show bob\.key; it was:\n.*restore blob/,
    );
  });
});
