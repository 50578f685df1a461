"""Tamper evidence: every stored event's hash chains to the one before it; an edited or deleted
row is named by verify (SQLite and PostgreSQL)."""

from bench.scenario import TYPES, scenario
from commands.audit.store import stream_records
from commands.audit.verify import verify_store
from commands.ledger import Ledger
from core.proofs.canonical import GENESIS
from tests.support.tampering import delete_row, edit_row
from tools.verify_export import chain_link


def test_each_stored_event_carries_a_hash_chained_to_the_previous(any_ledger: Ledger) -> None:
    s = scenario(any_ledger)
    records = list(stream_records(any_ledger, s.event_id))

    assert [r["type"] for r in records] == TYPES
    previous = GENESIS
    for r in records:
        assert r["chain"] == chain_link(previous, r)
        previous = r["chain"]
    assert verify_store(any_ledger)["chain"] == {"ok": True, "broken": []}


def test_an_edited_row_is_named_with_the_hash_expected_and_found(any_ledger: Ledger) -> None:
    s = scenario(any_ledger)
    original = list(stream_records(any_ledger, s.event_id))[1]["chain"]
    edit_row(any_ledger, s.event_id, 2, user_name="Mallory")

    report = verify_store(any_ledger)

    assert not report["ok"]
    (link,) = report["chain"]["broken"]
    assert (link["stream"], link["version"]) == (str(s.event_id), 2)
    assert link["found"] == original != link["expected"]
    assert "altered" in link["reason"]
    (event,) = report["events"]
    assert [(p["rule"], p["version"]) for p in event["problems"]] == [("chain", 2)]


def test_a_deleted_row_breaks_the_link_after_it(any_ledger: Ledger) -> None:
    s = scenario(any_ledger)
    delete_row(any_ledger, s.event_id, 4)

    report = verify_store(any_ledger)

    (link,) = report["chain"]["broken"]
    assert (link["version"], link["previous_version"]) == (5, 3)
    assert "version 4 missing" in link["reason"]
    rules = {p["rule"] for p in report["events"][0]["problems"]}
    # The lost cancellation shows in the rules, and its booking's own stream still tells it.
    assert rules == {"chain", "event_cancellation", "booking_stream"}


def test_rehashing_an_edited_row_is_caught_at_the_next_link(any_ledger: Ledger) -> None:
    s = scenario(any_ledger)
    records = list(stream_records(any_ledger, s.event_id))
    forged = records[1] | {"payload": records[1]["payload"] | {"user_name": "Mallory"}}
    edit_row(any_ledger, s.event_id, 2, user_name="Mallory",
             chain=chain_link(records[0]["chain"], forged))

    (link,) = verify_store(any_ledger)["chain"]["broken"]

    assert link["version"] == 3
