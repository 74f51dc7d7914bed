/**
 * Every text field on every screen, fed in bursts: text and its Enter in one read (a paste,
 * a password manager, a fast typist over ssh), CRLF, bracketed paste, multi-byte text.
 */
import {Box} from 'ink';
import {render as renderInk} from 'ink-testing-library';
import type {ReactElement} from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {CollectScreen} from '../../source/screens/collect-screen.js';
import {EnrolScreen} from '../../source/screens/enrol-screen.js';
import {LoadScreen} from '../../source/screens/load-screen.js';
import {KEY, plain, press, waitForFrame} from '../helpers/ink.js';
import {aliceMatched, collectActions, folderStick, info, toCollect, walk} from './fixtures.js';

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
});

const render = (node: ReactElement) => {
  const app = renderInk(<Box width={80}>{node}</Box>);
  unmount = app.unmount;
  return app;
};

const PASTE = (text: string) => `\u001B[200~${text}\u001B[201~`;

/** Collect actions whose Buffers are read (for the test) and wiped. */
function actions() {
  const secrets: string[] = [];
  const take = (b: Buffer) => {
    secrets.push(b.toString('utf8'));
    b.fill(0);
  };
  const a = collectActions({passphrase: vi.fn(take), identify: vi.fn(take)});
  return {a, secrets};
}

describe('collect screen, custodian name and role', () => {
  it.each([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('each typed in one burst ending in %s', async (_, eol) => {
    const {a} = actions();
    const state = walk(...toCollect, ...aliceMatched(true));
    const {stdin, lastFrame} = render(<CollectScreen state={state} sticks={[]} actions={a} />);
    await press(stdin, `Alice Ng${eol}`);
    let f = await waitForFrame(lastFrame, (x) => /Your role:/.test(x));
    expect(f).toMatch(/identify yourself:\s+Your role:/);
    expect(f).not.toMatch(/Your name:/);
    await press(stdin, `Säkerhetsarkitekt${eol}`);
    f = await waitForFrame(lastFrame, (x) => /press y/.test(x));
    expect(f).toMatch(/Alice Ng, Säkerhetsarkitekt: press y to acknowledge/);
    await press(stdin, 'y');
    expect(a.acknowledge).toHaveBeenCalledWith({name: 'Alice Ng', role: 'Säkerhetsarkitekt'});
  });

  it('a pasted name (bracketed) with control characters in it, corrected with Backspace', async () => {
    const {a} = actions();
    const state = walk(...toCollect, ...aliceMatched(true));
    const {stdin, lastFrame} = render(<CollectScreen state={state} sticks={[]} actions={a} />);
    await press(stdin, PASTE('Zoë\u0007 Ł\tópez'), KEY.backspace, KEY.backspace, 'ez\r');
    await waitForFrame(lastFrame, (x) => /Your role:/.test(x));
    await press(stdin, 'Audit\r', 'y');
    expect(a.acknowledge).toHaveBeenCalledWith({name: 'Zoë Łópez', role: 'Audit'});
  });

  it('a blank name in a burst is not taken', async () => {
    const {a} = actions();
    const state = walk(...toCollect, ...aliceMatched(true));
    const {stdin, lastFrame} = render(<CollectScreen state={state} sticks={[]} actions={a} />);
    await press(stdin, '  \r');
    expect(plain(lastFrame())).toMatch(/Your name:/);
  });
});

describe('collect screen, passphrases', () => {
  const atPassphrase = () =>
    walk(...toCollect, ...aliceMatched(true), {
      type: 'acknowledged',
      custodian: {name: 'Alice', role: 'Architect'},
    });

  it.each([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['a bracketed paste ending in a newline', '\n', true],
  ])('the share passphrase in one burst (%s) arrives alone', async (_, eol, paste = false) => {
    const {a, secrets} = actions();
    const {stdin, lastFrame} = render(
      <CollectScreen state={atPassphrase()} sticks={[]} actions={a} />,
    );
    const burst = `Grüße-é${eol}`;
    await press(stdin, paste ? PASTE(burst) : burst);
    expect(secrets).toEqual(['Grüße-é']);
    expect(plain(lastFrame())).not.toMatch(/Grü/);
  });

  it('the identifying passphrase (no certificate beside the key) in one burst', async () => {
    const {a, secrets} = actions();
    const state = walk(
      ...toCollect,
      {type: 'stick-inserted', stick: info('alice')},
      {type: 'key-locked', stick: info('alice'), file: '/demo/alice/alice.key'},
    );
    const {stdin} = render(<CollectScreen state={state} sticks={[]} actions={a} />);
    await press(stdin, 'pw-ä\u007fa\r\n');
    expect(secrets).toEqual(['pw-a']);
  });
});

describe('enrol screen', () => {
  it('name, then the passphrase twice, each in one burst', async () => {
    const onEnrol = vi.fn();
    const {stdin, lastFrame} = render(
      <EnrolScreen
        sticks={[folderStick('frank-stick')]}
        busy={false}
        onEnrol={onEnrol}
        onBack={vi.fn()}
      />,
    );
    await press(stdin, 'frank\r');
    await waitForFrame(lastFrame, (f) => /Which stick is yours/.test(f));
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, (f) => /Choose a passphrase/.test(f));
    await press(stdin, 'Grüße-é 12chars\r\n');
    await waitForFrame(lastFrame, (f) => /Type it again/.test(f));
    await press(stdin, PASTE('Grüße-é 12chars\n'));
    expect(onEnrol).toHaveBeenCalledTimes(1);
    const req = onEnrol.mock.calls[0]?.[0] as {holder: string; passphrase: Buffer};
    expect(req.holder).toBe('frank');
    expect(req.passphrase.toString('utf8')).toBe('Grüße-é 12chars');
    req.passphrase.fill(0);
  });
});

describe('load screen', () => {
  it('a pasted path with its newline loads that path', async () => {
    const onLoad = vi.fn();
    const state = walk({type: 'choose-mode', mode: 'rehearsal'});
    const {stdin} = render(
      <LoadScreen state={state} candidates={[]} onLoad={onLoad} onBack={vi.fn()} />,
    );
    await press(stdin, '/media/alice/SD/sécurité.json\r\n');
    expect(onLoad).toHaveBeenCalledWith('/media/alice/SD/sécurité.json');
  });
});
