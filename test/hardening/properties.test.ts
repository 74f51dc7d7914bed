/**
 * Property tests (fast-check, bounded): the parsers that meet hostile input — both security-
 * domain formats, the key loader, the plan parser, the exchange key and the restore blob —
 * never throw on any input. They answer with a Result whose error is an SdError carrying one
 * short printable line; a domain that does open can be described and tried with real keys
 * without throwing either.
 */
import {createPrivateKey} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {clip, preview, printable, SdError, type Result} from '../../source/errors.js';
import {parseExchangeKey} from '../../source/domain/azure/exchange-key.js';
import {parseRestoreBlob} from '../../source/domain/azure/restore-blob.js';
import {
  parseCertificate,
  parsePrivateKey,
  sniff,
  type LoadedKey,
} from '../../source/domain/key-file.js';
import {openDomainFile, openDomainJson, type OpenedDomain} from '../../source/domain/open.js';
import {readPlan} from '../../source/drill/plan.js';
import {wipe} from '../../source/secret.js';
import type {OpenedShare, ReconstructedDomain} from '../../source/domain/format.js';
import {AZURE_PASSPHRASE, azureDir, azureSd, demoKey, demoPassphrase, demoSd, tmp} from './kit.js';

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Calls `fn`; a throw fails the property with what was thrown (never caught as a pass). */
function answer<T>(fn: () => Result<T>): Result<T> {
  let r: Result<T>;
  try {
    r = fn();
  } catch (error) {
    throw new Error(`threw instead of answering: ${String(error)}`.slice(0, 500));
  }
  if (!r.ok) {
    expect(r.error).toBeInstanceOf(SdError);
    expect(['input', 'check', 'usage']).toContain(r.error.kind);
    expect(UNPRINTABLE.test(r.error.message), r.error.message).toBe(false);
    expect(r.error.message.length, r.error.message.slice(0, 300)).toBeLessThan(1000);
  }
  return r;
}

const nativeDoc = JSON.parse(readFileSync(demoSd, 'utf8')) as unknown;
const azureDoc = JSON.parse(readFileSync(azureSd, 'utf8')) as unknown;
const NUM = {numRuns: 150};
const FEW = {numRuns: 40};

// Edits reach deep into documents of two shapes; a loose type keeps each edit short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

type Path = Array<string | number>;

/** Paths to values inside a JSON document (the root excluded), at most 64 levels down. */
function pathsOf(value: unknown): Path[] {
  const paths: Path[] = [];
  const stack: Array<[unknown, Path]> = [[value, []]];
  while (stack.length > 0) {
    const [v, at] = stack.pop() as [unknown, Path];
    if (at.length >= 64 || !v || typeof v !== 'object') continue;
    const entries: Array<[string | number, unknown]> = Array.isArray(v)
      ? v.map((x, i) => [i, x])
      : Object.entries(v);
    for (const [k, child] of entries) {
      paths.push([...at, k]);
      stack.push([child, [...at, k]]);
    }
  }
  return paths;
}

interface Mutation {
  path: number;
  op: 'set' | 'delete' | 'duplicate' | 'deepen';
  value: unknown;
  depth: number;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.nat(),
  op: fc.constantFrom('set', 'delete', 'duplicate', 'deepen'),
  value: fc.jsonValue({maxDepth: 3}),
  depth: fc.integer({min: 1, max: 20_000}),
});

/** Applies mutations to a deep copy: replace, remove, repeat (arrays) or bury a value. */
function mutate(doc: unknown, mutations: Mutation[]): unknown {
  const copy = structuredClone(doc);
  for (const m of mutations) {
    const paths = pathsOf(copy);
    const path = paths[m.path % paths.length];
    if (!path) continue;
    let parent = copy as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const last = path[path.length - 1] as string | number;
    if (m.op === 'set') parent[last] = m.value;
    else if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
    } else if (m.op === 'duplicate' && Array.isArray(parent)) {
      parent.splice(last as number, 0, parent[last]);
    } else {
      let v: unknown = parent[last];
      for (let i = 0; i < m.depth; i++) v = [v];
      parent[last] = v;
    }
  }
  return copy;
}

let keys: {native: LoadedKey[]; azure: LoadedKey[]} = {native: [], azure: []};

function loadKey(file: string, passphrase?: string): LoadedKey {
  const r = parsePrivateKey(
    file,
    readFileSync(file),
    passphrase === undefined ? undefined : Buffer.from(passphrase),
  );
  if (!r.ok) throw r.error;
  return r.value;
}

