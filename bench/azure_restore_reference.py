#!/usr/bin/env python3
"""A lean python3 + cryptography restore of an Azure Managed HSM security domain.

The bench's reference for `sd-drill restore-blob` and `sd-drill verify` on azure-cli's Azure
vector (fixtures/azure-cli-vectors): the same path azure-cli's `security-domain restore-blob`
takes, written from the format (docs/azure-security-domain-format.md; the § numbers below are
those of the interop spec it was first written from) with nothing extra, so that "faster than
the python path" is measured against a fair, lean competitor.

    /usr/bin/python3 bench/azure_restore_reference.py --sd SD.json \
        --key sd1.pem --key sd2.pem --exchange-key sdex.pem --out restore-blob.json

Steps: parse the SD; for each key (its certificate is the same path with `.cer`), load the PEM
key and certificate, match the certificate's x5t_256 against enc_shares, unwrap the CEK with
RSA-OAEP-256 and open the share with A256CBC-HS512; combine the first M shares over GF(257);
derive each blob's key with SP 800-108 (HMAC-SHA512) and decrypt it; re-encrypt the blobs under
a fresh transfer key, wrap that key to the exchange certificate, and write the restore blob.
Prints one line per blob (tag, bytes, sha256 of the plaintext) so the output can be checked.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def b64u_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64u_encode(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode("ascii")


OAEP_256 = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def a256cbc_hs512_decrypt(key, aad, iv, ciphertext, tag):
    """RFC 7518 §5.2.5: MAC key first, tag = first 32 bytes of HMAC-SHA512 (§4)."""
    if len(key) != 64 or len(tag) != 32:
        raise ValueError("bad key or tag length")
    mac_key, enc_key = key[:32], key[32:]
    al = struct.pack(">Q", len(aad) * 8)
    expected = hmac.new(mac_key, aad + iv + ciphertext + al, hashlib.sha512).digest()[:32]
    if not hmac.compare_digest(expected, tag):
        return None
    decryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    pad = padded[-1]
    if pad < 1 or pad > 16 or padded[-pad:] != bytes([pad]) * pad:
        raise ValueError("bad padding")
    return padded[:-pad]


def a256cbc_hs512_encrypt(key, aad, plaintext):
    mac_key, enc_key = key[:32], key[32:]
    iv = os.urandom(16)
    pad = 16 - len(plaintext) % 16
    encryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(plaintext + bytes([pad]) * pad) + encryptor.finalize()
    al = struct.pack(">Q", len(aad) * 8)
    tag = hmac.new(mac_key, aad + iv + ciphertext + al, hashlib.sha512).digest()[:32]
    return iv, ciphertext, tag


def kdf(secret, tag):
    """SP 800-108 counter mode, HMAC-SHA512, one 512-bit block, empty context (§7)."""
    data = struct.pack(">I", 1) + tag.encode("utf-8") + b"\x00" + struct.pack(">I", 512)
    return hmac.new(secret, data, hashlib.sha512).digest()


def split_jwe(compact):
    parts = compact.split(".")
    if len(parts) != 5:
        raise ValueError("a compact JWE has five segments")
    return parts


def open_share(compact, private_key):
    header, enc_key, iv, ciphertext, tag = split_jwe(compact)
    if json.loads(b64u_decode(header)).get("enc") != "A256CBC-HS512":
        raise ValueError("unsupported enc")
    cek = private_key.decrypt(b64u_decode(enc_key), OAEP_256)
    return a256cbc_hs512_decrypt(
        cek, header.encode("ascii"), b64u_decode(iv), b64u_decode(ciphertext), b64u_decode(tag)
    )


def inverse(a):
    return pow(a, 255, 257)


def combine(shares):
    """Lagrange interpolation at 0 over GF(257); shares are little-endian u16 words (§6)."""
    points = []
    for share in shares:
        words = struct.unpack("<%dH" % (len(share) // 2), share)
        points.append((words[0] >> 9, [w & 0x1FF for w in words]))
    xs = [x for x, _ in points]
    if len(set(xs)) != len(xs):
        raise ValueError("duplicate share x")
    weights = []
    for i, xi in enumerate(xs):
        w = 1
        for k, xk in enumerate(xs):
            if k != i:
                w = w * xk * inverse((xk - xi) % 257) % 257
        weights.append(w)
    secret = bytearray()
    for j in range(len(points[0][1])):
        s = sum(weights[i] * points[i][1][j] for i in range(len(points))) % 257
        if s > 255:
            raise ValueError("interpolated byte out of range")
        secret.append(s)
    return bytes(secret)


def restore(sd_path, key_paths, exchange_path):
    with open(sd_path, "rb") as f:
        sd = json.loads(f.read())
    if "EncData" not in sd or "SharedKeys" not in sd:
        raise ValueError("Invalid SD file.")
    shared = sd["SharedKeys"]
    required = shared["required"]
    if not 2 <= required <= 10 or shared["key_algorithm"] != "shamir_share":
        raise ValueError("bad SharedKeys")
    if len(key_paths) < required:
        raise ValueError("%d wrapping keys are required" % required)

    shares = []
    for key_path in key_paths:
        if len(shares) >= required:
            break
        cert_path = os.path.splitext(key_path)[0] + ".cer"
        with open(key_path, "rb") as f:
            private_key = serialization.load_pem_private_key(f.read(), password=None)
        with open(cert_path, "rb") as f:
            cert = x509.load_pem_x509_certificate(f.read())
        x5t = b64u_encode(hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest())
        for entry in shared["enc_shares"]:
            if entry["x5t_256"] == x5t:
                share = open_share(entry["enc_key"], private_key)
                if share is not None:
                    shares.append(share)
    if len(shares) < required:
        raise ValueError("Insufficient shares available.")
    secret = combine(shares[:required])

    blobs = []
    for datum in sd["EncData"]["data"]:
        header, _, iv, ciphertext, tag = split_jwe(datum["compact_jwe"])
        plaintext = a256cbc_hs512_decrypt(
            kdf(secret, datum["tag"]),
            header.encode("ascii"),
            b64u_decode(iv),
            b64u_decode(ciphertext),
            b64u_decode(tag),
        )
        if plaintext is None:
            raise ValueError("blob %s does not authenticate" % datum["tag"])
        blobs.append((datum["tag"], plaintext))

    # §10: re-encrypt under a fresh transfer key T, wrap T to the exchange certificate.
    with open(exchange_path, "rb") as f:
        exchange = x509.load_pem_x509_certificate(f.read())
    transfer = os.urandom(32)
    data = []
    for tag, plaintext in blobs:
        header = b64u_encode(
            json.dumps({"alg": "dir", "enc": "A256CBC-HS512", "kid": tag}, separators=(",", ":")).encode()
        )
        iv, ciphertext, mac = a256cbc_hs512_encrypt(kdf(transfer, tag), header.encode("ascii"), plaintext)
        data.append(
            {
                "compact_jwe": ".".join([header, "", b64u_encode(iv), b64u_encode(ciphertext), b64u_encode(mac)]),
                "tag": tag,
            }
        )
    cek = os.urandom(64)
    header = b64u_encode(b'{"alg":"RSA-OAEP-256","enc":"A256CBC-HS512","kid":"not used"}')
    wrapped = exchange.public_key().encrypt(cek, OAEP_256)
    iv, ciphertext, mac = a256cbc_hs512_encrypt(cek, header.encode("ascii"), transfer)
    payload = {
        "EncData": {"data": data, "kdf": "sp108_kdf"},
        "WrappedKey": {
            "enc_key": ".".join(
                [header, b64u_encode(wrapped), b64u_encode(iv), b64u_encode(ciphertext), b64u_encode(mac)]
            ),
            "x5t_256": b64u_encode(hashlib.sha256(exchange.public_bytes(serialization.Encoding.DER)).digest()),
        },
    }
    return blobs, json.dumps(payload)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sd", required=True)
    parser.add_argument("--key", action="append", required=True)
    parser.add_argument("--exchange-key", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    blobs, payload = restore(args.sd, args.key, args.exchange_key)
    fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(payload)
    for tag, plaintext in blobs:
        print("%s %d %s" % (tag, len(plaintext), hashlib.sha256(plaintext).hexdigest()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
