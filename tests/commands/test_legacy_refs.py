"""Bookings registered before a booking's stream held its facts (Booking version 1) are
completed from their event's stream: read, cancelled and checked in like any other, and the
store still verifies (SQLite and PostgreSQL)."""

from uuid import UUID

import pytest

from commands.audit.verify import verify_store
from commands.domain.booking import Booking
from commands.domain.errors import DomainError
from commands.ledger import Ledger
from tests.commands.audit.test_redacted_export import LEGACY, load_legacy_store

# Passwords hashed at a test's cost (tests/fixtures/api.py).
pytestmark = pytest.mark.usefixtures("cheap_hashing")

# The legacy store's bookings (tests/commands/legacy): on the cancelled scenario event, one
# cancelled by its owner, one with a ticket used before the event was cancelled; and the
# open event's one confirmed booking.
CANCELLED = UUID("a35b33a8-6114-45e7-a572-f1a3d65022c1")
USED_THEN_EVENT_CANCELLED = UUID("055c3f53-4e0e-4987-a415-62349b11b036")
OPEN = UUID("4440e1a0-c7da-4a6c-bd50-75de18518b5b")


def refused(act: object, code: str) -> None:
    with pytest.raises(DomainError) as refusal:
        act()  # type: ignore[operator]
    assert refusal.value.code == code


def test_a_version_1_ref_reads_as_its_event_recorded_the_booking(any_ledger: Ledger) -> None:
    load_legacy_store(any_ledger)
    ref: object = any_ledger.store.repository.get(OPEN)
    assert isinstance(ref, Booking) and not ref.complete  # as stored: no facts
    gone = any_ledger.booking(CANCELLED)
    assert (gone["status"], gone["category"], gone["quantity"]) == ("cancelled", "General", 2)
    assert gone["cancelled_at"] is not None
    used = any_ledger.booking(USED_THEN_EVENT_CANCELLED)
    assert (used["status"], used["quantity"]) == ("cancelled", 3)
    assert {t["status"] for t in used["tickets"]} == {"cancelled"}
    live = any_ledger.booking(OPEN)
    assert (live["status"], live["category"], live["quantity"]) == ("confirmed", "General", 2)
    assert {t["code"] for t in live["tickets"]} <= set(LEGACY["ticket_codes"])
    assert live["total_amount"] == live["unit_price"] * 2 and live["created_at"] is not None


def test_a_version_1_ref_is_cancelled_and_refused_on_its_completed_state(
    any_ledger: Ledger,
) -> None:
    load_legacy_store(any_ledger)
    event_id = UUID(LEGACY["open_event_id"])
    available = any_ledger.event(event_id).available("General")
    code = any_ledger.booking(OPEN)["tickets"][0]["code"]

    cancelled = any_ledger.cancel_booking(OPEN)

    assert cancelled.view["status"] == "cancelled"
    assert any_ledger.event(event_id).available("General") == available + 2
    assert any_ledger.booking(OPEN) == cancelled.view
    refused(lambda: any_ledger.cancel_booking(OPEN), "ALREADY_CANCELLED")
    refused(lambda: any_ledger.check_in(event_id, code, OPEN), "TICKET_CANCELLED")
    refused(lambda: any_ledger.cancel_booking(CANCELLED), "ALREADY_CANCELLED")
    assert verify_store(any_ledger)["chain"] == {"ok": True, "broken": []}


def test_cancelling_an_event_cancels_its_version_1_bookings_on_both_streams(
    any_ledger: Ledger,
) -> None:
    load_legacy_store(any_ledger)
    event_id = UUID(LEGACY["open_event_id"])

    any_ledger.cancel_event(event_id)

    assert any_ledger.booking(OPEN)["status"] == "cancelled"
    assert any_ledger.event(event_id).available("General") == any_ledger.event(
        event_id).categories["General"]["capacity"]
    own = [type(e).__name__ for e in any_ledger.store.events.get(OPEN)]
    assert own == ["Registered", "Cancelled"]
    report = verify_store(any_ledger)
    assert report["chain"]["ok"] and report["ok"], report
