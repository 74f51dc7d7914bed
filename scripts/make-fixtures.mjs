// Regenerates fixtures/: the demo domain with its holders' sticks, and the bad inputs the
// tests use. Run with `npm run fixtures`; the output is committed.
import {execFileSync} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync} from 'node:fs';
import {join} from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const fx = join(root, 'fixtures');
const cli = (...args) =>
  execFileSync(process.execPath, [join(root, 'dist/sd-drill.js'), ...args], {stdio: 'inherit'});
const ossl = (...args) => execFileSync('openssl', args, {stdio: ['ignore', 'ignore', 'inherit']});

const holders = ['alice', 'bob', 'carol', 'dave', 'erin'];
const passphrases = holders.map((h) => `${h}-practice-only`);

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
console.log('fixtures written');
