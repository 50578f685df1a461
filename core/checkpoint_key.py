"""Where the tree heads' signing key comes from, and where signed heads are shipped (a file).

The private key is never written to the database. CHECKPOINT_KEY (PEM or base64 of the 32
raw bytes), else CHECKPOINT_KEY_FILE, else the embedded default's file beside its SQLite
database; a file named but missing is made once (mode 0600). The test settings on
PostgreSQL keep theirs in the temporary directory, per database, shared by its processes.
"""

import base64
import contextlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import make_url

from core.settings import Settings

KEY_NAME, LOG_NAME = "checkpoint-key.pem", "checkpoints.jsonl"


class KeyMissing(RuntimeError):
    """No signing key is configured (PostgreSQL without CHECKPOINT_KEY or _FILE)."""


def key_path(settings: Settings) -> Path | None:
    """The key's file (None: given as a secret, or none at all)."""
    if settings.checkpoint_key:
        return None
    if settings.checkpoint_key_file:
        return Path(settings.checkpoint_key_file)
    return _default_dir(settings, "checkpoint-key") / KEY_NAME if _has_default(settings) else None


def log_path(settings: Settings) -> Path:
    """The JSON-lines file every signed head is appended to."""
    if settings.checkpoint_log_file:
        return Path(settings.checkpoint_log_file)
    found = key_path(settings)
    if found is not None:
        return found.parent / LOG_NAME
    return _default_dir(settings, "checkpoints") / LOG_NAME


def _has_default(settings: Settings) -> bool:
    return not settings.is_postgres or settings.environment == "test"


def _default_dir(settings: Settings, kind: str) -> Path:
    url = make_url(settings.database_url)
    if not settings.is_postgres and url.database and url.database != ":memory:":
        return Path(url.database).parent
    return Path(tempfile.gettempdir()) / f"ledger-{kind}-{url.database or 'memory'}"


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
        raise KeyMissing("no signing key: set CHECKPOINT_KEY or CHECKPOINT_KEY_FILE")
    return _load(settings.checkpoint_key, str(path or ""))


def _read_or_create(path: Path) -> str:
    """The PEM in `path`, made first (mode 0600) if missing; two processes agree on one."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
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
