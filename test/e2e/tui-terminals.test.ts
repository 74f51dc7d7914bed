/**
 * The demo rehearsal in the terminals people have: a 60-column pane, a window resized while the
 * drill runs, the Linux text console (TERM=linux) with NO_COLOR, TERM=dumb, and a screen reader
 * (--screen-reader), whose transcript is read from the pane's whole history.
 */
import {expect, it} from 'vitest';
import {demoSd, demoSticks} from '../helpers/paths.js';
import {answerFirstPin, exitCode, startApp, tuiSuite} from '../helpers/tui.js';
import type {Pane} from '../helpers/tmux.js';

const args = ['drill', '--sd', demoSd, '--media', demoSticks];
const HOLDERS = [
  {stick: 'alice', key: '1', name: 'Alice Ng', role: 'Security Architect'},
  {stick: 'bob', key: '2', name: 'Bob Brown', role: 'Operations'},
  {stick: 'carol', key: '3', name: 'Carol Chu', role: 'Audit'},
];
const pass = (stick: string) => `${stick}-practice-only`;

/**
 * What is wrong with the screen as shown in a `width`-column terminal: a line wider than it, a
 * row that begins with the space a word wrap left there, a header that is not the first line or is there twice (a fragment of an older frame above the
 * new one), or anything under the footer's keys (a fragment below).
 */
function screenProblems(p: Pane, width: number, where: string): string[] {
  const screen = p.capture();
  const lines = screen.split('\n').map((l) => l.trimEnd());
  const problems: string[] = [];
  for (const l of lines) {
    if ([...l].length > width) problems.push(`${where}: a line of ${[...l].length} columns: ${l}`);
    // The space between two words belongs to neither row (scripts/dependency-edits.mjs).
    if (/^ \S/.test(l)) problems.push(`${where}: a row begins with the space a wrap left: ${l}`);
  }
  const filled = lines.map((l, i) => ({l, i})).filter(({l}) => l !== '');
  const headers = filled.filter(({l}) => l.startsWith('sd-drill '));
  if (headers.length !== 1 || filled[0]?.l !== headers[0]?.l)
    problems.push(`${where}: the header is not once at the top:\n${screen}`);
  const keys = lines.findLastIndex((l) => /Ctrl-C (abort|quit|answer no)/.test(l));
  if (keys < 0 || filled.some(({i}) => i > keys))
    problems.push(`${where}: lines under the keys, or no keys:\n${screen}`);
  return problems;
}

/** One holder at the machine: stick by its number, name and role, y, passphrase, stick out. */
async function holderTurn(p: Pane, h: (typeof HOLDERS)[number]): Promise<void> {
  await p.waitFor(/Sticks present/);
  await p.keys(h.key);
  await p.waitFor('Your name:');
  await p.burst(h.name);
  await p.waitFor('Your role:');
  await p.burst(h.role);
  await p.waitFor('press y to acknowledge');
  await p.keys('y');
  await p.waitFor(/type the passphrase/);
  await p.burst(pass(h.stick));
  await p.waitFor(`Remove the stick ${h.stick} now`);
  await p.keys('x');
  await p.waitFor('Stick removed');
}

/** Start, the rehearsal (1), inspect (Enter), the disaster (2: purged), to the sticks. */
async function toCollect(p: Pane, check: (where: string) => void = () => {}): Promise<void> {
  await p.waitFor('What is this session for?');
  check('start');
  await p.keys('1');
  await p.waitFor('Press Enter when the holders are ready');
  check('inspect');
  await p.keys('Enter');
  await p.waitFor('Choose the disaster');
  check('disaster');
  await p.keys('2');
  await p.waitFor('Sticks present');
  check('collect');
}

