import type {ReactElement} from 'react';
import {describe, expect, it, vi} from 'vitest';
import {CollectScreen, type CollectActions} from '../../source/screens/collect-screen.js';
import {DisasterScreen} from '../../source/screens/disaster-screen.js';
import {InspectScreen} from '../../source/screens/inspect-screen.js';
import {LoadScreen} from '../../source/screens/load-screen.js';
import {ReportScreen} from '../../source/screens/report-screen.js';
import {RestoreScreen} from '../../source/screens/restore-screen.js';
import {StartScreen} from '../../source/screens/start-screen.js';
import {EnrolScreen} from '../../source/screens/enrol-screen.js';
import {flush, KEY, plain, press, type, waitForFrame} from '../helpers/ink.js';
import {shows} from '../helpers/screen-text.js';
import {aliceMatched, domain, folderStick, info, toCollect, walk} from './fixtures.js';

import {renderScreen} from '../helpers/screen.js';

/** Screens render inside the app's frame (header, footer), in an 80×24 terminal. */
const render = (node: ReactElement) => renderScreen(node);

function actions(): CollectActions & Record<string, ReturnType<typeof vi.fn>> {
  return {
    insert: vi.fn(),
    remove: vi.fn(),
    acknowledge: vi.fn(),
    passphrase: vi.fn(),
    cancel: vi.fn(),
    absent: vi.fn(),
    reconstruct: vi.fn(),
    back: vi.fn(),
  } as never;
}

describe('start screen', () => {
  it('offers the three uses and chooses with arrows and Enter', async () => {
    const onChoose = vi.fn();
    const {lastFrame, stdin} = render(<StartScreen onChoose={onChoose} />);
    const f = plain(lastFrame());
    expect(f).toShow(/Quarterly rehearsal/);
    expect(f).toShow(/Restore after a purge/);
    expect(f).toShow(/Onboarding/);
    expect(f).toShow(/Enter choose/);
    await press(stdin, KEY.down, KEY.enter);
    expect(onChoose).toHaveBeenCalledWith('restore');
  });
});

describe('load screen', () => {
  it('lists domain files found on sticks and loads the chosen one', async () => {
    const onLoad = vi.fn();
    const state = walk({type: 'choose-mode', mode: 'rehearsal'});
    const {lastFrame, stdin} = render(
      <LoadScreen
        state={state}
        candidates={['/media/a/sd.json']}
        onLoad={onLoad}
        onBack={vi.fn()}
      />,
    );
    expect(plain(lastFrame())).toShow(/\/media\/a\/sd\.json/);
    await press(stdin, KEY.enter);
    expect(onLoad).toHaveBeenCalledWith('/media/a/sd.json');
  });

  it('takes a typed path and shows why a file was refused', async () => {
    const onLoad = vi.fn();
    const state = walk(
      {type: 'choose-mode', mode: 'rehearsal'},
      {type: 'domain-failed', message: 'x.json: is truncated'},
    );
    const {lastFrame, stdin} = render(
      <LoadScreen state={state} candidates={[]} onLoad={onLoad} onBack={vi.fn()} />,
    );
    expect(plain(lastFrame())).toShow(/is truncated/);
    await type(stdin, '/tmp/sd.json');
    await press(stdin, KEY.enter);
    expect(onLoad).toHaveBeenCalledWith('/tmp/sd.json');
  });
});

