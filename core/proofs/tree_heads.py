"""Signed tree heads: Ed25519 over (tree size, root hash, time), named by the key's id.

Standard library and `cryptography` only: `tools/verify_export.py` checks heads with it.
A head is {tree_size, root_hash (hex), timestamp (ISO 8601, UTC, ms), key_id, signature
(base64)}; the signature covers `message(...)`, lines of text that cannot be read two ways.
"""

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = b"booking-ledger tree head v1\n"
ALGORITHM = "Ed25519"


def raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw public key."""
    return hashlib.sha256(raw(public)).hexdigest()[:16]


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public(text: str) -> Ed25519PublicKey:
    """A public key from PEM or base64 of its 32 raw bytes; ValueError otherwise."""
    if "BEGIN PUBLIC KEY" in text:
        key = serialization.load_pem_public_key(text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text.strip(), validate=True))


def now() -> str:
    """The time a head is signed at, as it is signed: UTC, milliseconds, `Z`."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def message(tree_size: int, root_hash: str, timestamp: str) -> bytes:
    return PREFIX + f"{tree_size}\n{root_hash}\n{timestamp}\n".encode()


def sign(private: Ed25519PrivateKey, tree_size: int, root_hash: str,
         timestamp: str | None = None) -> dict[str, Any]:
    """A signed head of the tree of `tree_size` leaves whose root is `root_hash` (hex)."""
    at = timestamp or now()
    signature = private.sign(message(tree_size, root_hash, at))
    return {"tree_size": tree_size, "root_hash": root_hash, "timestamp": at,
            "key_id": key_id(private.public_key()),
            "signature": base64.b64encode(signature).decode()}


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two heads say the same (size, root, time, key)."""
    return all(str(a.get(k)) == str(b.get(k))
               for k in ("tree_size", "root_hash", "timestamp", "key_id"))


@dataclass(frozen=True)
class TrustedKey:
    """A public key and when it signed: from its first head until the next key's first."""

    public: Ed25519PublicKey
    retired_at: str | None = None  # heads signed after this are refused (rotated out)


def check(head: dict[str, Any], keys: dict[str, TrustedKey]) -> str | None:
    """None if `head` is signed by one of `keys` while it was in use; else what is wrong."""
    try:
        size, root_hash, at = int(head["tree_size"]), str(head["root_hash"]), str(head["timestamp"])
        kid, signature = str(head["key_id"]), base64.b64decode(str(head["signature"]))
    except (KeyError, TypeError, ValueError) as exc:
        return f"not a signed head: {exc!r}"
    key = keys.get(kid)
    if key is None:
        known = ", ".join(sorted(keys)) or "none"
        return f"signed with key {kid}, which is not one of the trusted keys ({known})"
    if key.retired_at is not None and at > key.retired_at:
        return f"signed at {at} with key {kid}, rotated out at {key.retired_at}"
    try:
        key.public.verify(signature, message(size, root_hash, at))
    except InvalidSignature:
        return f"the signature does not verify with key {kid}: the head was altered or forged"
    return None
