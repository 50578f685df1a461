"""Verify compares each booking's own stream with its event's: a deleted stream, or a row
deleted off the end of one (which no chain can show: nothing follows it), is reported."""

from uuid import UUID

from bench.scenario import scenario
from commands.audit.verify import verify_store
from commands.ledger import Ledger
from tests.support.tampering import delete_row, edit_row


def problems(ledger: Ledger) -> list[tuple[str, str]]:
    report = verify_store(ledger)
    assert report["chain"]["ok"]  # what is wrong here, no chain shows
    return [(p["rule"], p["message"]) for e in report["events"] for p in e["problems"]]


def test_a_clean_ledger_tells_every_booking_twice_alike(any_ledger: Ledger) -> None:
    scenario(any_ledger)
    assert problems(any_ledger) == []


def test_a_deleted_booking_stream_is_reported(any_ledger: Ledger) -> None:
    s = scenario(any_ledger)
    second = UUID(str(s.bookings[1]["id"]))  # registered, then cancelled with the event
    for version in (2, 1):
        delete_row(any_ledger, second, version)
    assert problems(any_ledger) == [
        ("booking_stream", f"booking {second} has no stream of its own (deleted?)")]


def test_a_cancellation_deleted_off_a_booking_stream_is_reported(any_ledger: Ledger) -> None:
    s = scenario(any_ledger)
    first = UUID(str(s.bookings[0]["id"]))  # registered, then cancelled by its owner
    delete_row(any_ledger, first, 2)
    assert problems(any_ledger) == [
        ("booking_stream", f"booking {first} differs on its own stream: cancellation")]


def test_a_booking_stream_naming_other_seats_is_reported(any_ledger: Ledger) -> None:
    s = scenario(any_ledger)
    third = UUID(str(s.bookings[2]["id"]))
    edit_row(any_ledger, third, 2, code="forged")  # its check-in, re-hashed by no one
    report = verify_store(any_ledger)
    assert not report["chain"]["ok"]  # an edit in place breaks the chain, as anywhere
    found = [(p["rule"], p["message"]) for e in report["events"] for p in e["problems"]]
    assert ("booking_stream", f"booking {third} differs on its own stream: check-ins") in found


def test_a_booking_stream_telling_another_canceller_or_reason_is_reported(
    any_ledger: Ledger,
) -> None:
    s = scenario(any_ledger)
    first = UUID(str(s.bookings[0]["id"]))  # registered, then cancelled by its owner
    edit_row(any_ledger, first, 2, cancelled_by="admin", stated_reason="fraud")
    report = verify_store(any_ledger)
    assert not report["chain"]["ok"]  # an edit in place breaks the chain, as anywhere
    found = [(p["rule"], p["message"]) for e in report["events"] for p in e["problems"]]
    assert ("booking_stream",
            f"booking {first} differs on its own stream: who cancelled and why") in found
