/**
 * The native security-domain format, as properties over random quorums: any m of n holders
 * reconstruct it, m−1 never do, and nothing an attacker or a damaged disk can change in the
 * file goes unnoticed — a corrupt share, a forged share (named when it can be proven, never
 * pinned on an innocent holder), an edited header, an edited payload, an unknown field.
 */
import {constants, publicEncrypt, randomBytes, randomUUID, X509Certificate} from 'node:crypto';
import fc from 'fast-check';
import secrets from 'secrets.js-grempe';
import {beforeAll, describe, expect, it} from 'vitest';
import {ReconstructError, type OpenedShare} from '../../source/domain/format.js';
import {openDomainJson} from '../../source/domain/open.js';
import {oaepLabel, voucher} from '../../source/domain/native/crypto.js';
import {openNativeDomain, type NativeDomain} from '../../source/domain/native/reader.js';
import type {NativeDomainFile} from '../../source/domain/native/schema.js';
import {createNativeDomain} from '../../source/domain/native/writer.js';
import {buildManifest, generateContents} from '../../source/hsm/inventory.js';
import {presented, testHolders, type TestHolder} from '../helpers/keys.js';

const FILE = '/backups/security-domain.json';
const RUNS = 20;
const EMPTY_MANIFEST: NativeDomainFile['manifest'] = {keyCount: 0, keys: [], canaries: []};

let holders: TestHolder[] = [];
let manifest: NativeDomainFile['manifest'] = EMPTY_MANIFEST;
let manifestId = '';

beforeAll(async () => {
  holders = await testHolders(10);
  // A manifest with keys and canaries, so edits to it can be tried too.
  manifestId = randomUUID();
  const contents = await generateContents({name: 'prop-hsm', id: manifestId}, 6);
  manifest = buildManifest(manifestId, contents);
});

const range = (n: number): number[] => Array.from({length: n}, (_, i) => i);
const holderAt = (i: number): TestHolder => holders[i] as TestHolder;

interface Built {
  doc: NativeDomainFile;
  domain: NativeDomain;
}

function build(n: number, m: number, payload: Buffer, withManifest = false): Built {
  const json = createNativeDomain({
    hsmName: 'prop-hsm',
    required: m,
    holders: holders.slice(0, n).map((h) => ({name: h.name, certificate: h.certificate})),
    payload,
    ...(withManifest ? {manifest, id: manifestId} : {manifest: EMPTY_MANIFEST}),
  });
  const doc = JSON.parse(json) as NativeDomainFile;
  return {doc, domain: reopen(doc)};
}

/** Opens a (possibly edited) document, failing the test if the reader refuses it. */
function reopen(doc: NativeDomainFile): NativeDomain {
  const r = openNativeDomain(FILE, JSON.parse(JSON.stringify(doc)));
  if (!r.ok) throw new Error(`reader refused the document: ${r.error.message}`);
  return r.value;
}

function open(domain: NativeDomain, positions: number[], withCert?: boolean[]): OpenedShare[] {
  return positions.map((i) => {
    const r = domain.openShare(presented(holderAt(i), withCert?.[i] ?? true));
    if (!r.ok) throw new Error(`${holderAt(i).name}'s share did not open: ${r.error.message}`);
    return r.value;
  });
}

/** n in 3..10, m in 2..n. */
const quorumShape = fc
  .integer({min: 3, max: 10})
  .chain((n) => fc.record({n: fc.constant(n), m: fc.integer({min: 2, max: n})}));

