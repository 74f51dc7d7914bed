/**
 * Whole drills on the built bundle in a real pty (tmux), driven the way a custodian drives
 * them: arrow keys, Enter, typed names, masked passphrases, `x` to pull a demo stick.
 * `CI=false` because Ink draws nothing until exit when CI is set.
 */
import {cpSync, mkdirSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';
import {onlyReport} from '../helpers/files.js';
import {openssl} from '../helpers/keys.js';
import {leaksInFiles, leaksOnScreen, secret, verbatim} from '../helpers/leaks.js';
import {demoSd, demoSticks, fixturesDir, fullStrengthSticks} from '../helpers/paths.js';
import {tempDir} from '../helpers/temp.js';
import {EXITED, type Pane} from '../helpers/tmux.js';
import {
  exitCode,
  identify,
  insert,
  passphrase,
  present,
  removeStick,
  startApp,
  toCollect,
  tooWide,
  tuiSuite,
  type AppOptions,
} from '../helpers/tui.js';

const PASSPHRASES = readFileSync(join(fixturesDir, 'demo', 'passphrases.txt'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean);
const pass = (holder: string): string => `${holder}-practice-only`;
const WRONG = 'not-bobs-passphrase-9';

/** Secrets that must never reach a screen, a report or the store. */
const SECRETS = [...PASSPHRASES, WRONG]
  .map((p, i) => secret(`passphrase ${i + 1}`, p))
  .concat(verbatim('PRIVATE KEY'));
const leaksIn = (screen: string): string[] => leaksOnScreen(screen, SECRETS);

const HELP = /Ctrl-C abort|q quit|n no/;
const RULE = /^─{20,}$/;

/**
 * The screen fits an 80×24 terminal: no line the app wrote is wider than 80 columns (tmux
 * joins lines it had to wrap, with -J), the header is still on screen (nothing scrolled
 * off the top) and the help line sits under the rule.
 */
function fitProblems(pane: Pane): string[] {
  const lines = pane.capture().split('\n');
  const problems = tooWide(lines.join('\n'));
  if (!lines.some((l) => l.startsWith('sd-drill ·'))) problems.push('the header scrolled off');
  const rule = lines.findIndex((l) => RULE.test(l.trim()));
  // The keys under the rule may take two lines on a narrow terminal.
  if (rule < 0 || !HELP.test(lines.slice(rule + 1).join(' ')))
    problems.push(`no help line under the rule:\n${lines.join('\n')}`);
  return problems;
}

// eslint-disable-next-line no-control-regex
const SGR = /\u001B\[([0-9;]*)m/g;

/** SGR sequences that set a colour (foreground, background, 256-colour or true colour). */
function colourCodes(screen: string): string[] {
  const found: string[] = [];
  for (const m of screen.matchAll(SGR)) {
    const params = (m[1] ?? '').split(';').map(Number);
    if (
      params.some(
        (n) => (n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) || n >= 100,
      )
    )
      found.push(m[0]);
  }
  return found;
}

/** The interactive drill on the demo domain, its report folder made (a test lists it). */
function startDrill({media = demoSticks, ...options}: AppOptions & {media?: string} = {}) {
  return startApp('drill', ['drill', '--sd', demoSd, '--media', media], {
    ...options,
    makeReports: true,
  });
}

tuiSuite('the TUI drill in a real terminal', () => {
  it('runs the demo rehearsal to a passing, saved report without showing a passphrase', async () => {
    // The demo exactly as `npm start` runs it: its keys at sd-drill's full KDF strength.
    const {p, config, reports} = startDrill({media: fullStrengthSticks});
    const fits: string[] = [];
    const check = () => fits.push(...fitProblems(p));
    await toCollect(p, check);
    await present(p, 'alice', 'Alice Ng', 'Security Architect');
    await p.waitFor('1 of 3');
    await present(p, 'bob', 'Bob Brown', 'Operations');
    await present(p, 'carol', 'Carol Chu', 'Audit');
    await p.waitFor('Quorum reached: press r');
    check();
    await p.keys('r');
    // First drill of the demo domain with this store: pinning its key is asked, not assumed.
    const question = await p.waitFor('pin its key?');
    check();
    expect(question.replace(/\s+/g, ' ')).toMatch(/SHA-256 [0-9a-f]{64}/);
    expect(question.replace(/\s+/g, ' ')).toMatch(
      /Report key [A-Za-z0-9+/]{43}= \(the key its file's header carries\)/,
    );
    expect(question.replace(/\s+/g, ' ')).toMatch(/y yes · n no/);
    // Enter chooses nothing: the operator answers knowingly.
    await p.keys('Enter');
    expect(p.capture()).toShow('pin its key?');
    await p.keys('y');
    await p.waitFor('Verdict: PASS');
    const screen = p.capture();
    await p.waitFor('Report saved');
    expect(p.capture()).toShow(/recorded here at first use on \d{4}-\d\d-\d\d/);
    check();
    expect(fits).toEqual([]);
    const last = p.capture();
    expect(last).toShow(/Keys restored into the new \(simulated\) HSM: 27 of 27/);
    // 24 rows hold the verdict, the findings and the report's path, not the timeline too:
    // the screen says where it is, and the report has it.
    expect(last).toShow('The timeline of each step is in the report');
    expect(last).toShow(/Findings: 0 errors, 1 warning \(holder-unproven\)/);
    expect(last).toShow(/Report saved: \S+\.md and \.json/);
    expect(screen).toShow('Verdict: PASS');

    const md = readdirSync(reports).filter((n) => n.endsWith('.md'));
    expect(md).toHaveLength(1);
    const markdown = readFileSync(join(reports, md[0] ?? ''), 'utf8');
    for (const step of ['Load domain', 'Inspect', 'Disaster', 'Collect shares', 'Restore'])
      expect(markdown).toContain(step);
    const report = onlyReport<{verdict: string; participants: Array<{custodian: string}>}>(reports);
    expect(report.verdict).toBe('pass');
    expect(report.participants.map((x) => x.custodian)).toEqual([
      'Alice Ng',
      'Bob Brown',
      'Carol Chu',
    ]);

    await p.keys('q');
    expect(await exitCode(p)).toBe('0');

    // Nothing secret anywhere: every frame seen (with scrollback), the reports, the store.
    p.capture({history: true});
    expect(p.frames.length).toBeGreaterThan(10);
    expect(p.frames.flatMap(leaksIn)).toEqual([]);
    expect(leaksInFiles([reports, config], SECRETS)).toEqual([]);
  }, 90_000);

  it('explains a wrong passphrase inline and keeps progress; refuses a stranger’s stick until it is pulled', async () => {
    const media = tempDir('e2e-media');
    for (const h of ['alice', 'bob'])
      cpSync(join(demoSticks, h), join(media, h), {recursive: true});
    mkdirSync(join(media, 'mallory'));
    openssl(['genrsa', '-out', 'mallory.key', '2048'], join(media, 'mallory'));
    const {p} = startDrill({media});
    await toCollect(p);
    await present(p, 'alice', 'Alice Ng', 'Security Architect');

    // A stranger's key: refused on the collect screen, and the stick must come out first.
    await insert(p, 'mallory');
    await p.waitFor(/not one of this domain's wrapping keys/);
    expect(p.capture()).toShow(/Remove the stick mallory now/);
    await p.keys('Enter');
    expect(p.capture()).not.toShow(/Your name:|Sticks present/);
    expect(p.capture()).toShow(/Remove the stick mallory now/);
    await p.keys('x');
    await p.waitFor('Stick removed');

    // Bob mistypes: told at once, tries left counted, Alice's share and Bob's identity kept.
    await insert(p, 'bob');
    await identify(p, 'Bob Brown', 'Operations');
    await passphrase(p, WRONG);
    await p.waitFor('Wrong passphrase');
    const wrong = p.capture();
    expect(wrong).toShow(/Wrong passphrase for bob\.key on stick bob — 2 tries left/);
    expect(wrong).toShow(/Try 2 of 3/);
    expect(wrong).toShow(/1 of 3/);
    expect(wrong).toShow(/alice .* share accepted Alice Ng, Security Architect/);
    expect(wrong).toShow(/bob .* at the machine Bob Brown, Operations/);
    expect(wrong).not.toShow(/Your name:/);
    await passphrase(p, pass('bob'));
    await removeStick(p, 'bob');
    const after = p.capture();
    expect(after).toShow(/2 of 3/);
    expect(after).toShow(/bob .* share accepted Bob Brown, Operations/);
    p.capture({history: true});
    expect(p.frames.flatMap(leaksIn)).toEqual([]);
  }, 90_000);

  it('asks before Ctrl-C wipes held shares; n goes back, y aborts with a saved report; q leaves', async () => {
    const {p, reports} = startDrill();
    await toCollect(p);
    await present(p, 'alice', 'Alice Ng', 'Security Architect');
    await p.keys('C-c');
    await p.waitFor('Abort the drill? The shares held so far will be wiped');
    expect(p.capture()).toShow(/Abort\? Press y to abort, n to go on with the drill/);
    await p.keys('n');
    await p.waitFor('Sticks present');
    expect(p.capture()).toShow(/1 of 3 .*alice .* share accepted/);
    expect(p.capture()).not.toShow(/Abort the drill\?/);

    await p.keys('C-c');
    await p.waitFor('Abort the drill?');
    await p.keys('y');
    await p.waitFor('Verdict: ABORTED');
    await p.waitFor('Report saved');
    expect(onlyReport<{verdict: string}>(reports).verdict).toBe('aborted');

    await p.keys('q');
    // An aborted drill is not a passed one.
    expect(await exitCode(p)).toBe('1');
  }, 90_000);

  it('leaves at once on Ctrl-C at the start screen, writing no report', async () => {
    const {p, reports} = startDrill();
    await p.waitFor('What is this session for?');
    await p.keys('C-c');
    const end = await p.waitFor(EXITED);
    expect(end).not.toShow(/Abort the drill\?|Verdict/);
    expect(readdirSync(reports)).toEqual([]);
  });

  it('draws no colour with NO_COLOR=1, and colour without it', async () => {
    // CI must be absent here, not "false": chalk treats any CI variable as "no colour",
    // so with CI=false the colour half could never fail.
    const mono = startDrill({noCi: true, env: {NO_COLOR: '1'}});
    const screens: string[] = [];
    await mono.p.waitFor('What is this session for?');
    screens.push(mono.p.capture({escapes: true}));
    await mono.p.keys('Enter');
    await mono.p.waitFor('Press Enter when the holders are ready');
    screens.push(mono.p.capture({escapes: true}));
    await mono.p.keys('Enter');
    await mono.p.waitFor('Choose the disaster');
    await mono.p.keys('Enter');
    await mono.p.waitFor('Sticks present');
    screens.push(mono.p.capture({escapes: true}));
    expect(screens.join('')).toContain('Quorum');
    expect(screens.flatMap(colourCodes)).toEqual([]);
    mono.p.kill();

    const coloured = startDrill({noCi: true});
    await coloured.p.waitFor('What is this session for?');
    await coloured.p.keys('Enter');
    await coloured.p.waitFor('Press Enter when the holders are ready');
    expect(colourCodes(coloured.p.capture({escapes: true})).length).toBeGreaterThan(0);
  });

  it('fits an 80×24 terminal, with the help line on screen, at every step', async () => {
    const {p} = startDrill();
    const problems: string[] = [];
    const check = (where: string) => problems.push(...fitProblems(p).map((x) => `${where}: ${x}`));
    await toCollect(p, () => check('before collect'));
    await p.keys('a');
    await p.waitFor('Which holder is absent?');
    check('absent');
    await p.keys('Escape');
    await insert(p, 'alice');
    await p.waitFor('Your name:');
    check('name');
    await p.text('Alice Ng');
    await p.waitFor('Your name: Alice Ng');
    await p.keys('Enter');
    await p.waitFor('Your role:');
    check('role');
    await p.text('Security Architect');
    await p.waitFor('Your role: Security Architect');
    await p.keys('Enter');
    await p.waitFor('press y to acknowledge');
    check('duties');
    await p.keys('y');
    await passphrase(p, 'wrong-wrong');
    await p.waitFor('Wrong passphrase');
    check('wrong passphrase');
    await passphrase(p, pass('alice'));
    await p.waitFor('Remove the stick alice now');
    check('remove');
    await p.keys('x');
    await p.waitFor('Stick removed');
    check('after removal');
    await p.keys('C-c');
    await p.waitFor('Abort the drill?');
    check('confirm abort');
    await p.keys('y');
    await p.waitFor('Report saved');
    check('report');
    expect(problems).toEqual([]);
  }, 90_000);
});
