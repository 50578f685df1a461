"""Signed tree heads: the signer signs the tree as projected and keeps the head (database
and shipped file); readers page them.

Only the signer calls `sign` (a worker on beat's schedule, the embedded process's own timer,
an admin's request passed to it). The keys that verify heads come from configuration
(`projections.proofs.signing_keys.trusted`); `tree_keys` only records which keys the signer used.
"""

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db import held_alone, read_scope, session_scope
from core.proofs import tree_heads
from core.settings import Settings, get_settings
from projections.model import table_of
from projections.proofs import paths, signing_keys, tree
from projections.proofs.tables import TreeHead, TreeKey

head_rows, key_rows = table_of(TreeHead), table_of(TreeKey)
FIELDS = ("tree_size", "root_hash", "timestamp", "key_id", "signature")
SCAN_AHEAD = 8  # rows read past those wanted, so a few untrusted ones cost no second query


SIGNER_LOCK = 0x7472656568656164  # "treehead": one signer at a time on PostgreSQL


def sign(settings: Settings, *, force: bool = False) -> dict[str, Any] | None:
    """The signer's head over the tree as projected, stored and shipped to the heads file:
    when the tree grew since the latest head (or none was signed), or when `force`d (then the
    latest, if it already covers the tree). None: nothing new, or another signer is at it."""
    private = signing_keys.signing_key(settings)
    with session_scope() as session:
        if not held_alone(session, SIGNER_LOCK):
            return None
        last, size = latest(session), tree.size(session)
        if last is not None and size <= int(last["tree_size"]):
            return last if force else None
        if last is None and size == 0 and not force:
            return None
        head = tree_heads.sign(private, size, paths.root(session, size).hex())
        if session.get(TreeKey, head["key_id"]) is None:
            _register(session, head, tree_heads.public_pem(private.public_key()))
        session.execute(insert(head_rows).values(**head))
    ship(settings, head)
    return head


def _register(session: Session, head: dict[str, Any], pem: str) -> None:
    """The key's public half, first used now: a cache verify checks, never a source of trust."""
    try:
        with session.begin_nested():
            session.execute(insert(key_rows).values(
                key_id=head["key_id"], public_key=pem, first_used_at=head["timestamp"]))
    except IntegrityError:
        pass  # the other process's row says the same key, a moment earlier


def ship(settings: Settings, head: dict[str, Any]) -> None:
    """Append the head to the JSON-lines file (one write: whole lines even from several
    processes)."""
    path = signing_keys.log_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(head, sort_keys=True) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def shipped(settings: Settings) -> list[dict[str, Any]]:
    """The heads in the shipped file (none if it does not exist)."""
    path: Path = signing_keys.log_path(settings)
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def as_head(row: Any) -> dict[str, Any]:
    return {key: getattr(row, key) for key in FIELDS}


def latest(session: Session) -> dict[str, Any] | None:
    """The latest head a trusted key signed (one written by anyone else is never served)."""
    found = _trusted(session, select(head_rows).order_by(
        head_rows.c.tree_size.desc(), head_rows.c.timestamp.desc()), 1)
    return found[0] if found else None


def at_size(session: Session, tree_size: int) -> dict[str, Any] | None:
    """The latest trusted head signed at `tree_size`."""
    found = _trusted(session, select(head_rows).where(head_rows.c.tree_size == tree_size)
                     .order_by(head_rows.c.timestamp.desc()), 1)
    return found[0] if found else None


def page(session: Session, after_size: int, limit: int) -> list[dict[str, Any]]:
    """Up to `limit` trusted heads of size above `after_size`, by size then time."""
    return _trusted(session, select(head_rows).where(head_rows.c.tree_size > after_size)
                    .order_by(head_rows.c.tree_size, head_rows.c.timestamp), limit)


def _trusted(session: Session, query: Select[Any], wanted: int) -> list[dict[str, Any]]:
    """The first `wanted` heads of `query` that verify with a configured key: the table is a
    cache anyone with write access could add to, and trust comes from configuration only."""
    keys = signing_keys.trusted(get_settings())
    query = query.where(head_rows.c.key_id.in_(list(keys)))
    found: list[dict[str, Any]] = []
    offset = 0
    while len(found) < wanted:  # more than one round only past heads that fail to verify
        rows = session.execute(query.offset(offset).limit(wanted + SCAN_AHEAD)).all()
        found += [h for h in map(as_head, rows) if tree_heads.check(h, keys) is None]
        if len(rows) < wanted + SCAN_AHEAD:
            break
        offset += len(rows)
    return found[:wanted]


def all_heads(session: Session) -> list[dict[str, Any]]:
    """Every head stored, trusted or not (verify and the exported log's reader check each),
    oldest first."""
    return [as_head(r) for r in session.execute(select(head_rows).order_by(
        head_rows.c.timestamp, head_rows.c.tree_size))]


def first_used(session: Session) -> dict[str, str]:
    """When each key id signed its first head, as the database says (informational)."""
    rows = session.execute(select(head_rows.c.key_id, func.min(head_rows.c.timestamp))
                           .group_by(head_rows.c.key_id))
    return {kid: str(at) for kid, at in rows}


def listed_keys(session: Session) -> list[dict[str, Any]]:
    """The keys the database lists (its cache of the signer's keys): id and PEM."""
    return [{"key_id": r.key_id, "public_key": r.public_key}
            for r in session.execute(select(key_rows).order_by(key_rows.c.first_used_at))]


def next_due_in(settings: Settings) -> float:
    """Seconds until the signer's next scheduled head, at least one."""
    with read_scope() as session:
        last = latest(session)
    if last is None:
        return max(1.0, settings.checkpoint_interval_seconds)
    signed = datetime.fromisoformat(str(last["timestamp"]).replace("Z", "+00:00"))
    elapsed = (datetime.now(UTC) - signed).total_seconds()
    left = settings.checkpoint_interval_seconds - elapsed % settings.checkpoint_interval_seconds
    return max(1.0, left)