describe('any m of n reconstruct; m−1 never do', () => {
  it('holds for random quorums, random holder subsets and random payloads', () => {
    const shape = quorumShape.chain(({n, m}) =>
      fc.record({
        n: fc.constant(n),
        m: fc.constant(m),
        quorum: fc.shuffledSubarray(range(n), {minLength: m, maxLength: m}),
        short: fc.shuffledSubarray(range(n), {minLength: m - 1, maxLength: m - 1}),
        withCert: fc.array(fc.boolean(), {minLength: n, maxLength: n}),
        payload: fc.uint8Array({minLength: 1, maxLength: 300}),
      }),
    );
    fc.assert(
      fc.property(shape, ({n, m, quorum, short, withCert, payload}) => {
        const input = Buffer.from(payload);
        const {domain} = build(n, m, Buffer.from(input));
        expect(domain.describe()).toMatchObject({format: 'native', required: m, total: n});

        const shares = open(domain, quorum, withCert);
        for (const [k, s] of shares.entries()) {
          const i = quorum[k] as number;
          expect(s.holder.index).toBe(i + 1);
          expect(s.holder.name).toBe(holderAt(i).name);
          expect(s.match.by).toBe(withCert[i] ? 'certificate' : 'public-key');
          expect(s.match.certMissing).toBe(!withCert[i]);
        }
        const r = domain.reconstruct(shares);
        if (!r.ok) throw new Error(`m of n did not reconstruct: ${r.error.message}`);
        expect(r.value.payload.equals(input)).toBe(true);
        expect(r.value.secret).toHaveLength(32);
        expect([...r.value.usedHolders].sort((a, b) => a - b)).toEqual(
          quorum.map((i) => i + 1).sort((a, b) => a - b),
        );
        expect(r.value.badShares).toEqual([]);
        r.value.wipe();
        expect(r.value.secret.every((x) => x === 0)).toBe(true);

        const few = domain.reconstruct(open(domain, short));
        expect(few.ok).toBe(false);
        if (!few.ok) {
          expect(few.error.reason).toBe('quorum-not-met');
          expect(few.error.kind).toBe('check');
          expect(few.error.message).toContain(`${m - 1} of ${m} required`);
        }
        // The same holder twice is one share, not two.
        if (short.length > 0) {
          const again = domain.reconstruct([...open(domain, short), ...open(domain, [short[0]!])]);
          expect(!again.ok && again.error.reason).toBe('quorum-not-met');
        }
      }),
      {numRuns: RUNS},
    );
  });
});

describe('a damaged share', () => {
  it('is detected when it is opened, naming the holder', () => {
    const shape = quorumShape.chain(({n, m}) =>
      fc.record({
        n: fc.constant(n),
        m: fc.constant(m),
        victim: fc.integer({min: 0, max: n - 1}),
        byte: fc.nat(),
        bit: fc.integer({min: 0, max: 7}),
      }),
    );
    fc.assert(
      fc.property(shape, ({n, m, victim, byte, bit}) => {
        const {doc} = build(n, m, randomBytes(64));
        const entry = doc.shares[victim]!;
        const ct = Buffer.from(entry.ciphertext, 'base64');
        ct[byte % ct.length]! ^= 1 << bit;
        entry.ciphertext = ct.toString('base64');
        const domain = reopen(doc);
        const h = holderAt(victim);
        const r = domain.openShare(presented(h));
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error.reason).toBe('share-unreadable');
          expect(r.error.kind).toBe('check');
          expect(r.error.message).toContain(`holder ${victim + 1} (${h.name})`);
          expect(r.error.message).toContain(h.keyFile);
        }
        // The other holders' shares are untouched and still open.
        const other = (victim + 1) % n;
        expect(domain.openShare(presented(holderAt(other))).ok).toBe(true);
      }),
      {numRuns: RUNS},
    );
  });

  it('a key that is not a holder, or a key with another holder’s certificate, is refused', () => {
    const {domain} = build(3, 2, randomBytes(16));
    const stranger = domain.openShare(presented(holderAt(5)));
    expect(!stranger.ok && stranger.error.reason).toBe('not-a-holder');
    expect(!stranger.ok && stranger.error.message).toContain(holderAt(5).keyFile);
    const mixed = domain.openShare({key: holderAt(0).key, certificate: holderAt(1).certificate});
    expect(!mixed.ok && mixed.error.reason).toBe('cert-key-mismatch');
  });
});

/**
 * The forger knows everything public: the file and every holder's certificate. They make a
 * fresh secrets.js share with the victim's id and encrypt it to the victim's public key under
 * the same OAEP label, so it opens with the victim's key and looks like a share. Only the
 * vouchers and the key check can catch it.
 */
function forge(doc: NativeDomainFile, position: number): void {
  const n = doc.quorum.total;
  const fake = secrets.share(randomBytes(32).toString('hex'), n, doc.quorum.required)[position]!;
  const holder = doc.holders[position]!;
  const cert = new X509Certificate(Buffer.from(holder.certificate, 'base64'));
  doc.shares[position]!.ciphertext = publicEncrypt(
    {
      key: cert.publicKey,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
      oaepLabel: oaepLabel(doc.domain.id, holder.index),
    },
    Buffer.from(fake, 'latin1'),
  ).toString('base64');
}