/** A domain that opened is described, and real keys are tried on it: nothing may throw. */
function exercise(opened: OpenedDomain): void {
  const domain = opened.domain;
  domain.describe();
  const shares: OpenedShare[] = [];
  for (const key of opened.format === 'native' ? keys.native : keys.azure) {
    const share = answer(() => domain.openShare({key}));
    if (share.ok) shares.push(share.value);
  }
  const rec = answer<ReconstructedDomain>(() => domain.reconstruct(shares));
  if (rec.ok) rec.value.wipe();
  for (const s of shares) wipe(s.secret);
}

beforeAll(() => {
  keys = {
    native: ['alice', 'bob', 'carol'].map((h) => loadKey(demoKey(h), demoPassphrase(h))),
    azure: [
      loadKey(join(azureDir, 'holders', 'holder1.pem')),
      loadKey(join(azureDir, 'holders', 'holder2.pem'), AZURE_PASSPHRASE),
    ],
  };
});

describe('the security-domain parsers answer every input with a Result', () => {
  it('any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({maxDepth: 6}), (json) => {
        answer(() => openDomainJson('sd.json', json));
      }),
      NUM,
    );
  });

  it('objects that look like either format at the top', () => {
    const looksLike = fc.oneof(
      fc.record({
        format: fc.constant('sd-drill.security-domain'),
        version: fc.jsonValue(),
        domain: fc.jsonValue(),
        quorum: fc.jsonValue(),
        holders: fc.jsonValue(),
        shares: fc.jsonValue(),
      }),
      fc.record({
        EncData: fc.dictionary(fc.string(), fc.jsonValue()),
        SharedKeys: fc.dictionary(
          fc.constantFrom('enc_shares', 'required', 'key_algorithm', 'x'),
          fc.jsonValue(),
        ),
        version: fc.jsonValue(),
      }),
    );
    fc.assert(
      fc.property(looksLike, (json) => {
        const r = answer(() => openDomainJson('sd.json', json));
        if (r.ok) exercise(r.value);
      }),
      NUM,
    );
  });

  for (const [format, doc] of [
    ['native', nativeDoc],
    ['azure', azureDoc],
  ] as const) {
    it(`the real ${format} file with fields replaced, removed, repeated or buried deep; then tried with real keys`, () => {
      fc.assert(
        fc.property(fc.array(mutation, {minLength: 1, maxLength: 3}), (mutations) => {
          const mutated = mutate(doc, mutations);
          const r = answer(() => openDomainJson('sd.json', mutated));
          if (r.ok) exercise(r.value);
        }),
        format === 'native' ? FEW : NUM,
      );
    });

    it(`the real ${format} file's bytes cut, flipped or spliced, read from disk`, () => {
      const text = Buffer.from(JSON.stringify(doc));
      const dir = tmp(`bytes-${format}`);
      let n = 0;
      const edit = fc.record({
        at: fc.nat(),
        kind: fc.constantFrom('cut', 'flip', 'insert', 'repeat'),
        bytes: fc.uint8Array({minLength: 1, maxLength: 16}),
      });
      fc.assert(
        fc.property(fc.array(edit, {minLength: 1, maxLength: 4}), (edits) => {
          let b = Buffer.from(text);
          for (const e of edits) {
            const at = e.at % b.length;
            if (e.kind === 'cut') b = b.subarray(0, at);
            else if (e.kind === 'flip') b[at] = (b[at] ?? 0) ^ (e.bytes[0] ?? 1);
            else if (e.kind === 'insert')
              b = Buffer.concat([b.subarray(0, at), Buffer.from(e.bytes), b.subarray(at)]);
            else b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + 400), b.subarray(at)]);
            if (b.length === 0) break;
          }
          const file = join(dir, `sd-${++n}.json`);
          writeFileSync(file, b);
          const r = answer(() => openDomainFile(file));
          if (r.ok) exercise(r.value);
        }),
        FEW,
      );
    });
  }

  it('the real files with their ciphertexts, tags, IVs and MACs replaced: opened and tried with real keys', () => {
    const nativeFields = (d: Record<string, Loose>): Array<[Record<string, unknown>, string]> => [
      ...d.shares.map((s: Record<string, unknown>) => [s, 'ciphertext']),
      ...d.shares.flatMap((s: {vouchers: Array<Record<string, unknown>>}) =>
        s.vouchers.map((v) => [v, 'mac']),
      ),
      [d.payload, 'ciphertext'],
      [d.payload, 'iv'],
      [d.payload, 'tag'],
      [d, 'keyCheck'],
    ];
    const segment = fc.record({
      which: fc.nat(),
      part: fc.integer({min: 1, max: 4}),
      bytes: fc.uint8Array({maxLength: 600}),
    });
    let opened = 0;
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(segment, {minLength: 1, maxLength: 3}),
        (native, edits) => {
          const doc = structuredClone(native ? nativeDoc : azureDoc) as Record<string, Loose>;
          for (const e of edits) {
            if (native) {
              const fields = nativeFields(doc);
              const [holder, field] = fields[e.which % fields.length] as [
                Record<string, unknown>,
                string,
              ];
              holder[field] = Buffer.from(e.bytes).toString('base64');
            } else {
              const jwes: Array<[Record<string, string>, string]> = [
                ...doc.SharedKeys.enc_shares.map((s: Record<string, string>) => [s, 'enc_key']),
                ...doc.EncData.data.map((d: Record<string, string>) => [d, 'compact_jwe']),
              ];
              const [holder, field] = jwes[e.which % jwes.length] as [
                Record<string, string>,
                string,
              ];
              const parts = (holder[field] ?? '').split('.');
              parts[e.part] = Buffer.from(e.bytes).toString('base64url');
              holder[field] = parts.join('.');
            }
          }
          const r = answer(() => openDomainJson('sd.json', doc));
          if (r.ok) {
            opened++;
            exercise(r.value);
          }
        },
      ),
      FEW,
    );
    // Most damaged files still open: their failures come from the keys and the checks.
    expect(opened).toBeGreaterThan(10);
  });

  it('values nested up to 100,000 deep anywhere', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 100_000}),
        fc.boolean(),
        fc.nat(),
        (depth, objects, where) => {
          let v: unknown = 'x';
          for (let i = 0; i < depth; i++) v = objects ? {a: v} : [v];
          for (const doc of [nativeDoc, azureDoc]) {
            const paths = pathsOf(doc);
            const path = paths[where % paths.length] as Path;
            const copy = structuredClone(doc) as Record<string | number, unknown>;
            let parent = copy;
            for (const k of path.slice(0, -1))
              parent = parent[k] as Record<string | number, unknown>;
            parent[path[path.length - 1] as string | number] = v;
            answer(() => openDomainJson('sd.json', copy));
          }
          answer(() => openDomainJson('sd.json', v));
        },
      ),
      {numRuns: 30},
    );
  });
});

