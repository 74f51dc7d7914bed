/**
 * holder-unproven: the inspect screen (a state with only the domain loaded) and the report
 * name every holder whose key was not proven — by a drill, verify --all, a rotation or a solo
 * check — within the review interval; a holder whose share this drill proved is proven now.
 */
import {describe, expect, it} from 'vitest';
import {initialState, reduce} from '../../source/ceremony/reduce.js';
import type {CeremonyState} from '../../source/ceremony/types.js';
import {findingsFor} from '../../source/report/findings.js';
import type {HolderProofRecord} from '../../source/store/proofs.js';
import {ctx, DOMAIN_ID} from './context.js';
import {DAY, domainSummary, drillState, fingerprint, T0} from './drill-states.js';

const DOMAIN = `native:${DOMAIN_ID}`;

function inspectState(): CeremonyState {
  let s = initialState(T0);
  s = reduce(s, {type: 'choose-mode', mode: 'rehearsal', at: T0 + 1000});
  return reduce(s, {type: 'domain-loaded', domain: domainSummary(), at: T0 + 2000});
}

const proof = (
  holder: number,
  daysBefore: number,
  by: HolderProofRecord['by'] = 'check',
  domain = DOMAIN,
): HolderProofRecord => ({
  domain,
  label: 'demo-hsm',
  holder,
  fingerprint: fingerprint(holder),
  at: new Date(T0 - daysBefore * DAY).toISOString(),
  by,
  ref: null,
});

function unproven(state: CeremonyState, proofs: HolderProofRecord[]) {
  return findingsFor(state, ctx(state, {proofs, proofDomain: DOMAIN})).filter(
    (f) => f.rule === 'holder-unproven',
  );
}

describe('holder-unproven', () => {
  it('is silent when every holder proved their key within 90 days', () => {
    expect(
      unproven(
        inspectState(),
        [1, 2, 3, 4, 5].map((h) => proof(h, 89)),
      ),
    ).toEqual([]);
  });

  it('names each holder proven too long ago (with how and when) or never, before the drill starts', () => {
    const proofs = [proof(1, 10), proof(2, 120, 'drill'), proof(3, 30), proof(4, 91, 'verify-all')];
    const [f] = unproven(inspectState(), proofs);
    expect(f?.severity).toBe('warning');
    expect(f?.evidence).toMatch(
      /holder 2 \(bob\) \(last proved \d{4}-\d\d-\d\d by a drill, 120 days ago\)/,
    );
    expect(f?.evidence).toMatch(
      /holder 4 \(dave\) \(last proved .* by verify --all, 91 days ago\)/,
    );
    expect(f?.evidence).toMatch(/holder 5 \(erin\) \(no proof on record\)/);
    expect(f?.evidence).not.toMatch(/holder 1|holder 3/);
    expect(f?.remedy).toMatch(/sd-drill check --sd/);
    // The Markdown report escapes < and >: inside a code span the reader would see &lt;.
    expect(f?.remedy).not.toMatch(/`[^`]*[<>][^`]*`/);
  });

  it('a proof of the same key for another domain does not count for this one', () => {
    const proofs = [1, 2, 3, 4, 5].map((h) => proof(h, 1, 'check', 'native:another'));
    expect(unproven(inspectState(), proofs)[0]?.evidence).toMatch(
      /^Keys not proven within 90 days \(the review interval\): holder 1 \(alice\), holder 2 \(bob\), .* and holder 5 \(erin\) \(no proof on record\)/,
    );
  });

  it('holders whose shares this drill proved are proven now; the others still named', () => {
    const [f] = unproven(drillState(), []);
    expect(f?.evidence).not.toMatch(/holder 1 |holder 2 |holder 3 /);
    expect(f?.evidence).toMatch(/holder 4 \(dave\) and holder 5 \(erin\) \(no proof on record\)/);
  });

  it('follows the review interval setting', () => {
    const state = inspectState();
    const proofs = [1, 2, 3, 4, 5].map((h) => proof(h, 40));
    const f = findingsFor(
      state,
      ctx(state, {proofs, proofDomain: DOMAIN, settings: {reviewDays: 30, rtoMinutes: 60}}),
    ).filter((x) => x.rule === 'holder-unproven');
    expect(f[0]?.evidence).toMatch(/within 30 days/);
  });
});
