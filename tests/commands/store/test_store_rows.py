"""One save of many aggregates: every event is stored once, in order, with its own position."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from bench.scenario import new_event
from commands.application.seat_requests import new_ticket_code
from commands.domain.booking import Booking
from commands.ledger import Ledger


def test_a_save_of_many_aggregates_answers_each_event_its_own_row(any_ledger: Ledger) -> None:
    event = any_ledger.event(new_event(any_ledger))
    refs = []
    for _ in range(12):
        booking_id, user = uuid4(), str(uuid4())
        event.book(booking_id=booking_id, user_id=user, user_name="Ann", category=None,
                   quantity=1, ticket_codes=[new_ticket_code()], now=datetime.now(UTC))
        refs.append(Booking(id=booking_id, event_id=event.id, user_id=user, fingerprint="f"))
    saved = any_ledger.store.save(event, *refs)
    assert [r.domain_event.originator_id for r in saved] == [event.id] * 12 + [r.id for r in refs]
    stored = {(n.originator_id, n.originator_version): (n.id, n.topic, n.state)
              for n in any_ledger.recorder.select_notifications(start=1, limit=1000)}
    for recording in saved:
        row = stored[(recording.domain_event.originator_id,
                      recording.domain_event.originator_version)]
        assert row[0] == recording.notification.id  # the position answered is that event's row
        assert row[1:] == (recording.notification.topic, recording.notification.state)
    positions = [r.notification.id for r in saved]
    assert positions == sorted(positions)  # in the order saved
    assert any_ledger.event(event.id).version == event.version  # and it loads back whole


def test_a_conflicting_save_stores_none_of_its_events_and_the_next_save_goes_through(
    any_ledger: Ledger,
) -> None:
    event_id = new_event(any_ledger)
    first, second = any_ledger.event(event_id), any_ledger.event(event_id)
    first.update_details({"description": "one"}, now=datetime.now(UTC))
    second.update_details({"description": "two"}, now=datetime.now(UTC))
    ref = Booking(id=uuid4(), event_id=event_id, user_id="u", fingerprint="f")
    any_ledger.store.save(first)
    with pytest.raises(IntegrityError):
        any_ledger.store.save(ref, second)  # the ref is fine; the event's version is taken
    with pytest.raises(AggregateNotFoundError):
        any_ledger.store.repository.get(ref.id)  # all or nothing
    again = any_ledger.event(event_id)
    again.update_details({"description": "three"}, now=datetime.now(UTC))
    any_ledger.store.save(again)  # the connection came back clean
    assert any_ledger.event(event_id).description == "three"
