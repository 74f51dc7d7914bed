/**
 * Writes fixtures/azure/: a 2-of-3 Azure-format security domain made by our writer, its
 * holders' keys (holder 2's encrypted, holder 3's certificate kept apart so it must be found
 * by trial decryption), a recovering HSM's exchange key in the forms init-recovery and the
 * service use, and expected.json with what any correct reader must get.
 *
 * Run with `node scripts/make-azure-fixtures.mjs`. Keys are fresh each run; the tests read
 * expected.json rather than hard-coding values.
 */
import {createHash, generateKeyPairSync} from 'node:crypto';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {parseCertificate} from '../../../source/domain/key-file.js';
import {selfSignedCertificate} from '../../../source/domain/self-signed.js';
import {writeAzureDomain} from '../../../source/domain/azure/writer.js';
import {initRecoveryPem} from '../../../source/domain/azure/exchange-key.js';
import {sampleBlobs, digestsOf} from './kit.js';

export const FIXTURE_PASSPHRASE = 'drill-passphrase';

const pem = (label: string, der: Buffer) =>
  `-----BEGIN ${label}-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)
    ?.join('\n')}\n-----END ${label}-----\n`;

export function makeAzureFixtures(root: string): void {
  const holdersDir = join(root, 'holders');
  const certsDir = join(root, 'certificates');
  const exchangeDir = join(root, 'exchange');
  for (const d of [root, holdersDir, certsDir, exchangeDir]) mkdirSync(d, {recursive: true});
  const notBefore = new Date(Date.UTC(2025, 0, 1));

  const holders = [1, 2, 3].map((n) => {
    const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
    const der = selfSignedCertificate(privateKey, {
      commonName: `drill holder ${n}`,
      notBefore,
      days: 3650,
    });
    const cert = parseCertificate(`holder${n}.cer`, der);
    if (!cert.ok) throw cert.error;
    const keyPem =
      n === 2
        ? privateKey.export({
            type: 'pkcs8',
            format: 'pem',
            cipher: 'aes-256-cbc',
            passphrase: FIXTURE_PASSPHRASE,
          })
        : privateKey.export({type: 'pkcs8', format: 'pem'});
    writeFileSync(join(holdersDir, `holder${n}.pem`), keyPem);
    writeFileSync(join(n === 3 ? certsDir : holdersDir, `holder${n}.cer`), pem('CERTIFICATE', der));
    return {cert: cert.value, x5t256: createHash('sha256').update(der).digest('base64url')};
  });

  const blobs = sampleBlobs([3000, 600, 2048]);
  const {json, secret} = writeAzureDomain({
    certificates: holders.map((h) => h.cert),
    required: 2,
    blobs,
  });
  writeFileSync(join(root, 'security-domain.json'), json);
  writeFileSync(join(root, 'passphrases.txt'), `\n${FIXTURE_PASSPHRASE}\n`);

  const {privateKey: exchangeKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
  const exchangeDer = selfSignedCertificate(exchangeKey, {
    commonName: 'drill-hsm security domain exchange key',
    notBefore,
    days: 3650,
  });
  const exchangeX5t = createHash('sha256').update(exchangeDer).digest('base64url');
  writeFileSync(join(exchangeDir, 'exchange.pem'), initRecoveryPem(exchangeDer));
  writeFileSync(
    join(exchangeDir, 'exchange.key'),
    exchangeKey.export({type: 'pkcs8', format: 'pem'}),
  );
  const pub = exchangeKey.export({format: 'jwk'});
  const jwk = {
    kty: 'RSA',
    n: pub.n,
    e: pub.e,
    kid: 'not used',
    key_ops: ['wrapKey', 'verify', 'encrypt'],
    x5c: [exchangeDer.toString('base64')],
    x5t: createHash('sha1').update(exchangeDer).digest('base64url'),
    'x5t#S256': exchangeX5t,
  };
  writeFileSync(
    join(exchangeDir, 'transfer-key.json'),
    `${JSON.stringify({key_format: 'jwk', transfer_key: JSON.stringify(jwk)})}\n`,
  );

  const expected = {
    about:
      'Made by scripts/make-azure-fixtures.mjs with sd-drill’s own writer (interop spec §13); test data only.',
    sd_file: 'security-domain.json',
    required: 2,
    total: 3,
    combined_secret_hex: secret.toString('hex'),
    holders: holders.map((h, i) => ({
      index: i + 1,
      key: `holders/holder${i + 1}.pem`,
      certificate: i === 2 ? 'certificates/holder3.cer' : `holders/holder${i + 1}.cer`,
      x5t_256: h.x5t256,
      passphrase: i === 1 ? FIXTURE_PASSPHRASE : null,
    })),
    blobs: digestsOf(blobs),
    exchange: {
      certificate: 'exchange/exchange.pem',
      private_key: 'exchange/exchange.key',
      transfer_key: 'exchange/transfer-key.json',
      x5t_256: exchangeX5t,
    },
  };
  writeFileSync(join(root, 'expected.json'), `${JSON.stringify(expected, null, 2)}\n`);
}
