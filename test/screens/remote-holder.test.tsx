/**
 * The collect screen's remote-holder panel and holder list: `c` opens it, a holder and a stick
 * are chosen, the call goes to the session; the holder list shows "remote — waiting" with the
 * code to read over the phone, then "remote — accepted".
 */
import {renderScreen as render} from '../helpers/screen.js';
import {describe, expect, it, vi} from 'vitest';
import {CollectScreen} from '../../source/screens/collect-screen.js';
import {KEY, plain, press, waitForFrame} from '../helpers/ink.js';
import {collectActions, folderStick, toCollect, walk} from './fixtures.js';

function actions() {
  const remote = {
    call: vi.fn<(i: number, dir: string) => void>(),
    read: vi.fn<(f: string) => void>(),
  };
  return collectActions({remote});
}

describe('calling a holder at another site', () => {
  it('c, then the holder, who they are, and the stick: the session is asked to write the request there', async () => {
    const a = actions();
    const sticks = [folderStick('alice'), folderStick('courier')];
    const {stdin, lastFrame, unmount} = render(
      <CollectScreen state={walk(...toCollect)} sticks={sticks} actions={a} />,
    );
    await waitForFrame(lastFrame, 'c remote');
    await press(stdin, 'c');
    await waitForFrame(lastFrame, 'Holder at another site');
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, 'Which holder is at another site?');
    await press(stdin, KEY.down, KEY.down, KEY.enter);
    // Nobody registered for carol's key: the operator names who they call.
    await waitForFrame(lastFrame, 'Who keeps the key of carol (holder 3)');
    await press(stdin, 'Carol Diaz\r');
    await waitForFrame(lastFrame, 'Their role:');
    await press(stdin, 'Key custodian\r');
    await waitForFrame(lastFrame, 'Write the request for carol (holder 3) to');
    await press(stdin, KEY.down, KEY.enter);
    expect(a.remote.call).toHaveBeenCalledWith(3, '/demo/courier', {
      name: 'Carol Diaz',
      role: 'Key custodian',
    });
    await waitForFrame(lastFrame, 'Sticks present');
    unmount();
  });

  it('a registered holder is called with one key (y), and a folder typed after "a folder…" takes the request', async () => {
    const a = actions();
    const registry = new Map([['3'.repeat(64), {name: 'Carol Diaz', role: 'Key custodian'}]]);
    const {stdin, lastFrame, unmount} = render(
      <CollectScreen
        state={walk(...toCollect)}
        sticks={[folderStick('alice')]}
        actions={a}
        registry={registry}
      />,
    );
    await waitForFrame(lastFrame, 'c remote');
    await press(stdin, 'c', KEY.enter);
    await waitForFrame(lastFrame, 'Which holder is at another site?');
    await press(stdin, KEY.down, KEY.down, KEY.enter);
    await waitForFrame(lastFrame, 'The holder registry has Carol Diaz, Key custodian');
    expect(plain(lastFrame())).toShow(/y yes · n no/);
    await press(stdin, 'y');
    await waitForFrame(lastFrame, 'Write the request for carol (holder 3) to');
    // The last choice, "a folder (type its path)…": it must open a field (it froze the screen).
    await press(stdin, KEY.down, KEY.enter);
    await waitForFrame(lastFrame, 'Folder for the request to carol (holder 3)');
    expect(plain(lastFrame())).toShow(/Enter submit/);
    await press(stdin, '/media/courier\r');
    expect(a.remote.call).toHaveBeenCalledWith(3, '/media/courier', {
      name: 'Carol Diaz',
      role: 'Key custodian',
      from: 'registry',
    });
    unmount();
  });

  it('the holder list shows the code while waiting, and the contribution once accepted', () => {
    const called = walk(...toCollect, {
      type: 'remote-called',
      holderIndex: 3,
      code: 'ABCD-EFGH-JKMN-PQRS',
      requestFile: '/demo/courier/r.json',
      expiresAt: 9e12,
    });
    const waiting = render(<CollectScreen state={called} sticks={[]} actions={actions()} />);
    expect(waiting.lastFrame()).toShow(/carol .*remote — waiting code ABCD-EFGH-JKMN-PQRS/);
    waiting.unmount();
    const done = walk(
      ...toCollect,
      {
        type: 'remote-called',
        holderIndex: 3,
        code: 'ABCD-EFGH-JKMN-PQRS',
        requestFile: 'r',
        expiresAt: 9e12,
      },
      {
        type: 'share-accepted',
        holderIndex: 3,
        certMissing: false,
        matchedBy: 'public-key',
        remote: {sha256: 'cd'.repeat(32)},
      },
    );
    const accepted = render(<CollectScreen state={done} sticks={[]} actions={actions()} />);
    expect(accepted.lastFrame()).toShow(/carol .*remote — accepted contribution cdcdcdcd…cdcd/);
    accepted.unmount();
  });
});