describe('inspect screen', () => {
  it('shows the quorum, the holders with registered custodians, and the findings', async () => {
    const state = walk({type: 'choose-mode', mode: 'rehearsal'}, {type: 'domain-loaded', domain});
    const onContinue = vi.fn();
    const registered = new Map([[domain.holders[0]?.certFingerprint ?? '', 'Alice Ng, Architect']]);
    const {lastFrame, stdin} = render(
      <InspectScreen
        state={state}
        findings={[
          {rule: 'review-overdue', severity: 'warning', evidence: 'no passing drill on record'},
        ]}
        registered={registered}
        onContinue={onContinue}
        onBack={vi.fn()}
      />,
    );
    const f = plain(lastFrame());
    expect(f).toShow(/quorum 3 of 5/);
    expect(f).toShow(/alice/);
    expect(f).toShow(/registered: Alice Ng/);
    expect(f).toShow(/review-overdue/);
    expect(f.split('\n').filter((l) => l.length > 80)).toEqual([]);
    await press(stdin, KEY.enter);
    expect(onContinue).toHaveBeenCalled();
  });

  it('onboarding: shows the newcomer their full certificate fingerprint, within 24 rows', () => {
    const fp = 'ab'.repeat(32);
    const state = walk(
      {type: 'choose-mode', mode: 'onboarding'},
      {type: 'enrolled', holder: 'frank', certFingerprint: fp},
      {type: 'domain-loaded', domain},
    );
    const findings = ['a', 'b', 'c', 'd'].map((r) => ({
      rule: `rule-${r}`,
      severity: 'warning' as const,
      evidence: 'evidence',
    }));
    const f = plain(
      render(
        <InspectScreen
          state={state}
          findings={findings}
          registered={new Map()}
          onContinue={vi.fn()}
          onBack={vi.fn()}
        />,
      ).lastFrame(),
    );
    expect(f).toShow(/frank, your certificate is on your stick/);
    expect(f).toShow(fp);
    expect(f).toShow(/rule-a/);
    // The findings that do not fit are said to be there, and scroll into view.
    expect(f).toShow(/↓ \d more below/);
    // The whole frame, header and footer with it, leaves the terminal's last row free.
    expect(f.split('\n').length).toBeLessThanOrEqual(23);
  });
});

describe('disaster screen', () => {
  it('offers the three scenarios from the domain document', async () => {
    const onScenario = vi.fn();
    const state = walk(...toCollect.slice(0, 3));
    const {lastFrame, stdin} = render(
      <DisasterScreen
        state={state}
        starting={false}
        onScenario={onScenario}
        onStartRecovery={vi.fn()}
        onBack={vi.fn()}
      />,
    );
    const f = plain(lastFrame());
    expect(f).toShow(/destroyed/);
    expect(f).toShow(/purged after the retention/);
    expect(f).toShow(/archived/);
    await press(stdin, KEY.down, KEY.enter);
    expect(onScenario).toHaveBeenCalledWith('purged');
  });

  it('in restore mode says whether a restore blob will be written for the real HSM', () => {
    const azure = {...domain, format: 'azure' as const};
    const state = walk(
      {type: 'choose-mode', mode: 'restore'},
      {type: 'domain-loaded', domain: azure},
      {type: 'inspected'},
    );
    const props = {state, starting: false, onScenario: vi.fn(), onStartRecovery: vi.fn()};
    const without = plain(render(<DisasterScreen {...props} onBack={vi.fn()} />).lastFrame());
    expect(without).toShow(
      /writes no restore blob for your new HSM\. For the real restore, press Ctrl-C and start again with --exchange-key CERT --restore-blob-out FILE/,
    );
    const target = {file: '/safe/exchange.pem', x5t256: 'HG_7Jd', sha256: '1c6f'.repeat(16)};
    const withOut = plain(
      render(
        <DisasterScreen
          {...props}
          restoreBlobOut="/safe/restore-blob.json"
          exchangeTarget={target}
          onBack={vi.fn()}
        />,
      ).lastFrame(),
    ).replace(/\s+/g, ' ');
    // The operator's HSM by its exchange certificate, and where its blob goes.
    expect(withOut).toShow(
      /Your new HSM is in recovery mode; its exchange certificate \(from init-recovery\) is \/safe\/exchange\.pem: x5t#S256 HG_7Jd SHA-256 (1c6f){16}/,
    );
    expect(withOut).toShow(/restore blob for it will be written to \/safe\/restore-blob\.json/);
    // Bringing up the rehearsal HSM: never "a fresh exchange key" for the operator's HSM.
    const starting = plain(
      render(
        <DisasterScreen
          {...props}
          starting
          restoreBlobOut="/safe/restore-blob.json"
          exchangeTarget={target}
          onBack={vi.fn()}
        />,
      ).lastFrame(),
    );
    expect(starting).toShow(/simulated HSM to rehearse the restore into/);
    expect(starting).not.toShow(/fresh exchange key/);
  });

  it('shows the HSM going down and the new one coming up', () => {
    const state = walk(...toCollect.slice(0, 4));
    const {lastFrame} = render(
      <DisasterScreen
        state={state}
        starting
        onScenario={vi.fn()}
        onStartRecovery={vi.fn()}
        onBack={vi.fn()}
      />,
    );
    const f = plain(lastFrame());
    expect(f).toShow(/demo-hsm: soft-deleted, then purged/);
    expect(f).toShow(/recovery mode/);
  });
});

