"""SM3 hashing and SM4 encryption (GB/T 32905, GB/T 32907) through `cryptography`.

Personal data (mobile and ID-card numbers) is stored as SM4-GCM ciphertext and looked up
through a keyed SM3 digest (HMAC-SM3), so equality search never needs the plaintext.
"""

import base64
import os
from functools import cache

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

NONCE_BYTES = 12
TAG_BYTES = 16
CIPHERTEXT_PREFIX = "sm4gcm:"


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


@cache
def _key(hex_key: str) -> bytes:
    key = bytes.fromhex(hex_key)
    if len(key) != 16:
        raise ValueError("SM4 and digest keys are 128-bit: 32 hexadecimal characters")
    return key


def sm4_encrypt(plaintext: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_key(settings.FIELD_ENCRYPTION_KEY)), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return CIPHERTEXT_PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode()


def sm4_decrypt(token: str) -> str:
    if not token.startswith(CIPHERTEXT_PREFIX):
        raise ValueError("not an SM4 ciphertext")
    raw = base64.b64decode(token[len(CIPHERTEXT_PREFIX) :])
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(_key(settings.FIELD_ENCRYPTION_KEY)), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode()


def blind_index(value: str) -> str:
    """Keyed SM3 digest for equality lookups of encrypted values."""
    mac = hmac.HMAC(_key(settings.FIELD_DIGEST_KEY), hashes.SM3())
    mac.update(value.encode())
    return mac.finalize().hex()
