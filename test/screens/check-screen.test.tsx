/**
 * The "Check my key" screen with a real solo-check session (the Azure 2020 vectors' encrypted
 * key on a folder stick): the passphrase as a password manager sends it — text and Enter in
 * one read, CRLF — a wrong one costing one try of three and never shown, and the result's
 * own line; Esc at the stick goes back, q quits.
 */
import {cpSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {render} from 'ink-testing-library';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {SoloCheckSession} from '../../source/drill/solo-check.js';
import {useSoloCheck} from '../../source/hooks/use-solo-check.js';
import type {Stick} from '../../source/media/stick.js';
import {CheckScreen} from '../../source/screens/check-screen.js';
import {CheckFrame} from '../../source/check-app.js';
import {KEY, plain, press, waitForFrame} from '../helpers/ink.js';
import {linesWiderThan, renderScreen} from '../helpers/screen.js';
import {azureVectorsDir} from '../helpers/paths.js';
import {tempDir} from '../helpers/temp.js';

let stick: Stick;
let before: string | undefined;

beforeEach(() => {
  const dir = tempDir('check-screen');
  before = process.env.SD_DRILL_CONFIG_DIR;
  process.env.SD_DRILL_CONFIG_DIR = join(dir, 'store');
  const path = join(dir, 'sd2-stick');
  mkdirSync(path);
  for (const f of ['sd2.pem', 'sd2.cer'])
    cpSync(join(azureVectorsDir, 'encrypted-keys', f), join(path, f));
  stick = {
    id: `folder:${path}`,
    path,
    label: 'sd2-stick',
    source: 'folder',
    device: null,
    deviceId: `folder:${path}`,
    fsType: null,
    removable: true,
    simulated: true,
    transport: null,
    evidence: 'demo folder',
    rootDev: null,
  };
});
afterEach(() => {
  if (before === undefined) delete process.env.SD_DRILL_CONFIG_DIR;
  else process.env.SD_DRILL_CONFIG_DIR = before;
});

function start() {
  const {session, onBack, onQuit, node} = parts();
  const app = render(node);
  return {session, app, onBack, onQuit};
}

function parts() {
  const session = new SoloCheckSession({toolVersion: 'test'});
  expect(session.chooseDomain(join(azureVectorsDir, 'sdfile.json'))).toBe(true);
  const onBack = vi.fn();
  const onQuit = vi.fn();
  const node = (
    <CheckScreen
      session={session}
      sticks={[stick]}
      candidates={[]}
      onBack={onBack}
      onQuit={onQuit}
    />
  );
  return {session, onBack, onQuit, node};
}

describe('the Check my key screen', () => {
  it('a wrong passphrase pasted with CRLF costs one try; the right one with its Enter gives the result line', async () => {
    const {app, onQuit} = start();
    await waitForFrame(app.lastFrame, (f) => f.includes('Insert your stick'));
    await press(app.stdin, KEY.enter);
    await waitForFrame(app.lastFrame, (f) => f.includes('Try 1 of 3.'));
    app.stdin.write('not-the-passphrase\r\n');
    let f = await waitForFrame(app.lastFrame, (x) => x.includes('Try 2 of 3.'), 400);
    expect(f).toMatch(/Wrong passphrase/);
    expect(f).not.toContain('not-the-passphrase');
    app.stdin.write('Passw0rd!\r');
    f = await waitForFrame(app.lastFrame, (x) => x.includes('FAIL'), 400);
    // A fresh machine: the key and passphrase work, but nothing on record to compare with.
    expect(f.replace(/\s+/g, ' ')).toMatch(
      /✗ FAIL — your key and passphrase open holder \d's share of .*sdfile\.json, but no commitment on record says it is the one proven/,
    );
    expect(f).not.toMatch(/attestation/i);
    await press(app.stdin, 'q');
    expect(onQuit).toHaveBeenCalledOnce();
    app.unmount();
  });

  it('Esc at the stick goes back to the start', async () => {
    const {app, onBack} = start();
    await waitForFrame(app.lastFrame, (f) => f.includes('Insert your stick'));
    await press(app.stdin, KEY.escape);
    await new Promise((r) => setTimeout(r, 100));
    expect(onBack).toHaveBeenCalledOnce();
    app.unmount();
  });
});

describe.each([
  {columns: 60, rows: 24, ascii: false},
  {columns: 80, rows: 24, ascii: false},
  {columns: 200, rows: 50, ascii: false},
  {columns: 60, rows: 24, ascii: true},
])('in its frame at $columns×$rows (ASCII: $ascii)', ({columns, rows, ascii}) => {
  it('each step fits, says where it is, and its footer lists the keys that work there', async () => {
    const {session, node} = parts();
    // The frame follows the session's step, as SoloCheckApp's does.
    function Framed() {
      return <CheckFrame step={useSoloCheck(session).step}>{node}</CheckFrame>;
    }
    const r = renderScreen(<Framed />, {bare: true, columns, rows, display: {ascii}});
    const fits = (f: string) => {
      expect(linesWiderThan(f, columns)).toEqual([]);
      expect(f.split('\n').length).toBeLessThanOrEqual(rows - 1);
      if (ascii) expect(f).toMatch(/^[\x20-\x7e\n]*$/);
    };
    try {
      let f = plain(await waitForFrame(r.lastFrame, (x) => plain(x).includes('Insert your stick')));
      fits(f);
      expect(f).toShow(/Step 2\/4 Insert your stick/);
      for (const k of ['Enter insert', 'Esc back']) expect(f).toShow(k);
      await press(r.stdin, KEY.enter);
      f = plain(await waitForFrame(r.lastFrame, (x) => plain(x).includes('Try 1 of 3.')));
      fits(f);
      expect(f).toShow(/Step 3\/4 Your passphrase/);
      r.stdin.write('Passw0rd!\r');
      await waitForFrame(r.lastFrame, (x) => plain(x).includes('FAIL'), 400);
      f = plain(await waitForFrame(r.lastFrame, (x) => plain(x).includes('Step 4/4 Result')));
      fits(f);
      expect(f).toShow(ascii ? /^FAIL - your key/m : /✗ FAIL — your key/);
      for (const k of ['Enter check another stick', 'q quit']) expect(f).toShow(k);
      expect(f).not.toShow(/ y yes| n no/);
    } finally {
      r.unmount();
    }
  });
});