describe('a forged share', () => {
  const shape = quorumShape.chain(({n, m}) =>
    fc.integer({min: 0, max: n - 1}).chain((forged) =>
      fc.record({
        n: fc.constant(n),
        m: fc.constant(m),
        forged: fc.constant(forged),
        genuine: fc.shuffledSubarray(
          range(n).filter((i) => i !== forged),
          {minLength: Math.min(m, n - 1), maxLength: Math.min(m, n - 1)},
        ),
        at: fc.nat(),
      }),
    ),
  );

  it('opens like a real share, but is named when m+1 holders are present', () => {
    fc.assert(
      fc.property(
        shape.filter(({n, m}) => m < n),
        ({n, m, forged, genuine, at}) => {
          const input = randomBytes(48);
          const {doc} = build(n, m, Buffer.from(input));
          forge(doc, forged);
          const domain = reopen(doc);
          const order = [...genuine];
          order.splice(at % (order.length + 1), 0, forged);
          const shares = open(domain, order); // the forged one opens too
          const r = domain.reconstruct(shares);
          if (!r.ok) throw new Error(`m genuine shares should open the domain: ${r.error.message}`);
          expect(r.value.payload.equals(input)).toBe(true);
          expect(r.value.usedHolders).not.toContain(forged + 1);
          expect(r.value.badShares.map((b) => b.holderIndex)).toEqual([forged + 1]);
          expect(r.value.badShares[0]?.holderName).toBe(holderAt(forged).name);
          expect(r.value.badShares[0]?.reason).toContain(`(${holderAt(forged).name})`);
          r.value.wipe();
        },
      ),
      {numRuns: RUNS},
    );
  });

  it('with exactly m present it fails naming nobody: nothing authenticated says which is forged', () => {
    fc.assert(
      fc.property(shape, ({m, n, forged, genuine, at}) => {
        const {doc} = build(n, m, randomBytes(32));
        forge(doc, forged);
        const domain = reopen(doc);
        const present = genuine.slice(0, m - 1);
        const order = [...present];
        order.splice(at % (order.length + 1), 0, forged);
        const r = domain.reconstruct(open(domain, order));
        expect(r.ok).toBe(false);
        if (r.ok) return;
        const err = r.error as ReconstructError;
        expect(err.reason).toBe('reconstruct-failed');
        expect(err.kind).toBe('check');
        expect(err.badShares).toEqual([]);
        expect(err.message).toMatch(/cannot tell which/);
        expect(err.message).toMatch(/bring more holders/);
      }),
      {numRuns: RUNS},
    );
  });
});

/**
 * Someone with only the holders' certificates (and the file) rewrites any 1…n shares: new
 * values encrypted to the holders' certificates, vouchers among the forged shares made to
 * agree (the forger knows their values), vouchers from honest holders left as they were or
 * replaced with guesses. Whoever comes, no honest holder's share is ever named bad.
 */
