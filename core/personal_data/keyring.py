"""The wrapping keys: from configuration, never from the database.

PERSONAL_DATA_KEY (base64 of 32 random bytes) wraps every person's data key written from now
on; PERSONAL_DATA_OLD_KEYS (the same, several) only unwrap, so a key rotates by putting a new
one in PERSONAL_DATA_KEY, the old one among the old keys, and re-wrapping every row
(`python -m ops.personal_data rewrap`). A key is known in the table by its id, a digest of it
that cannot open anything.
"""

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12


class KeyUnavailable(Exception):
    """No wrapping key in this process, or none of its keys unwraps a stored data key."""


def new_key() -> str:
    """A fresh wrapping key for PERSONAL_DATA_KEY: base64 of 32 random bytes."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode()


def parse(text: str, name: str = "PERSONAL_DATA_KEY") -> bytes:
    """The 32 bytes a configured key stands for; a clear error naming the setting otherwise."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{name} must be base64 of {KEY_BYTES} random bytes "
                         "(python -m ops.personal_data new-key)") from None
    if len(raw) != KEY_BYTES:
        raise ValueError(f"{name} must be base64 of {KEY_BYTES} bytes, not {len(raw)}")
    return raw


def key_id(raw: bytes) -> str:
    """What the table records of the key that wrapped a row."""
    return hashlib.sha256(b"ledger personal data wrapping key\0" + raw).hexdigest()[:16]


@dataclass(frozen=True)
class Keyring:
    """The newest key wraps; every key unwraps the rows it wrapped."""

    newest: bytes
    older: tuple[bytes, ...] = ()

    @classmethod
    def of(cls, newest: str, older: list[str]) -> "Keyring":
        if not newest:
            raise KeyUnavailable("PERSONAL_DATA_KEY is not set in this process: personal data "
                                 "can be neither sealed nor opened")
        return cls(parse(newest), tuple(parse(k, "PERSONAL_DATA_OLD_KEYS") for k in older))

    @property
    def newest_id(self) -> str:
        return key_id(self.newest)

    def wrap(self, data_key: bytes, label: bytes) -> bytes:
        """The data key sealed under the newest key, bound to its row (`label`)."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(self.newest).encrypt(nonce, data_key, label)

    def unwrap(self, wrapped: bytes, wrapped_by: str, label: bytes) -> bytes:
        """The data key of a row, by the key its id names."""
        for raw in (self.newest, *self.older):
            if key_id(raw) == wrapped_by:
                return AESGCM(raw).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], label)
        raise KeyUnavailable(f"no configured key has id {wrapped_by}: put the key that wrapped "
                             "it back in PERSONAL_DATA_OLD_KEYS")