tuiSuite('every terminal', () => {
  it('a 60-column terminal, then resized mid-drill: every frame fits, no fragment of an older one', async () => {
    const {p} = startApp('narrow', args, {width: 60, height: 24});
    const problems: string[] = [];
    let width = 60;
    const check = (where: string) => problems.push(...screenProblems(p, width, where));
    await toCollect(p, check);
    await holderTurn(p, HOLDERS[0]!);
    check('after the first holder');
    // Wider, then narrower again (the case that left fragments), then a flurry of sizes.
    for (const [w, h] of [
      [100, 30],
      [60, 24],
      [61, 24],
      [90, 26],
      [70, 25],
      [60, 24],
    ] as const) {
      width = w;
      await p.resize(w, h);
    }
    await p.waitFor((s) => s.split('\n').every((l) => [...l.trimEnd()].length <= 60));
    check('resized to 100, 60, 61, 90, 70 and 60 columns');
    await holderTurn(p, HOLDERS[1]!);
    // Mid-turn: the name asked for, the window resized under the field.
    await p.waitFor(/Sticks present/);
    await p.keys(HOLDERS[2]!.key);
    await p.waitFor('Your name:');
    await p.text('Carol');
    width = 72;
    await p.resize(72, 24);
    await p.waitFor('Your name: Carol');
    check('resized while a name is typed');
    width = 60;
    await p.resize(60, 24);
    await p.waitFor('Your name: Carol');
    check('resized back while a name is typed');
    await p.keys('Enter');
    await p.waitFor('Your role:');
    await p.burst('Audit');
    await p.waitFor('press y to acknowledge');
    await p.keys('y');
    await p.burst(pass('carol'));
    await p.waitFor('Remove the stick carol now');
    await p.keys('x');
    await p.waitFor('Quorum reached: press r');
    check('quorum reached');
    await p.keys('r');
    await p.waitFor('pin its key?');
    check('the first-pin question');
    await answerFirstPin(p);
    await p.waitFor('Report saved');
    check('report');
    expect(p.flat()).toMatch(/Verdict: PASS/);
    expect(problems).toEqual([]);
    await p.keys('q');
    expect(await exitCode(p)).toBe('0');
  }, 120_000);

  it.each<{term: string; env: Record<string, string>}>([
    {term: 'linux', env: {NO_COLOR: '1'}},
    {term: 'dumb', env: {}},
  ])(
    'TERM=$term $env: no colour escape and nothing but ASCII on any screen, start to report',
    async ({term, env}) => {
      // No CI variable: chalk treats any CI as "no colour", and the test must be able to fail.
      const {p} = startApp(`plain-${term}`, args, {noCi: true, env: {TERM: term, ...env}});
      const screens: string[] = [];
      const grab = () => screens.push(p.capture({escapes: true}));
      await toCollect(p, grab);
      for (const h of HOLDERS) {
        await holderTurn(p, h);
        grab();
      }
      await p.keys('r');
      await p.waitFor('pin its key?');
      grab();
      await answerFirstPin(p);
      await p.waitFor('Report saved');
      grab();
      const all = screens.join('\n');
      expect(all).toMatch(/Verdict: PASS/);
      // The ASCII set at work: the pointer, the marks, the rule, the bars.
      expect(all).toMatch(/\[x\] +1 alice/);
      expect(all).toMatch(/Quorum \[###\] 3 of 3/);
      expect(all).toMatch(/^-{40,}$/m);
      // eslint-disable-next-line no-control-regex
      expect(all.match(/\u001B\[[0-9;]*m/g) ?? []).toEqual([]);
      expect([...all].filter((c) => c !== '\n' && (c < ' ' || c > '~'))).toEqual([]);
    },
    120_000,
  );

  it('a screen reader: the whole rehearsal as a transcript, in order, numbered, nothing said twice by a redraw', async () => {
    const {p} = startApp('reader', [...args, '--screen-reader'], {height: 24});
    const said = () => p.capture({history: true});
    const hear = (text: string | RegExp) =>
      p.waitFor(() => (typeof text === 'string' ? said().includes(text) : text.test(said())));
    await hear(/1 of \d: Quarterly rehearsal/);
    // An arrow moves the selection: said in place, never added to what was said.
    await p.keys('Down');
    await hear(/2 of \d, selected: Restore after a purge/);
    await p.keys('Up');
    await hear(/1 of \d, selected: Quarterly rehearsal/);
    await p.keys('1');
    await hear('Press Enter when the holders are ready');
    await p.keys('Enter');
    await hear('3 of 3: archived-and-deleted');
    await p.keys('2');
    for (const [i, h] of HOLDERS.entries()) {
      await hear(`${i} of 3 shares held.`);
      await p.keys(h.key);
      await hear(`Key found for ${h.stick}`);
      // Typed one key at a time, the way a person does: the field is said as it is typed.
      await p.text(h.name);
      await p.keys('Enter');
      await p.burst(h.role);
      await hear(`${h.name}, ${h.role}: press y`);
      await p.keys('y');
      await hear(`${h.name}, type the passphrase of your key`);
      await p.burst(pass(h.stick));
      await hear(`Remove the stick ${h.stick} now`);
      await p.keys('x');
    }
    await hear('3 of 3 shares held. Quorum reached');
    await p.keys('r');
    await hear('pin its key?');
    await p.keys('y');
    await hear('Report saved');
    await p.keys('q');
    expect(await exitCode(p)).toBe('0');

    const transcript = said()
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l !== '' && !/^EXITED:/.test(l));
    const text = transcript.join('\n');
    // The steps, in order, each said once: the step and what it needs first.
    const steps = transcript.filter((l) => /^Step \d of 7: /.test(l)).map((l) => l.slice(0, 14));
    expect(steps).toEqual([...new Set(steps)]);
    expect(steps.map((s) => Number(s[5]))).toEqual([...steps.map((s) => Number(s[5]))].sort());
    expect(steps).toEqual(
      expect.arrayContaining([
        'Step 2 of 7: I',
        'Step 3 of 7: D',
        'Step 4 of 7: C',
        'Step 7 of 7: R',
      ]),
    );
    // Every choice numbered, with how many there are.
    for (const choice of [
      /^1 of \d: Quarterly rehearsal/m,
      /^2 of 3: purged/m,
      /^1 of 5: alice \(folder\)$/m,
      /^1 of 5: alice \(folder\) - share taken$/m,
    ])
      expect(text).toMatch(choice);
    // The fields as typed, kept once answered; the passphrases never, not even as dots.
    expect(text).toContain('Your name: Alice Ng');
    for (const h of HOLDERS) expect(text).not.toContain(pass(h.stick));
    expect(text).not.toMatch(/[•*]{3}/);
    // No selection line left behind (said in place), no spinner, plain ASCII, no escape.
    expect(text).not.toMatch(/selected:/);
    expect([...text].filter((c) => c !== '\n' && (c < ' ' || c > '~'))).toEqual([]);
    expect(text).toMatch(/Verdict: PASS/);
    // Nothing said twice in a row, and within a step nothing said twice but what is said anew
    // to each holder: the duties they acknowledge, and that their stick came out.
    expect(transcript.filter((l, i) => l === transcript[i - 1])).toEqual([]);
    const anew = [/^"I am the custodian of this key/, /^NOTE: Stick removed\. Next holder/];
    let step: string[] = [];
    const twice: string[] = [];
    for (const l of transcript) {
      if (/^Step \d of 7: /.test(l)) step = [];
      if (step.includes(l) && !anew.some((r) => r.test(l))) twice.push(l);
      step.push(l);
    }
    expect(twice).toEqual([]);
  }, 150_000);
});