describe('forged shares never blame an honest holder', () => {
  function forgeMany(doc: NativeDomainFile, positions: number[], guess: boolean): void {
    const n = doc.quorum.total;
    const fakes = secrets.share(randomBytes(32).toString('hex'), n, doc.quorum.required);
    const values = new Map(positions.map((p) => [p, Buffer.from(fakes[p]!, 'latin1')]));
    for (const [p, value] of values) {
      const holder = doc.holders[p]!;
      const cert = new X509Certificate(Buffer.from(holder.certificate, 'base64'));
      const entry = doc.shares[p]!;
      entry.ciphertext = publicEncrypt(
        {
          key: cert.publicKey,
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: 'sha256',
          oaepLabel: oaepLabel(doc.domain.id, holder.index),
        },
        value,
      ).toString('base64');
      entry.vouchers = entry.vouchers.map((v) => {
        const by = values.get(v.by - 1);
        if (by)
          return {
            by: v.by,
            mac: voucher(by, doc.domain.id, holder.index, value).toString('base64'),
          };
        return guess ? {by: v.by, mac: randomBytes(16).toString('base64')} : v;
      });
    }
  }

  it('holds for every shape, every set of forged shares and every set of holders present', () => {
    const shape = quorumShape.chain(({n, m}) =>
      fc.record({
        n: fc.constant(n),
        m: fc.constant(m),
        forged: fc.subarray(range(n), {minLength: 1, maxLength: n}),
        present: fc.subarray(range(n), {minLength: 2, maxLength: n}),
        guess: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(shape, ({n, m, forged, present, guess}) => {
        const {doc} = build(n, m, randomBytes(32));
        forgeMany(doc, forged, guess);
        const domain = reopen(doc);
        const r = domain.reconstruct(open(domain, present));
        const named = r.ok ? r.value.badShares : ((r.error as ReconstructError).badShares ?? []);
        for (const b of named) expect(forged).toContain(b.holderIndex - 1);
        const honest = present.filter((i) => !forged.includes(i));
        if (r.ok) {
          // It opened, so m honest shares were there: every forged share present is named.
          expect(honest.length).toBeGreaterThanOrEqual(m);
          const forgedPresent = present.filter((i) => forged.includes(i)).map((i) => i + 1);
          expect(named.map((b) => b.holderIndex).sort()).toEqual(forgedPresent.sort());
          r.value.wipe();
        } else if (honest.length < m) {
          expect(named).toEqual([]);
        }
      }),
      {numRuns: 60},
    );
  });
});

type HeaderEdit =
  | 'required'
  | 'holder-name'
  | 'hsm-name'
  | 'created'
  | 'manifest-digest'
  | 'canary'
  | 'key-check'
  | 'domain-id'
  | 'report-key'
  | 'generation';

/** Edits to the authenticated header: each must stop the domain from opening. */
function editHeader(doc: NativeDomainFile, edit: HeaderEdit, k: number): void {
  const n = doc.quorum.total;
  switch (edit) {
    case 'required': {
      const others = range(n + 1).filter((v) => v >= 2 && v !== doc.quorum.required);
      doc.quorum.required = others[k % others.length]!;
      break;
    }
    case 'holder-name':
      doc.holders[k % n]!.name = 'mallory';
      break;
    case 'hsm-name':
      doc.domain.hsmName = `${doc.domain.hsmName}-2`;
      break;
    case 'created':
      doc.domain.created = new Date(Date.parse(doc.domain.created) - 86_400_000).toISOString();
      break;
    case 'manifest-digest': {
      const key = doc.manifest.keys[k % doc.manifest.keys.length]!;
      key.digest = (key.digest[0] === '0' ? '1' : '0') + key.digest.slice(1);
      break;
    }
    case 'canary': {
      const c = doc.manifest.canaries[k % doc.manifest.canaries.length]!;
      c.plaintextSha256 = (c.plaintextSha256[0] === '0' ? '1' : '0') + c.plaintextSha256.slice(1);
      break;
    }
    case 'key-check':
      doc.keyCheck = randomBytes(32).toString('base64');
      break;
    case 'domain-id':
      doc.domain.id = randomUUID();
      break;
    case 'report-key':
      // The pinned report key is part of the authenticated header: a swapped pin fails too.
      doc.domain.reportKey = randomBytes(32).toString('base64');
      break;
    case 'generation':
      doc.domain.generation = (doc.domain.generation ?? 1) + 1;
      break;
  }
}

describe('an edited header', () => {
  it('stops the domain from opening, whatever was changed', () => {
    const edits: HeaderEdit[] = [
      'required',
      'holder-name',
      'hsm-name',
      'created',
      'manifest-digest',
      'canary',
      'key-check',
      'domain-id',
      'report-key',
      'generation',
    ];
    const shape = quorumShape.chain(({n, m}) =>
      fc.record({
        n: fc.constant(n),
        m: fc.constant(m),
        edit: fc.constantFrom(...edits),
        k: fc.nat(),
      }),
    );
    fc.assert(
      fc.property(shape, ({n, m, edit, k}) => {
        const {doc} = build(n, m, randomBytes(40), true);
        editHeader(doc, edit, k);
        const domain = reopen(doc);
        const opened = range(n).map((i) => domain.openShare(presented(holderAt(i))));
        if (edit === 'domain-id') {
          // The shares are bound to the domain id by their OAEP label.
          for (const o of opened) expect(!o.ok && o.error.reason).toBe('share-unreadable');
          return;
        }
        const shares = opened.map((o) => {
          if (!o.ok) throw new Error(o.error.message);
          return o.value;
        });
        const r = domain.reconstruct(shares);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error.kind).toBe('check');
          expect(r.error.reason).toBe('header-tampered');
          expect(r.error.message).toContain(FILE);
        }
      }),
      {numRuns: RUNS},
    );
  });

  it('a holder’s certificate or key size swapped in the file is refused when it is read', () => {
    for (const edit of ['certificate', 'bits'] as const) {
      const {doc} = build(4, 2, randomBytes(16));
      if (edit === 'certificate') doc.holders[1]!.certificate = doc.holders[2]!.certificate;
      else doc.holders[1]!.bits = 4096;
      const r = openNativeDomain(FILE, JSON.parse(JSON.stringify(doc)));
      expect(r.ok, edit).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe('input');
        expect(r.error.message).toContain('holders[1]');
      }
    }
  });
});

