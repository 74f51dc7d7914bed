import {describe, expect, it} from 'vitest';
import {
  checkPin,
  holderSetDigest,
  identityOf,
  lookalikes,
  rotationPinCheck,
  withPin,
  type DomainIdentity,
} from '../../source/store/pins.js';

const K1 = 'A'.repeat(43) + '=';
const K2 = 'B'.repeat(43) + '=';
const fp = (c: string) => c.repeat(64);
const AT = '2026-01-01T00:00:00.000Z';

function azure(file: string, holders: string[]): DomainIdentity {
  return identityOf({
    format: 'azure',
    file: 'sd.json',
    sha256: file,
    holders: holders.map((certFingerprint) => ({certFingerprint})),
  });
}

describe('pinned domain keys', () => {
  it('a holder set is the same whatever order the file lists the holders in', () => {
    expect(holderSetDigest([fp('a'), fp('b')])).toBe(holderSetDigest([fp('b'), fp('a')]));
    expect(holderSetDigest([fp('a'), fp('b')])).not.toBe(holderSetDigest([fp('a'), fp('c')]));
  });

  it('an Azure file is first use until a passing drill pins it; then only its key passes', () => {
    const id = azure(fp('1'), [fp('a'), fp('b'), fp('c')]);
    expect(checkPin(id, K1, [])).toEqual({ok: true, pinnedBy: 'first-use', records: []});
    const pins = withPin([], id, K1, AT, 'drill x', 'first-use');
    expect(checkPin(id, K1, pins)).toMatchObject({ok: true, pinnedBy: 'store'});
    const other = checkPin(id, K2, pins);
    expect(other).toMatchObject({ok: false, source: 'store', expected: K1});
    if (!other.ok)
      expect(other.message).toMatch(/^this is not the domain on record: the same file/);
  });

  it('holders alone name no domain: another file wrapped to the same certificates is another domain, said, not refused', () => {
    const pins = withPin([], azure(fp('1'), [fp('a'), fp('b')]), K1, AT, 'drill x', 'first-use');
    const other = azure(fp('2'), [fp('b'), fp('a')]);
    // Two HSMs may share their wrapping keys: first use of the second, not a mismatch …
    expect(checkPin(other, K2, pins)).toEqual({ok: true, pinnedBy: 'first-use', records: []});
    // … and before it is pinned, the likeness is said.
    expect(lookalikes(pins, other, K2)).toEqual([{pin: pins[0], by: 'holders'}]);
    // A rotated copy (new file, new holders) with the same key joins the same record.
    const rotated = azure(fp('3'), [fp('c'), fp('d')]);
    const after = withPin(pins, rotated, K1, AT, 'rotation', 'rotation');
    expect(after).toHaveLength(1);
    expect(after[0]?.fileSha256s).toEqual([fp('1'), fp('3')]);
    expect(checkPin(rotated, K1, after)).toMatchObject({ok: true, pinnedBy: 'store'});
  });

  it('an Azure domain is its EncData: a re-saved or rotated file is found by it, under its key only', () => {
    const withEnc = (file: string, holders: string[]): DomainIdentity => ({
      ...azure(file, holders),
      encDataSha256: fp('e'),
    });
    const pins = withPin([], withEnc(fp('1'), [fp('a'), fp('b')]), K1, AT, 'drill x', 'first-use');
    // A rotation's new file: new digest, new holders, the same EncData.
    const rotated = withEnc(fp('2'), [fp('c'), fp('d')]);
    expect(checkPin(rotated, K1, pins)).toMatchObject({ok: true, pinnedBy: 'store'});
    const forged = checkPin(rotated, K2, pins);
    expect(forged).toMatchObject({ok: false, source: 'store', expected: K1});
    if (!forged.ok) expect(forged.message).toMatch(/the same EncData/);
  });

  it('rotating to holders another domain uses leaves that domain’s record alone (issue 21, 4)', () => {
    const demo = withPin(
      [],
      azure(fp('9'), [fp('a'), fp('b'), fp('c')]),
      K2,
      AT,
      'drill d',
      'header',
    );
    const mine = {...azure(fp('1'), [fp('x'), fp('y')]), encDataSha256: fp('e')};
    const pins = withPin(demo, mine, K1, AT, 'drill m', 'first-use');
    const next = {
      ...mine,
      fileSha256: null,
      holderSet: azure(fp('0'), [fp('a'), fp('b'), fp('c')]).holderSet,
    };
    const r = rotationPinCheck(next, K1, pins);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.notes.join(' ')).toMatch(/also wrap "sd.json" \(another domain/);
    // The demo domain still checks as before under its own key.
    expect(checkPin(azure(fp('9'), [fp('a'), fp('b'), fp('c')]), K2, pins)).toMatchObject({
      ok: true,
    });
    // A new file some record knows under another key is refused before it is written.
    const clash = rotationPinCheck(
      {...next, encDataSha256: null, domainId: null, fileSha256: fp('9')},
      K1,
      pins,
    );
    expect(clash.ok).toBe(false);
  });

  it('a native header key must be the derived key, whatever the store says', () => {
    const id: DomainIdentity = {
      ...azure(fp('1'), [fp('a')]),
      format: 'native',
      headerKey: K1,
      domainId: 'd-1',
    };
    expect(checkPin(id, K1, [])).toMatchObject({ok: true, pinnedBy: 'header'});
    const bad = checkPin(id, K2, []);
    expect(bad).toMatchObject({ok: false, source: 'header', expected: K1});
  });
});
