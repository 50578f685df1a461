"""Exports show ticket codes as digests and still verify offline; stores whose events were
hashed over raw codes (form 1, before digests) still verify (SQLite and PostgreSQL)."""

import json
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from sqlalchemy import text

from bench.scenario import scenario
from commands.audit.store import export_lines, stream_records
from commands.audit.verify import verify_store
from commands.domain.chain import digest
from commands.ledger import Ledger
from core.db import get_engine
from ops.cli import main
from projections import catch_up
from projections.verify import verify_ledger
from tests.support.tampering import edit_row
from tools import verify_export

DATA = Path(__file__).parents[1] / "legacy"
# Written by the code before digests (commit a555509): the audit scenario, then an open event
# with one booking; and `ledger export` of the scenario's event as that code wrote it.
LEGACY = json.loads((DATA / "legacy_store.json").read_text())


def offline(
    tmp_path: Path, lines: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """tools/verify_export.py on these lines: its exit status and what it printed."""
    path = tmp_path / "export.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    status = verify_export.main([str(path)])
    return status, capsys.readouterr().out


def test_a_redacted_export_verifies_and_still_catches_edits_deletions_and_swapped_digests(
    any_ledger: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = scenario(any_ledger)
    codes = [t["code"] for b in s.bookings for t in b["tickets"]]
    lines = list(export_lines(any_ledger, s.event_id))
    text = "".join(lines)
    assert [c for c in codes if c in text] == []
    assert all(digest(c) in text for c in codes)

    assert offline(tmp_path, lines, capsys) == (0, offline_ok(lines))
    edited = [lines[0], lines[1].replace('"quantity": 2', '"quantity": 1'), *lines[2:]]
    status, out = offline(tmp_path, edited, capsys)
    assert status == 1 and "line 2 (version 2): hash mismatch" in out
    status, out = offline(tmp_path, lines[:3] + lines[4:], capsys)
    assert status == 1 and "line 4: version 5 follows 3" in out
    checked_in = codes[3]  # the first ticket of the third booking (version 6), used at version 7
    swapped = lines[6].replace(digest(checked_in), digest(codes[4]))
    assert swapped != lines[6]
    status, out = offline(tmp_path, [*lines[:6], swapped, *lines[7:]], capsys)
    assert status == 1 and "line 7 (version 7): hash mismatch" in out


def offline_ok(lines: list[str]) -> str:
    last = json.loads(lines[-1])["chain"]
    return f"OK: {len(lines)} events, versions 1..{len(lines)}, chain intact; last hash {last}\n"


def test_a_line_passed_off_as_legacy_never_verifies_as_ok(
    any_ledger: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = list(export_lines(any_ledger, scenario(any_ledger).event_id))

    def legacy(line: str, **changes: object) -> str:
        record = json.loads(line)
        record["payload"] |= changes
        return json.dumps(record | {"form": 1, "redacted": True}) + "\n"

    status, out = offline(tmp_path, [lines[0], legacy(lines[1], quantity=1), *lines[2:]], capsys)
    assert status == 1 and "line 2 (version 2): form 1 after form 2" in out
    status, out = offline(tmp_path, [legacy(lines[0], name="Forged"), *lines[1:]], capsys)
    assert status == 3 and out.startswith("PARTIAL: 10 events") and "(versions 1:" in out


def load_legacy_store(ledger: Ledger) -> None:
    """The legacy rows, inserted as stored (their hashes cover raw ticket codes)."""
    ledger.recorder.insert_events([
        StoredEvent(UUID(r["originator_id"]), r["originator_version"], r["topic"],
                    json.dumps(r["state"], separators=(",", ":")).encode())
        for r in LEGACY["rows"]
    ])


def test_a_store_hashed_over_raw_codes_still_verifies_in_the_store_and_offline(
    any_ledger: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_legacy_store(any_ledger)
    event_id = UUID(LEGACY["event_id"])
    assert verify_store(any_ledger)["chain"] == {"ok": True, "broken": []}
    assert {r["form"] for r in stream_records(any_ledger, event_id)} == {1}

    redacted = list(export_lines(any_ledger, event_id))
    assert [c for c in LEGACY["ticket_codes"] if c in "".join(redacted)] == []
    status, out = offline(tmp_path, redacted, capsys)
    assert status == 3 and "4 legacy links were taken as stored (versions 2, 3, 6, 7" in out
    whole = list(export_lines(any_ledger, event_id, legacy_codes=True))
    assert offline(tmp_path, whole, capsys) == (0, offline_ok(whole))
    written_before = (DATA / "legacy_export.jsonl").read_text().splitlines(keepends=True)
    assert offline(tmp_path, written_before, capsys) == (0, offline_ok(written_before))

    edit_row(any_ledger, event_id, 6, user_name="Mallory")
    (link,) = verify_store(any_ledger)["chain"]["broken"]
    assert (link["version"], link["reason"]) == (6, "hash mismatch: the stored event was altered")


def test_events_appended_to_a_legacy_stream_are_hashed_over_digests(
    any_ledger: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_legacy_store(any_ledger)
    event_id = UUID(LEGACY["open_event_id"])
    booked = any_ledger.book(event_id, user_id=UUID(int=7), user_name="Ann", category=None,
                             quantity=1).view
    any_ledger.check_in(event_id, booked["tickets"][0]["code"], booked["id"])
    assert datetime(2099, 1, 1, tzinfo=UTC) > datetime.now(UTC)  # the event is still open

    assert [r["form"] for r in stream_records(any_ledger, event_id)] == [1, 1, 2, 2]
    assert verify_store(any_ledger)["chain"] == {"ok": True, "broken": []}
    lines = list(export_lines(any_ledger, event_id))
    assert booked["tickets"][0]["code"] not in "".join(lines)
    status, out = offline(tmp_path, lines, capsys)
    assert status == 3 and "1 legacy links were taken as stored (versions 2:" in out
    whole = list(export_lines(any_ledger, event_id, legacy_codes=True))
    assert offline(tmp_path, whole, capsys) == (0, offline_ok(whole))


def test_drift_in_the_tickets_table_is_reported_by_digest(any_ledger: Ledger) -> None:
    s = scenario(any_ledger)
    catch_up.advance_all(any_ledger.eventlog)
    used = s.bookings[2]["tickets"][0]["code"]
    with get_engine().begin() as conn:
        conn.execute(text("DELETE FROM tickets WHERE code = :code"), {"code": used})

    report = verify_ledger(any_ledger)

    (gone,) = report["projections"]["bookings"]["differences"]
    assert gone["key"] == {"code": digest(used)} and gone["found"] is None
    assert gone["expected"]["code"] == digest(used) and gone["expected"]["used_at"]
    codes = [t["code"] for b in s.bookings for t in b["tickets"]]
    assert [c for c in codes if c in json.dumps(report, default=str)] == []


def test_ledger_export_writes_legacy_codes_only_when_asked(
    ledger: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_legacy_store(ledger)
    export = tmp_path / "event.jsonl"

    assert main(["export", LEGACY["event_id"], "-o", str(export)]) == 0
    assert [c for c in LEGACY["ticket_codes"] if c in export.read_text()] == []
    assert verify_export.main([str(export)]) == 3
    assert main(["export", LEGACY["event_id"], "-o", str(export), "--legacy-codes"]) == 0
    assert verify_export.main([str(export)]) == 0
    assert "OK: 10 events" in capsys.readouterr().out
