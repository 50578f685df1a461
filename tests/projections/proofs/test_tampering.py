"""Each way of tampering with the store, on PostgreSQL, as the tables' owner: the live verify
(TreeCheck over the store against the signed heads) and the offline tool both report it."""

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from bench.scenario import scenario
from commands.audit.store import head, stream_records
from commands.audit.verify import verify_store
from commands.ledger import Ledger
from core.proofs import tree_heads
from core.settings import ROOT, Settings
from projections.proofs import checkpoints, export, signing_keys, tree
from projections.proofs.verify import TreeCheck
from query_api.service.app import create_app
from tests.conftest import configure
from tests.stack import as_owner
from tests.support.tampering import edit_row
from tools.verify_export import chain_link


@dataclass
class Signed:
    """A ledger with two events' histories, each followed by a signed head."""

    ledger: Ledger
    settings: Settings
    first: UUID  # its events are all in both heads
    second: UUID  # its events came after the first head
    gap: int  # a position no event took (burnt before the second history), below the heads


@pytest.fixture
def signed(pg_settings: Settings) -> Iterator[Signed]:
    ledger = Ledger(pg_settings)
    first = scenario(ledger).event_id
    tree.advance(ledger.eventlog)
    checkpoints.sign(pg_settings)
    signed = Signed(ledger, pg_settings, first, first, head(ledger) + 1)
    sql(signed, "SELECT nextval('ledger_events_notification_id_seq')")  # as a failed insert
    signed.second = scenario(ledger).event_id
    tree.advance(ledger.eventlog)
    checkpoints.sign(pg_settings)
    yield signed
    ledger.close()


def sql(s: Signed, statement: str, **params: object) -> None:
    engine = create_engine(as_owner(s.settings.database_url))
    try:
        with engine.begin() as conn:
            conn.execute(text(statement), params)
    finally:
        engine.dispose()


def rows(s: Signed, stream: UUID) -> list[int]:
    """The positions of a stream's stored events, by version."""
    return [r["position"] for r in stream_records(s.ledger, stream)]


def edit_byte(s: Signed) -> None:
    edit_row(s.ledger, s.first, 2, quantity=3)


def delete_middle(s: Signed) -> None:
    sql(s, "DELETE FROM ledger_events WHERE originator_id = :id AND originator_version = 5",
        id=s.first)


def truncate_tail(s: Signed) -> None:
    sql(s, "DELETE FROM ledger_events WHERE originator_id = :id AND originator_version > 7",
        id=s.second)


def delete_stream(s: Signed) -> None:
    sql(s, "DELETE FROM ledger_events WHERE originator_id = :id", id=s.first)


def reorder(s: Signed) -> None:
    a, b = rows(s, s.first)[1], rows(s, s.second)[1]
    sql(s, "UPDATE ledger_events SET notification_id = -1 WHERE notification_id = :a", a=a)
    sql(s, "UPDATE ledger_events SET notification_id = :a WHERE notification_id = :b", a=a, b=b)
    sql(s, "UPDATE ledger_events SET notification_id = :b WHERE notification_id = -1", b=b)


def rechained_edit(s: Signed) -> None:
    records = list(stream_records(s.ledger, s.first))
    previous = records[0]["chain"]
    for found in records[1:]:
        r = found
        if r["version"] == 2:
            r = r | {"payload": r["payload"] | {"user_name": "Mallory"}}
        chain = chain_link(previous, r)
        changes = {"chain": chain} | ({"user_name": "Mallory"} if r["version"] == 2 else {})
        edit_row(s.ledger, s.first, r["version"], **changes)
        previous = chain


def forged_positions(s: Signed) -> None:
    # A whole new stream slipped in among signed positions: a copy of the first event's
    # creation under a new id, in a gap of the log (a position a failed insert burnt).
    sql(s, "INSERT INTO ledger_events (originator_id, originator_version, topic, state, "
           "notification_id) SELECT :new, 1, topic, state, :p FROM ledger_events "
           "WHERE originator_id = :id AND originator_version = 1",
        new=uuid4(), id=s.first, p=s.gap)


def delete_checkpoint(s: Signed) -> None:
    sql(s, "DELETE FROM tree_heads WHERE tree_size = (SELECT min(tree_size) FROM tree_heads)")


