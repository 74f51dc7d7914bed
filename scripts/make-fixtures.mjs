// Regenerates fixtures/: the demo domain with its holders' sticks, the bad inputs the tests
// use, and the tests' own keys (test copies of the demo sticks, pre-made key pairs). Run with
// `npm run fixtures`; the output is committed. `--test-keys` redoes only the tests' own keys,
// from the demo as committed.
import {execFileSync} from 'node:child_process';
import {createPrivateKey, generateKeyPairSync} from 'node:crypto';
import {copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const fx = join(root, 'fixtures');
const cli = (...args) =>
  execFileSync(process.execPath, [join(root, 'dist/sd-drill.js'), ...args], {stdio: 'inherit'});
const ossl = (...args) => execFileSync('openssl', args, {stdio: ['ignore', 'ignore', 'inherit']});

const holders = ['alice', 'bob', 'carol', 'dave', 'erin'];
const passphrases = holders.map((h) => `${h}-practice-only`);

/**
 * The tests' own keys. `test-sticks/`: the demo sticks with each holder's same key pair,
 * re-encrypted by Node's own PKCS#8 export (PBES2, PBKDF2-HMAC-SHA256 at 2,048 iterations,
 * AES-256-CBC) instead of sd-drill's 600,000 iterations: the app reads the count from the
 * file, and the tests that open these keys hundreds of times then spend milliseconds, not a
 * quarter-second each. `test-keys/`: ten plain RSA-2048 key pairs for tests that need some
 * holders' keys but not ones sd-drill made (generating them cost seconds per test file).
 * The demo that `npm start` runs, and every key sd-drill writes, keep full strength.
 */
function makeTestKeys() {
  const sticks = join(fx, 'test-sticks');
  rmSync(sticks, {recursive: true, force: true});
  for (const [i, h] of holders.entries()) {
    const from = join(fx, 'demo', 'sticks', h);
    mkdirSync(join(sticks, h), {recursive: true});
    const passphrase = passphrases[i];
    const key = createPrivateKey({key: readFileSync(join(from, `${h}.key`)), passphrase});
    const pem = key.export({type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase});
    writeFileSync(join(sticks, h, `${h}.key`), pem, {mode: 0o600});
    copyFileSync(join(from, `${h}.cer`), join(sticks, h, `${h}.cer`));
  }
  const pairs = join(fx, 'test-keys');
  rmSync(pairs, {recursive: true, force: true});
  mkdirSync(pairs);
  for (let i = 1; i <= 10; i++) {
    const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
    writeFileSync(
      join(pairs, `rsa-2048-${String(i).padStart(2, '0')}.pem`),
      privateKey.export({type: 'pkcs8', format: 'pem'}),
    );
  }
  console.log(`test keys written: ${readdirSync(sticks).length} test sticks, 10 key pairs`);
}

if (process.argv.includes('--test-keys')) {
  makeTestKeys();
  process.exit(0);
}

rmSync(join(fx, 'demo'), {recursive: true, force: true});
mkdirSync(join(fx, 'demo'), {recursive: true});
writeFileSync(join(fx, 'demo', 'passphrases.txt'), `${passphrases.join('\n')}\n`);
cli(
  'init',
  '--out',
  join(fx, 'demo'),
  '--name',
  'demo-hsm',
  '--holders',
  '5',
  '--quorum',
  '3',
  '--holder-names',
  holders.join(','),
  '--key-bits',
  '2048',
  '--keys',
  '25',
  '--passphrase-file',
  join(fx, 'demo', 'passphrases.txt'),
);

// Bad inputs: each one a thing that arrives on sticks or by mail in real life.
const bad = join(fx, 'bad');
rmSync(bad, {recursive: true, force: true});
mkdirSync(bad, {recursive: true});
const sd = readFileSync(join(fx, 'demo', 'security-domain.json'));
writeFileSync(join(bad, 'truncated-sd.json'), sd.subarray(0, Math.floor(sd.length / 2)));
writeFileSync(join(bad, 'empty-sd.json'), '');
writeFileSync(join(bad, 'array-sd.json'), '[1,2,3]\n');
writeFileSync(join(bad, 'other-shape-sd.json'), '{"hello":"world"}\n');
writeFileSync(join(bad, 'binary-sd.json'), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42, 0x00, 0x99]));
const doc = JSON.parse(sd.toString());
doc.quorum.required = 'three';
writeFileSync(join(bad, 'wrong-type-sd.json'), JSON.stringify(doc));
const tampered = JSON.parse(sd.toString());
const ct = Buffer.from(tampered.payload.ciphertext, 'base64');
ct[10] ^= 0x01;
tampered.payload.ciphertext = ct.toString('base64');
writeFileSync(join(bad, 'tampered-payload-sd.json'), JSON.stringify(tampered));
ossl('genrsa', '-out', join(bad, 'rsa-1024.key'), '1024');
ossl('ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', join(bad, 'ec-p256.key'));
ossl('genrsa', '-out', join(bad, 'stranger.key'), '2048');
copyFileSync(join(fx, 'demo', 'sticks', 'alice', 'alice.cer'), join(bad, 'certificate-as-key.key'));
writeFileSync(join(bad, 'not-a-key.key'), 'these are not the droids you are looking for\n');
makeTestKeys();
console.log('fixtures written');