describe('collect screen', () => {
  it('shows the quorum meter, the holders and the sticks to insert', async () => {
    const a = actions();
    const state = walk(...toCollect);
    const sticks = [folderStick('alice'), folderStick('bob')];
    const {lastFrame, stdin} = render(<CollectScreen state={state} sticks={sticks} actions={a} />);
    const f = plain(lastFrame());
    expect(f).toShow(/0 of 3 — 3 more needed/);
    expect(f).toShow(/alice/);
    expect(f).toShow(/insert your stick/);
    expect(f.split('\n').filter((l) => l.length > 80)).toEqual([]);
    await press(stdin, KEY.down, KEY.enter);
    expect(a.insert).toHaveBeenCalledWith(sticks[1]);
  });

  it('asks the custodian for name, role and acknowledgement', async () => {
    const a = actions();
    const state = walk(...toCollect, ...aliceMatched(true));
    const {lastFrame, stdin} = render(<CollectScreen state={state} sticks={[]} actions={a} />);
    expect(plain(lastFrame())).toShow(/Key found for alice/);
    await type(stdin, 'Alice Ng');
    await press(stdin, KEY.enter);
    await type(stdin, 'Architect');
    await press(stdin, KEY.enter);
    expect(plain(lastFrame())).toShow(/press y to acknowledge/);
    await press(stdin, 'y');
    expect(a.acknowledge).toHaveBeenCalledWith({name: 'Alice Ng', role: 'Architect'});
  });

  it('masks the passphrase and hands it over as a Buffer', async () => {
    const a = actions();
    const state = walk(...toCollect, ...aliceMatched(true), {
      type: 'acknowledged',
      custodian: {name: 'Alice', role: 'Architect'},
    });
    let got = '';
    (a.passphrase as ReturnType<typeof vi.fn>).mockImplementation((b: Buffer) => {
      got = b.toString();
    });
    const {lastFrame, stdin} = render(<CollectScreen state={state} sticks={[]} actions={a} />);
    await type(stdin, 's3cret!');
    const f = plain(lastFrame());
    expect(f).not.toShow(/s3cret/);
    expect(f).toShow(/•{7}/);
    await press(stdin, KEY.enter);
    expect(got).toBe('s3cret!');
  });

  it('tells the holder to remove the stick and explains refusals inline', async () => {
    const a = actions();
    const state = walk(
      ...toCollect,
      {type: 'stick-inserted', stick: info('mallory')},
      {
        type: 'key-refused',
        stick: info('mallory'),
        message: 'The key on stick mallory is not one of this domain’s wrapping keys.',
      },
    );
    const {lastFrame, stdin} = render(
      <CollectScreen state={state} sticks={[folderStick('mallory')]} actions={a} />,
    );
    const f = plain(lastFrame());
    expect(f).toShow(/not one of this domain/);
    expect(f).toShow(/Remove the stick/);
    await press(stdin, 'x');
    expect(a.remove).toHaveBeenCalledWith('/demo/mallory');
  });

  it('keeps every stick in its place and number; a stick whose share is taken is marked, the pointer starts past it', () => {
    const state = walk(
      ...toCollect,
      ...aliceMatched(false),
      {type: 'acknowledged', custodian: {name: 'Alice Ng', role: 'Architect'}},
      {type: 'share-accepted', holderIndex: 1, certMissing: false, matchedBy: 'certificate'},
      {type: 'stick-removed', path: '/demo/alice'},
    );
    const sticks = ['alice', 'bob', 'carol'].map(folderStick);
    const f = plain(
      render(<CollectScreen state={state} sticks={sticks} actions={actions()} />).lastFrame(),
    );
    const list = f.split('\n').filter((l) => /\(folder\)/.test(l));
    expect(list.map((l) => l.trim())).toEqual([
      '1  alice (folder) — share taken',
      '❯ 2  bob (folder)',
      '3  carol (folder)',
    ]);
  });

  it('Escape closes the absent picker and does not also leave the step', async () => {
    const a = actions();
    const state = walk(...toCollect);
    const {stdin, lastFrame} = render(<CollectScreen state={state} sticks={[]} actions={a} />);
    await press(stdin, 'a');
    expect(plain(lastFrame())).toShow(/Which holder is absent/);
    await press(stdin, KEY.escape);
    await waitForFrame(lastFrame, (f) => !shows(f, /Which holder is absent/));
    expect(plain(lastFrame())).not.toShow(/Which holder is absent/);
    expect(a.back).not.toHaveBeenCalled();
  });

  it('marks a holder absent; r is neither offered nor taken before the quorum', async () => {
    const a = actions();
    const state = walk(...toCollect);
    const {stdin, lastFrame} = render(<CollectScreen state={state} sticks={[]} actions={a} />);
    await press(stdin, 'a');
    expect(plain(lastFrame())).toShow(/Which holder is absent/);
    await press(stdin, KEY.down, KEY.enter);
    expect(a.absent).toHaveBeenCalledWith(2);
    // The screen's key handler sees the picker closed only once React has committed that.
    await waitForFrame(lastFrame, (f) => !shows(f, /Which holder is absent/));
    await flush();
    expect(plain(lastFrame())).not.toShow(/r reconstruct/);
    await press(stdin, 'r');
    expect(a.reconstruct).not.toHaveBeenCalled();
  });

  it('offers r once the quorum is held, and r reconstructs', async () => {
    const a = actions();
    const state = walk(...toCollect);
    const held = {
      ...state,
      holders: state.holders.map((h) => (h.index <= 3 ? {...h, state: 'accepted' as const} : h)),
    };
    const r = render(<CollectScreen state={held} sticks={[]} actions={a} />);
    try {
      await press(r.stdin);
      expect(plain(r.lastFrame())).toShow(/r reconstruct/);
      await press(r.stdin, 'r');
      expect(a.reconstruct).toHaveBeenCalled();
    } finally {
      r.unmount();
    }
  });
});

