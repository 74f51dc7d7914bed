/**
 * RFC 9180 HPKE, base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM: how a remote
 * holder's share travels to the ceremony. A maintained implementation (@hpke/core with
 * @hpke/dhkem-x25519, pinned), not X25519, HKDF and GCM composed by hand. It runs on Node's
 * WebCrypto (globalThis.crypto, present from Node 19; Node ≤ 18 would make @hpke/common
 * import('crypto'), which this bundle never reaches on Node ≥ 20). Loaded only when a remote
 * holder is called or contributes (import() in ./request.ts and ./contribution.ts) and X25519 from
 * @noble/curves bundled inside @hpke/common, so it needs no native X25519 in WebCrypto.
 *
 * What can and cannot be wiped: the ceremony's private key is @hpke's XCryptoKey, whose raw
 * 32 bytes are a Uint8Array we zero (`wipeKemPrivateKey`, ./request.ts); the KEM's shared secret and the
 * AEAD key live inside @hpke and WebCrypto for the one call and cannot be reached to zero.
 * The opened plaintext is copied into a Buffer we own and the library's copy zeroed.
 */
import {Aes256Gcm, CipherSuite, HkdfSha256} from '@hpke/core';
import {DhkemX25519HkdfSha256} from '@hpke/dhkem-x25519';
import type {webcrypto} from 'node:crypto';

/** @hpke's key objects (its XCryptoKey for X25519), typed as WebCrypto's. */
export type KemKey = webcrypto.CryptoKey;

export const X25519_KEY_BYTES = 32;

let suite: CipherSuite | undefined;
function hpke(): CipherSuite {
  suite ??= new CipherSuite({
    kem: new DhkemX25519HkdfSha256(),
    kdf: new HkdfSha256(),
    aead: new Aes256Gcm(),
  });
  return suite;
}

/** A view of a Buffer's bytes that @hpke accepts (it copies what it keeps). */
const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export interface KemKeyPair {
  /** Raw X25519 public key, 32 bytes: goes into the request. */
  publicKey: Buffer;
  /** Never serialised: used by `openSealed` and zeroed by `wipeKemPrivateKey`. */
  privateKey: KemKey;
}

/**
 * A fresh key pair. `ikm` (32+ random bytes) is for tests that must know the private key to
 * look for it on disk; it is wiped here. Without it, the key comes from @hpke's CSPRNG.
 */
export async function newKemKeyPair(ikm?: Buffer): Promise<KemKeyPair> {
  const kem = hpke().kem;
  const pair = ikm ? await kem.deriveKeyPair(bytes(ikm)) : await kem.generateKeyPair();
  ikm?.fill(0);
  const publicKey = Buffer.from(await kem.serializePublicKey(pair.publicKey));
  return {publicKey, privateKey: pair.privateKey};
}

export interface Sealed {
  enc: Buffer;
  ciphertext: Buffer;
}

/** Seals `plaintext` to a raw X25519 public key (the plaintext is not wiped here). */
export async function seal(
  recipientPublicKey: Buffer,
  info: Buffer,
  aad: Buffer,
  plaintext: Buffer,
): Promise<Sealed> {
  const s = hpke();
  const recipient = await s.kem.deserializePublicKey(bytes(recipientPublicKey));
  const sealed = await s.seal(
    {recipientPublicKey: recipient, info: bytes(info)},
    bytes(plaintext),
    bytes(aad),
  );
  return {enc: Buffer.from(sealed.enc), ciphertext: Buffer.from(sealed.ct)};
}

/** Opens a sealed message; undefined when it does not authenticate (any byte changed). */
export async function openSealed(
  privateKey: KemKey,
  info: Buffer,
  aad: Buffer,
  sealed: Sealed,
): Promise<Buffer | undefined> {
  let opened: ArrayBuffer;
  try {
    opened = await hpke().open(
      {recipientKey: privateKey, enc: bytes(sealed.enc), info: bytes(info)},
      bytes(sealed.ciphertext),
      bytes(aad),
    );
  } catch {
    return undefined;
  }
  const view = new Uint8Array(opened);
  const out = Buffer.from(view);
  view.fill(0);
  return out;
}
