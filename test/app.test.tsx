/**
 * The whole App under ink-testing-library: a real DrillSession on the demo domain, the
 * shell's services faked. From the command line's --sd and --mode to one holder's share.
 */
import {join} from 'node:path';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {App, type DrillServices} from '../source/app.js';
import {Boot} from '../source/tui.js';
import {DrillSession} from '../source/drill/session.js';
import {KEY, plain, press, type, waitForFrame} from './helpers/ink.js';
import {demoSticks, fixturesDir} from './helpers/paths.js';
import {tempDir} from './helpers/temp.js';

const demo = join(fixturesDir, 'demo');
const PASSPHRASE = 'alice-practice-only';

function fakeServices() {
  return {
    findings: vi.fn(() => []),
    registered: vi.fn(() => new Map<string, string>()),
    chart: vi.fn(() => []),
    finish: vi.fn(async () => undefined),
    domainCandidates: vi.fn(() => []),
    firstPinFacts: vi.fn(() => undefined),
    enrol: vi.fn(async () => {
      throw new Error('enrol is not part of a rehearsal');
    }),
  } satisfies DrillServices;
}

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe('App', () => {
  it('walks a rehearsal from --sd to the collect step and takes one holder’s share', async () => {
    const session = new DrillSession();
    const services = fakeServices();
    const app = render(
      <App
        session={session}
        services={services}
        options={{
          sdFile: join(demo, 'security-domain.json'),
          mediaDirs: [demoSticks],
          // No real mounts: the sticks are the demo folders only.
          mountRoots: [tempDir('app-mounts')],
          mode: 'rehearsal',
        }}
      />,
    );
    cleanup = () => {
      app.unmount();
      session.wipeSecrets();
    };
    const {lastFrame, stdin, frames} = app;
    const until = (re: RegExp, tries = 200) => waitForFrame(lastFrame, re, tries);

    // --mode and --sd skip the start and load steps.
    let f = await until(/Press Enter when the holders are ready/);
    expect(f).toShow(/demo-hsm · sd-drill simulated HSM · quorum 3 of 5/);
    expect(f).toShow(/Policy findings before anyone arrives: none/);
    expect(session.getState().step).toBe('inspect');
    await press(stdin, KEY.enter);

    await until(/Choose the disaster to rehearse/);
    await press(stdin, KEY.enter);
    // The old HSM goes down, then a new one comes up with a fresh exchange key.
    f = await until(/Sticks present/, 1200);
    expect(f).toShow(/Quorum □□□ 0 of 3/);
    expect(f).toShow(/New HSM in recovery mode: [0-9a-f]/);
    await until(/❯ 1 {2}alice \(folder\)/);

    await press(stdin, KEY.enter);
    await until(/Your name:/);
    await type(stdin, 'Alice Ng');
    await press(stdin, KEY.enter);
    await until(/Your role:/);
    await type(stdin, 'Security Architect');
    await press(stdin, KEY.enter);
    await until(/press y to acknowledge/);
    await press(stdin, 'y');
    await until(/type the passphrase of your key \(alice\.key\)\. Try 1 of 3/);
    await type(stdin, PASSPHRASE);
    expect(plain(lastFrame())).toShow(`Passphrase: ${'•'.repeat(PASSPHRASE.length)}`);
    await press(stdin, KEY.enter);

    f = await until(/Remove the stick alice now/, 400);
    expect(f).toShow(/Quorum ■□□ 1 of 3/);
    expect(f).toShow(/alice .* share accepted\s+Alice Ng, Security Architect/);
    await press(stdin, 'x');
    f = await until(/Stick removed/);
    expect(f).toShow(/Next holder: insert your stick/);

    const state = session.getState();
    expect(state.step).toBe('collect');
    expect(state.holders.find((h) => h.index === 1)?.state).toBe('accepted');
    expect(services.enrol).not.toHaveBeenCalled();
    expect(services.finish).not.toHaveBeenCalled();
    // The passphrase never reached a frame, nor the ceremony state a screen renders from.
    expect(frames.some((x) => x.includes(PASSPHRASE))).toBe(false);
    expect(JSON.stringify(state)).not.toContain(PASSPHRASE);
  }, 30_000);
});

describe('Boot (the first frame before the session loads)', () => {
  it('shows the start screen at once, keeps a choice made while loading, then hands over', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const session = new DrillSession();
    const load = vi.fn(async () => {
      await gate;
      return {session, services: fakeServices()};
    });
    const {lastFrame, stdin, unmount} = render(<Boot load={load} options={{mediaDirs: []}} />);
    cleanup = unmount;
    expect(plain(lastFrame())).toShow(/What is this session for\?/);
    expect(load).toHaveBeenCalledTimes(1);
    await press(stdin, KEY.down, KEY.enter);
    expect(plain(lastFrame())).toShow(/Preparing the drill…/);
    expect(session.getState().step).toBe('start');
    release();
    const f = await waitForFrame(lastFrame, /Load domain/);
    expect(f).toShow(/Restore after a purge/);
    expect(session.getState().mode).toBe('restore');
  });

  it('with the session loaded first, waits on its own start screen until a use is chosen', async () => {
    const session = new DrillSession();
    const load = async () => ({session, services: fakeServices()});
    const {lastFrame, stdin, unmount} = render(<Boot load={load} options={{mediaDirs: []}} />);
    cleanup = unmount;
    await press(stdin, KEY.down, KEY.down);
    expect(plain(lastFrame())).toShow(/❯ 3 {2}Onboarding/);
    await press(stdin, KEY.enter);
    await waitForFrame(lastFrame, () => session.getState().step !== 'start');
    expect(session.getState().mode).toBe('onboarding');
  });
});