describe('restore screen', () => {
  it('shows progress over the keys restored', () => {
    const state = {
      ...walk(...toCollect),
      step: 'restore' as const,
      reconstruction: {ok: true, usedHolders: [1, 2, 3], badShares: []},
      restoreProgress: {done: 250, total: 1000},
    };
    const f = plain(render(<RestoreScreen state={state} />).lastFrame());
    expect(f).toShow(/reconstructed from holders 1, 2, 3/);
    expect(f).toShow(/250 \/ 1000/);
  });
});

describe('report screen', () => {
  it('shows the verdict, the timeline chart, the findings and where the report is', async () => {
    const onQuit = vi.fn();
    const state = {
      ...walk(...toCollect, {type: 'abort', reason: 'aborted by the operator'}),
      report: {markdown: '/r/drill-1.md', json: '/r/drill-1.json'},
    };
    const {lastFrame, stdin} = render(
      <ReportScreen
        state={state}
        chart={['collect  ████ 2 s']}
        findings={{errors: 1, warnings: 2, rules: ['holder-absent']}}
        onQuit={onQuit}
      />,
    );
    const f = plain(lastFrame());
    expect(f).toShow(/Verdict: ABORTED — aborted by the operator/);
    expect(f).toShow(/collect {2}████/);
    expect(f).toShow(/1 error, 2 warnings \(holder-absent\)/);
    expect(f).toShow(/\/r\/drill-1\.md/);
    await press(stdin, 'q');
    expect(onQuit).toHaveBeenCalled();
  });
});