Tamper = Callable[[Signed], None]
KINDS: dict[str, tuple[Tamper, str, str]] = {
    # kind: (tamper, what the live check says, what the offline tool says)
    "byte edited": (edit_byte, "edited", "hash mismatch: the event was altered"),
    "row deleted mid-stream": (delete_middle, "deleted", "events are missing or moved"),
    "stream tail truncated": (truncate_tail, "missing", "signed events are missing"),
    "whole stream deleted": (delete_stream, "deleted", "signed events are missing"),
    "two events reordered": (reorder, "edited", "events are missing or moved"),
    "edit with chain recomputed": (rechained_edit, "root", "was edited, deleted, inserted or "
                                                           "moved"),
    "rows appended with forged positions": (forged_positions, "inserted",
                                            "was edited, deleted, inserted or moved"),
    "checkpoint row deleted": (delete_checkpoint, "checkpoint_deleted",
                               "is not in the export: it was deleted from the database"),
}


def live(s: Signed) -> dict[str, object]:
    tree = TreeCheck()
    verify_store(s.ledger, observers=[tree])
    return tree.report()


def offline(s: Signed, tmp: Path) -> subprocess.CompletedProcess[str]:
    log_file, keys = tmp / "log.jsonl", tmp / "keys.json"
    log_file.write_text("".join(export.log_lines(s.ledger.eventlog)), encoding="utf-8")
    keys.write_text(json.dumps({"keys": signing_keys.published(s.settings)}), encoding="utf-8")
    shipped = signing_keys.log_path(s.settings)
    return subprocess.run(  # noqa: S603 - our own tool on our own files
        [sys.executable, "-I", str(ROOT / "tools" / "verify_export.py"), str(log_file),
         "--key", str(keys), "--heads", str(shipped)],
        capture_output=True, text=True, timeout=60, check=False)


def test_an_untouched_store_verifies_live_and_offline(signed: Signed, tmp_path: Path) -> None:
    report = live(signed)
    assert report["ok"], report
    assert report["heads_checked"] == 2
    result = offline(signed, tmp_path)
    assert result.returncode == 0, result.stdout
    assert "2 signed heads verify" in result.stdout
    assert "consecutive heads are consistent" in result.stdout


@pytest.mark.parametrize("kind", KINDS)
def test_each_tamper_kind_is_reported_live_and_offline(
    kind: str, signed: Signed, tmp_path: Path
) -> None:
    tamper, live_kind, offline_says = KINDS[kind]
    tamper(signed)

    report = live(signed)
    assert not report["ok"]
    kinds = {p["kind"] for p in report["problems"]}  # type: ignore[attr-defined]
    assert live_kind in kinds, report["problems"]

    result = offline(signed, tmp_path)
    assert result.returncode == 1, result.stdout
    assert result.stdout.startswith("BROKEN:")
    assert offline_says in result.stdout, result.stdout


def test_a_key_and_head_forged_in_the_database_are_not_believed(
    signed: Signed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stranger = Ed25519PrivateKey.generate()
    latest = checkpoints.shipped(signed.settings)[-1]
    forged = tree_heads.sign(stranger, latest["tree_size"], latest["root_hash"])
    # As the tables' owner, straight into the database: a key row, made the newest, and a
    # head it signed over the very tree the signer signed.
    sql(signed, "INSERT INTO tree_keys (key_id, public_key, first_used_at) "
                "VALUES (:k, :pem, :at)", k=forged["key_id"],
        pem=tree_heads.public_pem(stranger.public_key()), at=forged["timestamp"])
    sql(signed, "INSERT INTO tree_heads (tree_size, root_hash, timestamp, key_id, signature) "
                "VALUES (:tree_size, :root_hash, :timestamp, :key_id, :signature)", **forged)

    configure(monkeypatch, DATABASE_URL=signed.settings.database_url,
              SECRET_KEY="a-test-secret-key-of-at-least-32-bytes")
    with TestClient(create_app()) as client:
        advertised = client.get("/api/audit/public-key").json()
    assert forged["key_id"] not in {k["key_id"] for k in advertised["keys"]}
    assert advertised["key_id"] == latest["key_id"]

    report = live(signed)
    problems = {p["kind"]: p["message"] for p in report["problems"]}  # type: ignore[attr-defined]
    assert forged["key_id"] in problems["untrusted_key"], problems
    assert f"sizes {latest['tree_size']}" in problems["untrusted_key"]
    assert "not one of the trusted keys" in problems["signature"], problems

    result = offline(signed, tmp_path)
    assert result.returncode == 1, result.stdout
    assert f"signed with key {forged['key_id']}, which is not one of the trusted keys" in \
        result.stdout, result.stdout
