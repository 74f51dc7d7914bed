/**
 * Onboarding on the built bundle in tmux, the steps both its test files take: the newcomer
 * makes their key on their stick (name, stick, passphrase twice) and presents it. The practice
 * holders' unencrypted keys live in a temporary folder; each test runs the app with a TMPDIR
 * of its own so it can see that folder appear, with its three keys, and go.
 */
import {mkdirSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {expect} from 'vitest';
import {tempDir} from '../helpers/temp.js';
import type {Pane} from '../helpers/tmux.js';
import {present, startApp} from '../helpers/tui.js';

export const NEWCOMER = 'frank';
export const PASSPHRASE = 'Grüße-é onboarding';

export interface Onboarding {
  p: Pane;
  /** The app's TMPDIR: only its practice folder is ever made there. */
  temp: string;
  stick: string;
  reports: string;
}

export function start(extra: string[] = []): Onboarding {
  const temp = tempDir('e2e-onboarding-tmp');
  const media = tempDir('e2e-onboarding-media');
  const stick = join(media, `${NEWCOMER}-stick`);
  mkdirSync(stick);
  const {p, reports} = startApp(
    'onboarding',
    ['drill', '--mode', 'onboarding', '--media', media, ...extra],
    {env: {TMPDIR: temp}},
  );
  return {p, temp, stick, reports};
}

/** The practice folders in `temp`, each with the private keys under it. */
export function practiceFolders(temp: string): Array<{name: string; keys: string[]}> {
  return readdirSync(temp).map((name) => ({
    name,
    keys: readdirSync(join(temp, name), {recursive: true, encoding: 'utf8'})
      .filter((f) => f.endsWith('.key'))
      .sort(),
  }));
}

/** Name, stick and passphrase (twice), in bursts as a fast typist sends them; to inspect. */
export async function enrol(o: Onboarding): Promise<void> {
  const {p} = o;
  await p.waitFor('Your name (letters, digits');
  await p.burst(NEWCOMER);
  await p.waitFor('Which stick is yours?');
  await p.keys('Enter');
  await p.waitFor('Choose a passphrase (12+ characters):');
  await p.burst(PASSPHRASE);
  await p.waitFor('Type it again:');
  await p.paste(`${PASSPHRASE}\n`);
  // RSA-3072 for the newcomer and three practice keys: slow on a loaded machine.
  await p.waitFor('your certificate is on your stick', 120_000);
  await p.waitFor('Press Enter when the holders are ready');
  // The practice folder now exists, private keys and all: the thing that must go.
  const folders = practiceFolders(o.temp);
  expect(folders.map((f) => f.name)).toEqual([expect.stringMatching(/^sd-drill-practice-/)]);
  expect(folders[0]?.keys).toEqual(
    ['practice-1', 'practice-2', 'practice-3'].map((h) => join('sticks', h, `${h}.key`)),
  );
}

/** To collect, then the newcomer presents their own key with their own passphrase. */
export async function presentOwnShare(p: Pane): Promise<void> {
  await p.keys('Enter');
  await p.waitFor('Choose the disaster');
  await p.keys('Enter');
  await p.waitFor('Sticks present');
  await present(p, `${NEWCOMER}-stick`, 'Frank Li', 'Newcomer', {
    passphrase: PASSPHRASE,
    burst: true,
    remove: false,
  });
  await p.waitFor(`Remove the stick ${NEWCOMER}-stick now`);
}