describe('enrol screen', () => {
  it('asks for a name, a stick and the passphrase twice', async () => {
    const onEnrol = vi.fn();
    const sticks = [folderStick('frank-stick')];
    const {stdin, lastFrame} = render(
      <EnrolScreen sticks={sticks} busy={false} onEnrol={onEnrol} onBack={vi.fn()} />,
    );
    // A name with a space is refused out loud, with one that would do.
    await type(stdin, 'Frank Moss');
    await press(stdin, KEY.enter);
    expect(plain(lastFrame())).toShow(
      /“Frank Moss” cannot be used: your name names your key file and certificate, so letters, digits, \. _ - only, no spaces — e\.g\. Frank-Moss\./,
    );
    await press(stdin, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    await press(stdin, '\u0015');
    await type(stdin, 'frank');
    await press(stdin, KEY.enter, KEY.enter);
    expect(plain(lastFrame())).toShow(/Choose a passphrase \(12\+ characters\):/);
    expect(plain(lastFrame())).toShow(/12 characters or more/);
    // A short one is refused, saying why; nothing is asked twice.
    await type(stdin, 'abc');
    await press(stdin, KEY.enter);
    expect(plain(lastFrame())).toShow(
      /That passphrase has 3 characters; a new key's passphrase needs 12 or more\. Choose another\./,
    );
    expect(plain(lastFrame())).not.toShow(/Type it again/);
    await type(stdin, 'correct horse 1');
    await press(stdin, KEY.enter);
    await type(stdin, 'correct horse 2');
    await press(stdin, KEY.enter);
    expect(plain(lastFrame())).toShow(/differed/);
    expect(onEnrol).not.toHaveBeenCalled();
    await type(stdin, 'correct horse 1');
    await press(stdin, KEY.enter);
    await type(stdin, 'correct horse 1');
    await press(stdin, KEY.enter);
    expect(onEnrol).toHaveBeenCalledTimes(1);
    const req = onEnrol.mock.calls[0]?.[0] as {holder: string; passphrase: Buffer};
    expect(req.holder).toBe('frank');
    expect(req.passphrase.toString()).toBe('correct horse 1');
  });
});

describe('collect screen: an encrypted key with no certificate beside it', () => {
  it('asks its custodian for the passphrase, masked, and hands it over as a Buffer', async () => {
    const a = actions();
    (a as Record<string, unknown>).identify = vi.fn();
    const state = walk(
      ...toCollect,
      {type: 'stick-inserted', stick: info('alice')},
      {type: 'key-locked', stick: info('alice'), file: '/demo/alice/alice.key'},
    );
    let got = '';
    (a.identify as ReturnType<typeof vi.fn>).mockImplementation((b: Buffer) => {
      got = b.toString();
    });
    const {lastFrame, stdin} = render(<CollectScreen state={state} sticks={[]} actions={a} />);
    const f = plain(lastFrame());
    expect(f).toShow(/type its passphrase to identify it/);
    expect(f).toShow(/Try 1 of 3/);
    expect(f).toShow(/Enter submit · Esc cancel/);
    await type(stdin, 'pw-a');
    expect(plain(lastFrame())).not.toShow(/pw-a|Which holder is absent/);
    await press(stdin, KEY.enter);
    expect(got).toBe('pw-a');
    expect(a.reconstruct).not.toHaveBeenCalled();
  });
});
