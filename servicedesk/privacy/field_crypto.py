"""Encryption at rest for personnummer fields: Fernet under a key derived from a setting.

``SERVICEDESK_FIELD_KEY`` is any strong secret (``init-secrets`` writes 64 hex characters);
HKDF-SHA256 turns it into the Fernet key, so the setting has the same shape and the same
production checks as the desk's other secrets. Fernet (from ``cryptography``) is AES-128-CBC
with an HMAC-SHA256 over the token: a changed ciphertext or a wrong key fails to decrypt,
it never yields another number.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["FieldCipher", "InvalidToken", "field_cipher"]

#: Keeps this key apart from anything else derived from the same secret.
_INFO = b"en-vag-in personnummer field encryption v1"


class FieldCipher:
    """Encrypts and decrypts the values of sensitive fields."""

    def __init__(self, secret: str) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
            secret.encode("utf-8")
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def encrypt(self, value: str) -> str:
        """The Fernet token of ``value`` (ASCII)."""
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """The value of a token made with the same key.

        Raises:
            InvalidToken: The token was changed or made with another key.
        """
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")


@lru_cache(maxsize=4)
def field_cipher(secret: str) -> FieldCipher:
    """The cipher for ``secret`` (cached: the key derivation runs once per key)."""
    return FieldCipher(secret)