describe('an edited payload', () => {
  it('is reported as payload-tampered, never decrypted', () => {
    const shape = quorumShape.chain(({n, m}) =>
      fc.record({
        n: fc.constant(n),
        m: fc.constant(m),
        field: fc.constantFrom('ciphertext', 'iv', 'tag', 'append', 'truncate'),
        byte: fc.nat(),
        bit: fc.integer({min: 0, max: 7}),
      }),
    );
    fc.assert(
      fc.property(shape, ({n, m, field, byte, bit}) => {
        const {doc} = build(n, m, randomBytes(100));
        const p = doc.payload;
        const flip = (b64: string): string => {
          const b = Buffer.from(b64, 'base64');
          b[byte % b.length]! ^= 1 << bit;
          return b.toString('base64');
        };
        const ct = Buffer.from(p.ciphertext, 'base64');
        if (field === 'ciphertext') p.ciphertext = flip(p.ciphertext);
        if (field === 'iv') p.iv = flip(p.iv);
        if (field === 'tag') p.tag = flip(p.tag);
        if (field === 'append')
          p.ciphertext = Buffer.concat([ct, Buffer.from([byte & 0xff])]).toString('base64');
        if (field === 'truncate') p.ciphertext = ct.subarray(0, ct.length - 1).toString('base64');
        const domain = reopen(doc);
        const r = domain.reconstruct(open(domain, range(m)));
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error.reason).toBe('payload-tampered');
          expect(r.error.kind).toBe('check');
        }
      }),
      {numRuns: RUNS},
    );
  });
});

/** Paths (as keys) to every JSON object in a document, the root included. */
function objectPaths(
  value: unknown,
  path: Array<string | number> = [],
): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => objectPaths(v, [...path, i]));
  return [
    path,
    ...Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      objectPaths(v, [...path, k]),
    ),
  ];
}

function at(doc: unknown, path: Array<string | number>): Record<string, unknown> {
  let v = doc as Record<string | number, unknown>;
  for (const p of path) v = v[p] as Record<string | number, unknown>;
  return v as Record<string, unknown>;
}

describe('an unknown field', () => {
  it('anywhere in the file is refused as malformed input (exit 2), naming where', () => {
    const {doc} = build(4, 3, randomBytes(20), true);
    const paths = objectPaths(doc);
    // Every kind of object in the format is reachable.
    const shapes = new Set(paths.map((p) => p.filter((s) => typeof s === 'string').join('.')));
    for (const s of [
      '',
      'domain',
      'quorum',
      'holders',
      'shares',
      'shares.vouchers',
      'payload',
      'manifest',
      'manifest.keys',
      'manifest.canaries',
    ])
      expect(shapes).toContain(s);
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,11}$/),
        fc.jsonValue(),
        (path, key, value) => {
          const edited = JSON.parse(JSON.stringify(doc)) as unknown;
          const target = at(edited, path);
          fc.pre(!(key in target));
          target[key] = value;
          const r = openDomainJson(FILE, edited);
          expect(r.ok).toBe(false);
          if (r.ok) return;
          expect(r.error.kind).toBe('input');
          expect(r.error.exitCode).toBe(2);
          expect(r.error.message).toContain(FILE);
          expect(r.error.message).toContain(key);
        },
      ),
      {numRuns: 40},
    );
  });
});
