import {describe, expect, it} from 'vitest';
import {
  checkPin,
  holderSetDigest,
  identityOf,
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

  it('another file with the same holders is the same domain (a substitute) until shown otherwise', () => {
    const pins = withPin([], azure(fp('1'), [fp('a'), fp('b')]), K1, AT, 'drill x', 'first-use');
    const substitute = checkPin(azure(fp('2'), [fp('b'), fp('a')]), K2, pins);
    expect(substitute.ok).toBe(false);
    if (!substitute.ok) expect(substitute.message).toMatch(/the same holders' certificates/);
    // A rotated copy (new file, new holders) with the same key joins the same record.
    const rotated = azure(fp('3'), [fp('c'), fp('d')]);
    const after = withPin(pins, rotated, K1, AT, 'rotation', 'rotation');
    expect(after).toHaveLength(1);
    expect(after[0]?.fileSha256s).toEqual([fp('1'), fp('3')]);
    expect(checkPin(rotated, K1, after)).toMatchObject({ok: true, pinnedBy: 'store'});
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
