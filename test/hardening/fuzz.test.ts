/**
 * The fuzz battery (issue 21): valid reports, requests, contributions, plans and both domain
 * formats, mutated — bytes, JSON values, numbers, nesting, keys given twice — and run through
 * the commands' own functions in process, as the CLI runs them. Whatever comes in, the answer
 * is a pass that is really one (a report counts only if its signed content is untouched) or an
 * SdError: exit 1 or 2, one printable line, never an "internal error", never a hang. Bounded
 * runs with the suite's fixed seed; a few cases also go through the built bundle.
 */
import {randomBytes} from 'node:crypto';
import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {contribute} from '../../source/commands/contribute.js';
import {collectShares, reconstructWithQuorum} from '../../source/commands/quorum.js';
import {proveAll} from '../../source/domain/prove-all.js';
import {openDomainFile} from '../../source/domain/open.js';
import {loadPrivateKey} from '../../source/domain/key-unlock.js';
import {readPlan} from '../../source/drill/plan.js';
import {DrillSession} from '../../source/drill/session.js';
import {SdError} from '../../source/errors.js';
import {signedBytes} from '../../source/report/proof.js';
import {parseStrictJsonBytes} from '../../source/strict-json.js';
import {verifyReportFile, type PinSources} from '../../source/report/verify.js';
import {parseRequest, requestDigest, shortCode} from '../../source/remote/request.js';
import {identityOf, withPin} from '../../source/store/pins.js';
import {wipe} from '../../source/secret.js';
import {reportOf} from '../report/context.js';
import {drillState} from '../report/drill-states.js';
import {reportPublicKey} from '../../source/domain/report-key.js';
import {demoKey, demoPassphrase, demoSd, fixturesDir} from '../helpers/paths.js';
import {cleanErrorProblems, runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/temp.js';

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const RUNS = {numRuns: 60};

/** What the CLI makes of a throw: an SdError is its one line and exit code; nothing else may come. */
function refusal(error: unknown): SdError {
  if (!(error instanceof SdError))
    throw new Error(`internal error: ${String(error)}`.slice(0, 400), {cause: error});
  expect([1, 2]).toContain(error.exitCode);
  expect(UNPRINTABLE.test(error.message), error.message).toBe(false);
  expect(error.message.length, error.message.slice(0, 200)).toBeLessThan(1000);
  expect(error.message).not.toMatch(/internal error|TypeError|RangeError|SyntaxError/);
  return error;
}

// ---- mutations -------------------------------------------------------------------------------

type Path = Array<string | number>;
function pathsOf(value: unknown): Path[] {
  const out: Path[] = [];
  const stack: Array<[unknown, Path]> = [[value, []]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [v, at] = item;
    if (!v || typeof v !== 'object' || at.length > 12) continue;
    for (const [k, child] of Array.isArray(v)
      ? v.map((x, i) => [i, x] as const)
      : Object.entries(v)) {
      out.push([...at, k]);
      stack.push([child, [...at, k]]);
    }
  }
  return out;
}

/** Numbers that have broken parsers: huge, tiny, negative zero, past 2^53, not finite. */
const NASTY_NUMBERS = [
  '1e400',
  '-1e400',
  '9007199254740993',
  '1e-400',
  '-0',
  '0.30000000000000001',
  '1E+2',
  '123456789012345678901234567890',
];

type Edit =
  | {kind: 'value'; at: number; value: unknown}
  | {kind: 'delete'; at: number}
  | {kind: 'deepen'; at: number; depth: number; add: boolean}
  | {kind: 'number'; at: number; text: string; add: boolean}
  | {kind: 'surrogate'; at: number; add: boolean}
  | {kind: 'twice'; at: number; add: boolean}
  | {kind: 'bytes'; at: number; op: 'flip' | 'cut' | 'insert' | 'truncate'; bytes: number[]};

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('value' as const),
    at: fc.nat(),
    value: fc.jsonValue({maxDepth: 2}),
  }),
  fc.record({kind: fc.constant('delete' as const), at: fc.nat()}),
  fc.record({
    kind: fc.constant('deepen' as const),
    at: fc.nat(),
    depth: fc.integer({min: 1, max: 200_000}),
    add: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('number' as const),
    at: fc.nat(),
    text: fc.constantFrom(...NASTY_NUMBERS),
    add: fc.boolean(),
  }),
  fc.record({kind: fc.constant('surrogate' as const), at: fc.nat(), add: fc.boolean()}),
  fc.record({kind: fc.constant('twice' as const), at: fc.nat(), add: fc.boolean()}),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.nat(),
    op: fc.constantFrom('flip', 'cut', 'insert', 'truncate'),
    bytes: fc.array(fc.integer({min: 0, max: 255}), {minLength: 1, maxLength: 8}),
  }),
);

