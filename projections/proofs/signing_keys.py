"""The tree heads' keys: the signer's private key, and the public keys heads are trusted with.

The private key is never written to the database and only the signer holds it: CHECKPOINT_KEY
(PEM or base64 of the 32 raw bytes), else CHECKPOINT_KEY_FILE, else the embedded default's
file beside its SQLite database; a file named but missing is made once (mode 0600). The test
settings on PostgreSQL keep theirs in a private temporary directory per database.

Trust comes from configuration only: the signer's own public half, if this process holds the
key, and CHECKPOINT_PUBLIC_KEYS. The database's `tree_keys` is a cache that verify checks.
"""

import base64
import contextlib
import os
import tempfile
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.engine import make_url

from core.proofs import tree_heads
from core.settings import ROOT, Settings

KEY_NAME, LOG_NAME = "checkpoint-key.pem", "checkpoints.jsonl"
MISSING = ("no key to sign tree heads with: set CHECKPOINT_KEY_FILE (a file made once if "
           "missing) or CHECKPOINT_KEY for the signer (the workers); scripts/run_distributed.sh "
           "and scripts/compose-secrets.sh make one")


class KeyMissing(RuntimeError):
    """No signing key is configured (PostgreSQL without CHECKPOINT_KEY or _FILE)."""


def key_path(settings: Settings) -> Path | None:
    """The key's file (None: given as a secret, or none at all)."""
    if settings.checkpoint_key:
        return None
    if settings.checkpoint_key_file:
        return Path(settings.checkpoint_key_file)
    return _default_dir(settings) / KEY_NAME if _has_default(settings) else None


def log_path(settings: Settings) -> Path:
    """The JSON-lines file every signed head is appended to: never a guessable shared path."""
    if settings.checkpoint_log_file:
        return Path(settings.checkpoint_log_file)
    found = key_path(settings)
    return (found.parent if found is not None else ROOT / "data") / LOG_NAME


def has_signing_key(settings: Settings) -> bool:
    return bool(settings.checkpoint_key) or key_path(settings) is not None


def _has_default(settings: Settings) -> bool:
    return not settings.is_postgres or settings.environment == "test"


def _default_dir(settings: Settings) -> Path:
    url = make_url(settings.database_url)
    if not settings.is_postgres and url.database and url.database != ":memory:":
        return Path(url.database).parent
    return Path(tempfile.gettempdir()) / f"ledger-checkpoint-key-{url.database or 'memory'}"


@lru_cache(maxsize=4)
def _load(secret: str, path: str) -> Ed25519PrivateKey:
    text = secret or _read_or_create(Path(path))
    if "PRIVATE KEY" in text:
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the checkpoint key is not an Ed25519 private key")
        return key
    try:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text.strip(), validate=True))
    except ValueError as exc:
        raise ValueError("the checkpoint key is neither PEM nor base64 of 32 bytes") from exc


def signing_key(settings: Settings) -> Ed25519PrivateKey:
    """The private key heads are signed with; KeyMissing if none is configured."""
    path = key_path(settings)
    if not settings.checkpoint_key and path is None:
        raise KeyMissing(MISSING)
    return _load(settings.checkpoint_key, str(path or ""))


def from_file(path: Path) -> Ed25519PrivateKey:
    """The key in `path`, made first if missing."""
    return _load("", str(path))


def public_text(public: Ed25519PublicKey) -> str:
    """A public key as CHECKPOINT_PUBLIC_KEYS takes it: base64 of its 32 raw bytes."""
    return base64.b64encode(tree_heads.raw(public)).decode()


def published(settings: Settings) -> list[dict[str, Any]]:
    """The trusted keys, the signer's own first: key_id, algorithm, PEM and retirement."""
    found: dict[str, dict[str, Any]] = {}
    if has_signing_key(settings):
        _add(found, signing_key(settings).public_key(), None)
    for entry in settings.checkpoint_public_keys:
        public, retired_at = _pinned(entry)
        _add(found, public, retired_at)
    return list(found.values())


def published_pins(settings: Settings) -> list[str]:
    """The key ids of CHECKPOINT_PUBLIC_KEYS; ValueError naming a bad entry."""
    return [tree_heads.key_id(_pinned(entry)[0]) for entry in settings.checkpoint_public_keys]


def current_key_id(settings: Settings) -> str | None:
    """The key new heads are signed with, as far as this process can tell."""
    live = [k["key_id"] for k in published(settings) if k["retired_at"] is None]
    return live[0] if live else None


def trusted(settings: Settings) -> dict[str, tree_heads.TrustedKey]:
    return {k["key_id"]: tree_heads.TrustedKey(tree_heads.load_public(k["public_key"]),
                                               k["retired_at"])
            for k in published(settings)}


def _add(found: dict[str, dict[str, Any]], public: Ed25519PublicKey,
         retired_at: str | None) -> None:
    kid = tree_heads.key_id(public)
    if kid in found:  # the signer's own key also pinned: it is in use, so not retired
        return
    found[kid] = {"key_id": kid, "algorithm": tree_heads.ALGORITHM,
                  "public_key": tree_heads.public_pem(public), "retired_at": retired_at}


def _pinned(entry: str) -> tuple[Ed25519PublicKey, str | None]:
    """One CHECKPOINT_PUBLIC_KEYS entry: the key and, after "@", when it was rotated out."""
    text, _, retired = entry.partition("@")
    try:
        public = tree_heads.load_public(text)
        at = datetime.fromisoformat(retired.strip()) if retired.strip() else None
    except ValueError as exc:
        raise ValueError(f"CHECKPOINT_PUBLIC_KEYS has an entry that is not an Ed25519 public "
                         f"key (base64 or PEM), optionally @<ISO time>: {exc}") from None
    if at is None:
        return public, None
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    stamp = at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return public, stamp


def _read_or_create(path: Path) -> str:
    """The PEM in `path`, made first (mode 0600, its folder 0700) if missing; two processes
    agree on one."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".checkpoint-key-")  # 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
            with contextlib.suppress(FileExistsError):  # another process made it first
                os.link(temporary, path)  # never replaces a file: theirs is the one
        finally:
            os.unlink(temporary)
    return path.read_text(encoding="ascii")