const nativeKeyPem = readFileSync(demoKey('alice'));
const plainKey = createPrivateKey({key: nativeKeyPem, passphrase: demoPassphrase('alice')});
const certPem = readFileSync(join(azureDir, 'holders', 'holder1.cer'));

/** Random edits to bytes: flips, cuts and insertions. */
const byteEdits = fc.array(
  fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('cut', 'flip', 'insert'),
    byte: fc.integer({min: 0, max: 255}),
  }),
  {minLength: 1, maxLength: 5},
);
function editBytes(input: Buffer, edits: Array<{at: number; kind: string; byte: number}>): Buffer {
  let b = Buffer.from(input);
  for (const e of edits) {
    if (b.length === 0) break;
    const at = e.at % b.length;
    if (e.kind === 'cut') b = b.subarray(0, at);
    else if (e.kind === 'flip') b[at] = e.byte;
    else b = Buffer.concat([b.subarray(0, at), Buffer.from([e.byte]), b.subarray(at)]);
  }
  return b;
}

function loaders(file: string, bytes: Buffer, passphrase?: Buffer): void {
  sniff(bytes);
  answer(() => parsePrivateKey(file, bytes, passphrase));
  answer(() => parseCertificate(file, bytes));
  answer(() => parseExchangeKey(file, bytes));
}