const MARK = '"\u0000sd-drill-fuzz\u0000"';

/** The document's text after the edits: JSON edits through a parse, the rest on the text. */
function mutated(text: string, edits: Edit[]): Buffer {
  const doc = JSON.parse(text) as unknown;
  for (const e of edits) {
    if (e.kind === 'bytes') {
      // A byte edit ends the text's life as JSON: applied last, to what the edits made so far.
      const b = Buffer.from(JSON.stringify(doc, null, 1), 'utf8');
      const i = e.at % Math.max(1, b.length);
      const flip = (b[i] ?? 0) ^ ((e.bytes[0] ?? 0) | 1);
      if (e.op === 'flip')
        return Buffer.concat([b.subarray(0, i), Buffer.from([flip]), b.subarray(i + 1)]);
      if (e.op === 'cut') return Buffer.concat([b.subarray(0, i), b.subarray(i + e.bytes.length)]);
      if (e.op === 'insert')
        return Buffer.concat([b.subarray(0, i), Buffer.from(e.bytes), b.subarray(i)]);
      return b.subarray(0, i);
    }
    const paths = pathsOf(doc);
    const path = paths[e.at % Math.max(1, paths.length)];
    if (!path) continue;
    let parent = doc as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const last = path[path.length - 1] as string | number;
    if (e.kind === 'value') parent[last] = e.value;
    else if (e.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
    } else {
      // What JSON.stringify cannot write (a raw number, a lone surrogate, a key twice): a marker
      // goes in its place and is swapped for the raw text; the edit ends the document.
      const before = JSON.stringify(parent[last] ?? null);
      // Beside the value (a key or item the schema does not know) or in its place.
      if (e.add && Array.isArray(parent)) parent.push(MARK);
      else if (e.add) parent['sd-drill-fuzz'] = MARK;
      else parent[last] = MARK;
      const raw =
        e.kind === 'number'
          ? e.text
          : e.kind === 'surrogate'
            ? '"\\ud800"'
            : e.kind === 'deepen'
              ? `${'['.repeat(e.depth)}${before}${']'.repeat(e.depth)}`
              : before;
      let out = JSON.stringify(doc, null, 1);
      const key = JSON.stringify(e.add ? 'sd-drill-fuzz' : String(last));
      out =
        e.kind === 'twice' && !Array.isArray(parent)
          ? out.replace(`${key}: ${JSON.stringify(MARK)}`, `${key}: "first", ${key}: ${raw}`)
          : out.replace(JSON.stringify(MARK), raw);
      return Buffer.from(out, 'utf8');
    }
  }
  return Buffer.from(JSON.stringify(doc, null, 1), 'utf8');
}

const edits = fc.array(edit, {minLength: 1, maxLength: 3});

// ---- fixtures ---------------------------------------------------------------------------------

let dir = '';
/** Unencrypted copies of the demo keys (with their certificates): fuzzing never waits on a KDF. */
const plainKey = (h: string): string => join(dir, 'sticks', h, `${h}.key`);

