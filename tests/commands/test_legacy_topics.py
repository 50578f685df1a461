"""Events and a snapshot stored before the aggregate was split into modules (`commands.events`,
`commands.decisions`, `commands.organizers`) still decode under their stored topics
(`commands.aggregate:Event.<Name>`), their chains still verify and the snapshot is still used.

`legacy/every_event_store.json` was written by the code at commit 6647a23, the aggregate in one
module: a stream with every kind of event but the event's cancellation, a snapshot of it at
version 12 (sealed with the file's `snapshot_key`), and a cancelled stream.
"""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import CanMutateAggregate
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from prometheus_client import REGISTRY

from commands.audit.verify import verify_store
from commands.domain.chain import ENVELOPE, payload
from commands.domain.event import Event
from commands.ledger import Ledger
from core.db import reset_singletons
from ops.migrate import migrate
from tests.conftest import configure

# Passwords hashed at a test's cost (tests/fixtures/api.py).
pytestmark = pytest.mark.usefixtures("cheap_hashing")

STORE = json.loads((Path(__file__).parent / "legacy" / "every_event_store.json").read_text())


def stored(row: dict[str, Any]) -> StoredEvent:
    return StoredEvent(UUID(row["originator_id"]), row["originator_version"], row["topic"],
                       row["state"].encode())


@pytest.fixture
def keyed_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ledger]:
    """A ledger on SQLite whose snapshot key is the one the stored snapshot was sealed with."""
    settings = configure(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'ledger.db'}",
                         SNAPSHOT_KEY=STORE["snapshot_key"])
    migrate(settings)
    ledger = Ledger(settings)
    yield ledger
    ledger.close()
    reset_singletons()


# Kinds of event that came after the store was written: none was stored under an old topic.
LATER = {"CoOrganizerInvited", "CoOrganizerAccepted", "CoOrganizerDeclined",
         "CoOrganizerInvitationWithdrawn", "SeatsHeld", "HoldConfirmed", "HoldReleased",
         "HoldExpired", "WaitlistJoined", "WaitlistLeft", "HoldKeptForPayment",
         "TicketsCancelled", "EventPublished", "TicketCheckInUndone", "PublicationScheduled",
         "PaymentMethodsChosen", "VouchersCreated", "VoucherDisabled", "TaxesSet"}


def domain_event_names() -> set[str]:
    return {name for name, value in vars(Event).items()
            if isinstance(value, type) and issubclass(value, CanMutateAggregate)
            and name != "Event"} - LATER


def test_every_kind_of_event_stored_before_the_split_decodes_under_its_old_topic(
    keyed_ledger: Ledger,
) -> None:
    topics = {row["topic"] for row in STORE["rows"]}
    assert topics == {f"commands.aggregate:Event.{name}" for name in domain_event_names()}
    for row in STORE["rows"]:
        event = keyed_ledger.mapper.to_domain_event(stored(row))
        assert get_topic(type(event)) == row["topic"]
        assert type(event) is getattr(Event, type(event).__name__)  # the aggregate's own class
        assert event.originator_version == row["originator_version"]


def test_a_store_written_before_the_split_verifies_and_its_snapshot_is_used(
    keyed_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyed_ledger.recorder.insert_events([stored(row) for row in STORE["rows"]])
    assert keyed_ledger.snapshots is not None
    [snapshot] = STORE["snapshots"]
    assert snapshot["topic"] == "commands.aggregate:Event.Snapshot"
    keyed_ledger.snapshots.recorder.insert_events([stored(snapshot)])
    before = refusals()

    event_id = UUID(STORE["event_id"])
    replayed = replay(keyed_ledger.store.repository.event_store.get(event_id))
    read: list[int] = []
    select = keyed_ledger.recorder.select_events

    def counted(*args: Any, **kwargs: Any) -> Any:
        rows = select(*args, **kwargs)
        read.extend(r.originator_version for r in rows)
        return rows

    monkeypatch.setattr(keyed_ledger.recorder, "select_events", counted)
    event = keyed_ledger.event(event_id)
    assert read == [12, 13, 14]  # from the snapshot at 12: its own event, then the later ones
    assert refusals() == before  # sealed, and fitting its chain
    monkeypatch.undo()
    assert vars(event) == vars(replayed)
    assert event.status == "completed" and event.organizer_id == "org-2"
    assert event.co_organizers == {"co-2": "Cyd"} and event.name == "Every event, renamed"
    cancelled = keyed_ledger.event(UUID(STORE["cancelled_id"]))
    assert cancelled.status == "cancelled" and cancelled.available_seats == 3

    report = verify_store(keyed_ledger)
    assert report["chain"] == {"ok": True, "broken": []}
    assert report["snapshots"] == {"ok": True, "checked": 1, "unsealed": 0, "bad": []}
    # Written by saving the aggregate alone, not through the ledger: its 4 bookings have no
    # streams of their own, and that is all verify finds.
    problems = [p for e in report["events"] for p in e["problems"]]
    assert {p["rule"] for p in problems} == {"booking_stream"} and len(problems) == 4
    assert all(p["message"].endswith("has no stream of its own (deleted?)") for p in problems)


def test_cancellations_stored_before_they_said_who_and_why_decode_without_either(
    keyed_ledger: Ledger,
) -> None:
    """Who cancelled and why are fields with defaults: absent from older events, which decode
    with None and keep the payload (so the hash) they were recorded with."""
    kinds = (".BookingCancelled", ".EventCancelled")
    rows = [row for row in STORE["rows"] if row["topic"].endswith(kinds)]
    assert {row["topic"].rsplit(".", 1)[1] for row in rows} == {"BookingCancelled",
                                                                 "EventCancelled"}
    for row in rows:
        event = keyed_ledger.mapper.to_domain_event(stored(row))
        assert event.cancelled_by is None  # type: ignore[attr-defined]
        said = "stated_reason" if isinstance(event, Event.BookingCancelled) else "reason"
        assert getattr(event, said) is None
        assert payload(event).keys() == json.loads(row["state"]).keys() - ENVELOPE


def replay(events: Iterator[Any]) -> Any:
    """The stream's events alone, from the first: no snapshot."""
    aggregate = None
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


def refusals() -> float:
    return sum(REGISTRY.get_sample_value("ledger_snapshots_refused_total", {"reason": r}) or 0
               for r in ("seal", "chain", "unreadable"))


def test_a_fresh_process_decodes_stored_topics_before_importing_the_domain() -> None:
    decode = ("from eventsourcing.utils import resolve_topic as r; "
              "print(r('commands.aggregate:Event.Created').__qualname__, "
              "r('commands.booking_ref:BookingRef.Registered').__qualname__)")
    done = subprocess.run([sys.executable, "-c", decode], capture_output=True, text=True,  # noqa: S603
                          check=False, cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.split() == ["Event.Created", "Booking.Registered"], done.stderr