describe('the key loader answers every input with a Result', () => {
  it('arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 4096}), (bytes) =>
        loaders('k.key', Buffer.from(bytes)),
      ),
      NUM,
    );
  });

  it('PEM armour around anything, with or without a passphrase', () => {
    const label = fc.constantFrom(
      'PRIVATE KEY',
      'ENCRYPTED PRIVATE KEY',
      'RSA PRIVATE KEY',
      'EC PRIVATE KEY',
      'OPENSSH PRIVATE KEY',
      'CERTIFICATE',
      'PUBLIC KEY',
      'X509 CERTIFICATE',
    );
    const pem = fc.record({
      label,
      headers: fc.constantFrom(
        '',
        'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n',
      ),
      body: fc.uint8Array({maxLength: 1500}),
      crlf: fc.boolean(),
      bom: fc.boolean(),
      passphrase: fc.option(fc.uint8Array({minLength: 1, maxLength: 32})),
    });
    fc.assert(
      fc.property(pem, (p) => {
        let text = `-----BEGIN ${p.label}-----\n${p.headers}${Buffer.from(p.body)
          .toString('base64')
          .replace(/(.{64})/g, '$1\n')}\n-----END ${p.label}-----\n`;
        if (p.crlf) text = text.replace(/\n/g, '\r\n');
        if (p.bom) text = `\ufeff${text}`;
        loaders('k.pem', Buffer.from(text), p.passphrase ? Buffer.from(p.passphrase) : undefined);
      }),
      NUM,
    );
  });

  const real: Array<[string, Buffer, Buffer | undefined]> = [
    ['an encrypted PKCS#8 PEM key', nativeKeyPem, Buffer.from(demoPassphrase('alice'))],
    ['a PKCS#8 DER key', plainKey.export({type: 'pkcs8', format: 'der'}), undefined],
    ['a PKCS#1 PEM key', Buffer.from(plainKey.export({type: 'pkcs1', format: 'pem'})), undefined],
    ['a PEM certificate', certPem, undefined],
  ];
  it.each(real)('%s, damaged', (_what, original, passphrase) => {
    fc.assert(
      fc.property(byteEdits, (edits) => loaders('k', editBytes(original, edits), passphrase)),
      passphrase ? FEW : NUM,
    );
  });
});

describe('the plan parser answers every input with a Result', () => {
  const dir = tmp('plans');
  let n = 0;
  const plan = (content: string | Buffer): Result<unknown> => {
    const file = join(dir, `plan-${++n}.json`);
    writeFileSync(file, content);
    return answer(() => readPlan(file));
  };

  it('any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({maxDepth: 5}), (json) => {
        plan(JSON.stringify(json) ?? 'null');
      }),
      NUM,
    );
  });

  it('plan-shaped objects with any values, and paths that exist or not', () => {
    writeFileSync(join(dir, 'exists.json'), '{}');
    const path = fc.oneof(
      fc.constantFrom('exists.json', 'missing.json', '/', dir, '../../etc/passwd'),
      fc.string(),
    );
    const value = fc.oneof(path, fc.jsonValue({maxDepth: 2}));
    const shaped = fc.record(
      {
        domain: value,
        mode: fc.oneof(fc.constantFrom('rehearsal', 'restore', 'onboarding'), fc.jsonValue()),
        scenario: fc.oneof(
          fc.constantFrom('destroyed', 'purged', 'archived-and-deleted'),
          fc.jsonValue(),
        ),
        participants: fc.oneof(
          fc.array(
            fc.record(
              {custodian: fc.string(), role: fc.string(), key: path, passphraseFile: path},
              {requiredKeys: ['custodian', 'role', 'key']},
            ),
            {maxLength: 25},
          ),
          fc.jsonValue(),
        ),
        absent: fc.oneof(fc.array(fc.integer({min: -5, max: 15})), fc.jsonValue()),
        reportDir: value,
      },
      {requiredKeys: []},
    );
    fc.assert(
      fc.property(shaped, (p) => void plan(JSON.stringify(p))),
      NUM,
    );
  });

  it('bytes that are not JSON', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 2048}), (b) => void plan(Buffer.from(b))),
      NUM,
    );
  });
});

describe('the restore blob reader and the message helpers', () => {
  it('parseRestoreBlob answers any JSON value or bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({maxDepth: 5}).map((j) => JSON.stringify(j) ?? 'null'),
          fc.string(),
        ),
        (text) => {
          answer(() => parseRestoreBlob('blob.json', text));
        },
      ),
      NUM,
    );
  });

  it('printable, preview and clip give one short printable line for anything', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({unit: 'binary'}), fc.jsonValue()), (v) => {
        const text = typeof v === 'string' ? v : String(JSON.stringify(v));
        const shown = [preview(v), clip(text), printable(text)];
        for (const s of shown) expect(UNPRINTABLE.test(s), s).toBe(false);
        // A quoted string of 40 characters, each at worst a 6-character escape, and an ellipsis.
        expect(preview(v).length).toBeLessThanOrEqual(40 * 6 + 3);
        expect(clip(text).length).toBeLessThanOrEqual(201);
      }),
      NUM,
    );
  });
});
