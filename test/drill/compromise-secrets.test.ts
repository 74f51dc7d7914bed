/**
 * The compromise rehearsal's secrets, in process: the new domain's key signs the report only
 * on a pass and is zero once the report is written; the old domain's payload (the old
 * instance's keys) is zero once the old instance is purged; and neither the new domain key nor
 * the old one appears in the report, the store or the new domain file — in hex or base64.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {writeHolderKey} from '../../source/domain/holder-key.js';
import type {NativeReconstructed} from '../../source/domain/native/reader.js';
import {readPlan, runPlan} from '../../source/drill/plan.js';
import {ReportService} from '../../source/drill/services.js';
import {DrillSession} from '../../source/drill/session.js';
import {unwrap} from '../../source/errors.js';
import {openStore} from '../../source/store/store.js';
import {filesUnder} from '../helpers/files.js';
import {fixturesDir} from '../helpers/paths.js';
import {tempDir} from '../helpers/temp.js';

const demo = join(fixturesDir, 'demo');
const zero = (b: Buffer): boolean => b.every((x) => x === 0);

describe('the compromise rehearsal’s secrets', () => {
  it('the new domain key signs only a pass, then is wiped; the old instance’s keys with the purge; none is written anywhere', async () => {
    const dir = tempDir('compromise-secrets');
    await writeHolderKey(join(dir, 'frank'), 'frank', 2048, undefined);
    const who = (n: string) => ({
      custodian: n,
      role: 'r',
      key: join(demo, 'sticks', n, `${n}.key`),
      passphraseFile: `${n}.pass`,
    });
    for (const n of ['alice', 'bob', 'carol'])
      writeFileSync(join(dir, `${n}.pass`), `${n}-practice-only\n`);
    const planFile = join(dir, 'plan.json');
    writeFileSync(
      planFile,
      JSON.stringify({
        domain: join(demo, 'security-domain.json'),
        mode: 'compromise',
        reportDir: 'reports',
        participants: ['alice', 'bob', 'carol'].map(who),
        compromise: {
          certificates: [1, 2, join(dir, 'frank', 'frank.cer')],
          quorum: 2,
          out: 'new.json',
          newHolders: [
            who('alice'),
            who('bob'),
            {custodian: 'F', role: 'r', key: join(dir, 'frank', 'frank.key')},
          ],
        },
      }),
    );
    const plan = unwrap(readPlan(planFile));
    const store = openStore({dir: join(dir, 'store')});
    const reports = new ReportService(join(dir, 'reports'), store);
    const session = new DrillSession({pins: reports.pins});
    let oldPayload: Buffer | undefined;
    let signing: Buffer | undefined;
    session.subscribe(() => {
      const s = session.getState();
      if (s.step === 'enlist' && !oldPayload)
        oldPayload = (session.reconstruction as NativeReconstructed | undefined)?.payload;
      // Before the pass, nothing may sign.
      if (s.step === 'migrate') expect(session.compromise.signingSecret).toBeUndefined();
      if (s.outcome?.verdict === 'pass' && !signing) signing = session.compromise.signingSecret;
    });
    await runPlan(plan, session);
    expect(session.getState().outcome?.verdict).toBe('pass');
    // The old instance was purged: the old domain's payload (its keys) is zero already.
    expect(oldPayload && zero(oldPayload)).toBe(true);
    expect(signing && !zero(signing)).toBe(true);
    const copy = Buffer.from(signing ?? Buffer.alloc(0));
    const finished = reports.finish(session);
    expect(finished.report?.proof.signed).toBe(true);
    expect(zero(signing ?? Buffer.alloc(1, 1))).toBe(true);
    expect(session.compromise.signingSecret).toBeUndefined();
    const forms = [copy.toString('hex'), copy.toString('base64'), copy.toString('base64url')];
    const written = [
      ...filesUnder(join(dir, 'reports')),
      ...filesUnder(join(dir, 'store')),
      join(dir, 'new.json'),
    ];
    expect(written.length).toBeGreaterThan(3);
    for (const f of written) {
      const text = readFileSync(f, 'latin1');
      for (const form of forms) expect(text.includes(form), `${form} in ${f}`).toBe(false);
    }
  }, 120_000);
});
