"""Signed tree heads: sign the tree as projected, keep the head (database and shipped file).

A key is registered (public half only) with the time of its first head; the next key's first
head retires it, so heads it signed before stay verifiable and any it signs after are refused.
"""

import json
import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import checkpoint_key, heads
from core.db import read_scope, session_scope
from core.settings import Settings
from projections import merkle, merkle_proofs
from projections.merkle_tables import TreeHead, TreeKey
from projections.model import table_of

log = logging.getLogger(__name__)
tree_heads, tree_keys = table_of(TreeHead), table_of(TreeKey)
FIELDS = ("tree_size", "root_hash", "timestamp", "key_id", "signature")


def sign(settings: Settings) -> dict[str, Any]:
    """Sign the tree as it stands, store the head and ship it to the heads file."""
    private = checkpoint_key.signing_key(settings)
    with session_scope() as session:
        size = merkle.size(session)
        head = heads.sign(private, size, merkle_proofs.root(session, size).hex())
        if session.get(TreeKey, head["key_id"]) is None:
            _register(session, head, heads.public_pem(private.public_key()))
        session.execute(insert(tree_heads).values(**head))
    ship(settings, head)
    return head


def _register(session: Session, head: dict[str, Any], pem: str) -> None:
    """The key's public half, first used now (another process may register it at once)."""
    try:
        with session.begin_nested():
            session.execute(insert(tree_keys).values(
                key_id=head["key_id"], public_key=pem, first_used_at=head["timestamp"]))
    except IntegrityError:
        pass  # the other process's row says the same key, a moment earlier


def ship(settings: Settings, head: dict[str, Any]) -> None:
    """Append the head to the JSON-lines file (one write: whole lines even from several
    processes)."""
    path = checkpoint_key.log_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(head, sort_keys=True) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def shipped(settings: Settings) -> list[dict[str, Any]]:
    """The heads in the shipped file (none if it does not exist)."""
    path: Path = checkpoint_key.log_path(settings)
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def as_head(row: Any) -> dict[str, Any]:
    return {key: getattr(row, key) for key in FIELDS}


def latest(session: Session) -> dict[str, Any] | None:
    row = session.execute(select(tree_heads).order_by(
        tree_heads.c.tree_size.desc(), tree_heads.c.timestamp.desc()).limit(1)).first()
    return None if row is None else as_head(row)


def at_size(session: Session, tree_size: int) -> dict[str, Any] | None:
    """The latest head signed at `tree_size`."""
    row = session.execute(select(tree_heads).where(tree_heads.c.tree_size == tree_size)
                          .order_by(tree_heads.c.timestamp.desc()).limit(1)).first()
    return None if row is None else as_head(row)


def all_heads(session: Session) -> list[dict[str, Any]]:
    """Every head, oldest first."""
    return [as_head(r) for r in session.execute(select(tree_heads).order_by(
        tree_heads.c.timestamp, tree_heads.c.tree_size))]


def keys(session: Session, settings: Settings | None = None) -> list[dict[str, Any]]:
    """Every key that signed heads, oldest first, with when the next one retired it; and the
    configured key, if it has signed nothing yet."""
    rows = list(session.execute(select(tree_keys).order_by(tree_keys.c.first_used_at)))
    found = [{"key_id": r.key_id, "algorithm": heads.ALGORITHM, "public_key": r.public_key,
              "first_used_at": r.first_used_at,
              "retired_at": rows[i + 1].first_used_at if i + 1 < len(rows) else None}
             for i, r in enumerate(rows)]
    current = _current(settings) if settings is not None else None
    if current is not None and current["key_id"] not in {k["key_id"] for k in found}:
        if found:
            found[-1]["retired_at"] = None  # retired only once the new key signs
        found.append(current)
    return found


def _current(settings: Settings) -> dict[str, Any] | None:
    try:
        public = checkpoint_key.signing_key(settings).public_key()
    except checkpoint_key.KeyMissing:
        return None
    return {"key_id": heads.key_id(public), "algorithm": heads.ALGORITHM,
            "public_key": heads.public_pem(public), "first_used_at": None, "retired_at": None}


def trusted(found: list[dict[str, Any]]) -> dict[str, heads.TrustedKey]:
    return {k["key_id"]: heads.TrustedKey(heads.load_public(k["public_key"]), k["retired_at"])
            for k in found}


def due(settings: Settings) -> bool:
    """The tree grew since the last head, and that head is older than the interval."""
    with read_scope() as session:
        last, size = latest(session), merkle.size(session)
    if last is None:
        return size > 0
    if size <= int(last["tree_size"]):
        return False
    signed = datetime.fromisoformat(str(last["timestamp"]).replace("Z", "+00:00"))
    interval = timedelta(seconds=settings.checkpoint_interval_seconds)
    return datetime.now(UTC) - signed >= interval


def sign_if_due(settings: Settings) -> dict[str, Any] | None:
    """A new head when `due`; None otherwise, or when no key is configured (logged)."""
    if not due(settings):
        return None
    try:
        return sign(settings)
    except checkpoint_key.KeyMissing:
        log.warning("no tree head signed: set CHECKPOINT_KEY or CHECKPOINT_KEY_FILE")
        return None