beforeAll(async () => {
  dir = tempDir('fuzz');
  for (const h of ['alice', 'bob', 'carol']) {
    const k = await loadPrivateKey(demoKey(h), Buffer.from(demoPassphrase(h)));
    if (!k.ok) throw k.error;
    const stick = join(dir, 'sticks', h);
    mkdirSync(stick, {recursive: true});
    writeFileSync(plainKey(h), k.value.privateKey.export({type: 'pkcs8', format: 'pem'}));
    copyFileSync(demoKey(h).replace(/key$/, 'cer'), join(stick, `${h}.cer`));
  }
});

let n = 0;
const fileOf = (bytes: Buffer, name = 'doc.json'): string => {
  const f = join(dir, `${++n}-${name}`);
  writeFileSync(f, bytes);
  return f;
};

// ---- the battery --------------------------------------------------------------------------------

describe('mutated signed reports: a forgery never counts, nothing throws', () => {
  const secret = randomBytes(32);
  const state = drillState();
  const report = reportOf(
    {...state, domain: {...state.domain!, sha256: 'ab'.repeat(32)}},
    secret,
    'fuzz-1',
  );
  const d = report.scope.domain!;
  const pins = withPin(
    [],
    identityOf({...d, holders: d.holders.map((h) => ({certFingerprint: h.fingerprint}))}),
    reportPublicKey(secret),
    report.endedAt,
    'drill fuzz-1',
    'first-use',
  );
  const sources: PinSources = {pins, history: []};
  const text = JSON.stringify(report, null, 2);
  const original = signedBytes(JSON.parse(text));

  it('counts only when the signed content is the original’s', () => {
    expect(verifyReportFile(fileOf(Buffer.from(text)), sources)).toMatchObject({
      ok: true,
      value: {pinned: true},
    });
    fc.assert(
      fc.property(edits, (es) => {
        const bytes = mutated(text, es);
        const r = verifyReportFile(fileOf(bytes, 'report.json'), sources);
        if (!r.ok) return void refusal(r.error);
        if (!r.value.pinned) {
          expect(r.value.reason ?? '').not.toMatch(UNPRINTABLE);
          return;
        }
        // Counted: then the file has one reading only, and not one signed byte of it differs.
        const strict = parseStrictJsonBytes(bytes);
        expect(strict.ok, 'a report with more than one reading counted').toBe(true);
        if (strict.ok) expect(signedBytes(strict.value).equals(original)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('mutated requests through contribute', () => {
  let request = '';
  let requestText = '';
  beforeAll(async () => {
    const session = new DrillSession({idleLimitMs: 3_600_000});
    session.chooseMode('rehearsal');
    expect(session.loadDomain(demoSd)).toBe(true);
    session.inspected();
    session.simulateDisaster('purged');
    await session.bringUpRecoveryHsm();
    await session.remote.call(1, {dir}, 3_600_000);
    request = session.getState().holders.find((h) => h.index === 1)?.remote?.requestFile ?? '';
    requestText = readFileSync(request, 'utf8');
    session.abort('fuzz');
  });

  it('answers with a contribution to a valid request, or one line', async () => {
    await fc.assert(
      fc.asyncProperty(edits, async (es) => {
        const bytes = mutated(requestText, es);
        const file = fileOf(bytes, 'request.json');
        const parsed = parseRequest(file, bytes);
        // The holder types the code of what they were sent (the deepest path in).
        const expectCode = parsed.ok
          ? shortCode(requestDigest(parsed.value))
          : 'AAAA-AAAA-AAAA-AAAA-AAAA';
        try {
          await contribute({
            request: file,
            sd: demoSd,
            key: plainKey('alice'),
            out: join(dir, `${++n}-c.json`),
            expectCode,
          });
          expect(parsed.ok).toBe(true);
        } catch (error) {
          refusal(error);
        }
      }),
      {numRuns: 40},
    );
  });
});

describe('mutated contributions through the ceremony', () => {
  it('are refused in one line unless they are the very bytes contribute wrote', async () => {
    const session = new DrillSession({idleLimitMs: 3_600_000});
    session.chooseMode('rehearsal');
    expect(session.loadDomain(demoSd)).toBe(true);
    session.inspected();
    session.simulateDisaster('purged');
    await session.bringUpRecoveryHsm();
    await session.remote.call(3, {dir}, 3_600_000);
    const request =
      session.getState().holders.find((h) => h.index === 3)?.remote?.requestFile ?? '';
    const out = join(dir, 'carol-contribution.json');
    const r = parseRequest(request, readFileSync(request));
    if (!r.ok) throw r.error;
    await contribute({
      request,
      sd: demoSd,
      key: plainKey('carol'),
      out,
      expectCode: shortCode(requestDigest(r.value)),
    });
    const text = readFileSync(out, 'utf8');
    await fc.assert(
      fc.asyncProperty(edits, async (es) => {
        const bytes = mutated(text, es);
        if (bytes.equals(Buffer.from(text))) return;
        const accepted = await session.remote.receiveFile(fileOf(bytes, 'contribution.json'));
        expect(accepted).toBe(false);
        const notice = session.getState().notice?.text ?? '';
        expect(UNPRINTABLE.test(notice)).toBe(false);
      }),
      {numRuns: 40},
    );
    // The untouched one still counts: the refusals above took nothing from it.
    expect(await session.remote.receiveFile(out)).toBe(true);
    session.abort('fuzz');
  });
});

describe('mutated plans', () => {
  it('are read or refused in one line', () => {
    const plan = {
      domain: demoSd,
      scenario: 'purged',
      participants: ['alice', 'bob', 'carol'].map((h) => ({
        custodian: h,
        role: 'holder',
        key: plainKey(h),
      })),
      reportDir: join(dir, 'reports'),
      pinFirstUse: false,
    };
    const text = JSON.stringify(plan, null, 2);
    fc.assert(
      fc.property(edits, (es) => {
        const r = readPlan(fileOf(mutated(text, es), 'plan.json'));
        if (!r.ok) refusal(r.error);
      }),
      RUNS,
    );
  });
});

describe('mutated domain files, both formats, through verify --all', () => {
  const cases = [
    ['native', demoSd, ['alice', 'bob', 'carol'].map(plainKey)],
    [
      'azure',
      join(fixturesDir, 'azure', 'security-domain.json'),
      [
        join(fixturesDir, 'azure', 'holders', 'holder1.pem'),
        join(fixturesDir, 'azure', 'holders', 'holder3.pem'),
      ],
    ],
  ] as const;
  it.each(cases)(
    '%s: opened and tried with real keys, or refused in one line',
    async (_f, sd, keys) => {
      const text = readFileSync(sd, 'utf8');
      await fc.assert(
        fc.asyncProperty(edits, async (es) => {
          const file = fileOf(mutated(text, es), 'sd.json');
          const opened = openDomainFile(file);
          if (!opened.ok) return void refusal(opened.error);
          try {
            const collected = await collectShares(opened.value, [...keys], undefined);
            const q = await reconstructWithQuorum(opened.value, collected, file);
            proveAll(
              opened.value.domain.describe().holders,
              collected.matched.map((m) => ({holderIndex: m.holder, file: m.file})),
              q.badShares,
              q.reconstructed !== undefined,
              q.duplicates,
            );
            if (q.failure) refusal(q.failure);
            q.reconstructed?.wipe();
            for (const s of collected.shares) wipe(s.secret);
            for (const r of collected.refused) expect(UNPRINTABLE.test(r.reason)).toBe(false);
          } catch (error) {
            refusal(error);
          }
        }),
        {numRuns: 40},
      );
    },
  );
});

describe('through the built bundle', () => {
  it('a handful of mutated reports and requests: exit 1 or 2, one clean line, never a hang', () => {
    const report = JSON.stringify(reportOf(drillState(), randomBytes(32), 'fuzz-cli'), null, 2);
    const samples = fc.sample(edits, {numRuns: 6, seed: 21});
    for (const es of samples) {
      const r = runCli(['report', 'verify', fileOf(mutated(report, es), 'cli-report.json')], {
        timeout: 20_000,
      });
      expect([1, 2], r.stderr).toContain(r.code);
      expect(cleanErrorProblems(r.stderr)).toEqual([]);
    }
  });
});
