"""Which webhook type each domain event of the checkout and the waiting line is sent as."""

import json
from uuid import uuid4

from bench.scenario import book, new_event
from commands.application.seat_requests import SeatFields
from commands.ledger import Ledger
from workers.webhooks.event_types import body, webhook_types


def test_holds_offers_and_places_are_sent_under_their_own_types(ledger: Ledger) -> None:
    event_id = new_event(ledger, categories=[{"name": "General", "price": "9.00",
                                              "capacity": 2}])
    def buyer() -> SeatFields:
        return {"user_id": uuid4(), "user_name": "Ann", "category": None, "quantity": 1}

    released = ledger.hold(event_id, **buyer()).view["id"]
    ledger.release_hold(released)
    ledger.confirm_hold(ledger.hold(event_id, **buyer()).view["id"])
    sold = book(ledger, event_id)
    ledger.join_waitlist(event_id, **buyer())
    ledger.cancel_booking(sold["id"])
    ledger.offer_to_waitlist(event_id)

    stream = list(ledger.store.events.get(event_id))
    kinds = [webhook_types(e) for e in stream]

    assert kinds == [("event.created",), ("hold.created",), ("hold.released",),
                     ("hold.created",), ("booking.created", "hold.confirmed"),
                     ("booking.created",), ("waitlist.joined",), ("booking.cancelled",),
                     ("waitlist.offered",)]
    offered = body("waitlist.offered", stream[-1], 7)
    assert '"offer_for":' in offered and '"position":7' in offered
    confirmed = body("hold.confirmed", stream[4], 5)
    assert f'"hold_id":"{vars(stream[3])["hold_id"]}"' in confirmed and '"ticket_codes":["sha256:' \
        in confirmed


def test_bookings_and_holds_are_sent_with_their_lines_and_each_ticket_s_category(
    ledger: Ledger,
) -> None:
    event_id = new_event(ledger, categories=[{"name": "General", "price": "9.00", "capacity": 5},
                                             {"name": "VIP", "price": "30.00", "capacity": 2}])
    order: SeatFields = {"user_id": uuid4(), "user_name": "Ann", "category": None,
                         "quantity": 3, "lines": [("General", 2), ("VIP", 1)]}
    booking = ledger.confirm_hold(ledger.hold(event_id, **order).view["id"]).view
    ledger.refund_tickets(booking["id"], [booking["tickets"][-1]["code"]])
    single = ledger.hold(event_id, user_id=uuid4(), user_name="Bo", category="VIP",
                         quantity=1).view["id"]
    ledger.release_hold(single)

    sent = {}
    for e in list(ledger.store.events.get(event_id))[1:]:
        kind = webhook_types(e)[0]
        sent[kind] = json.loads(body(kind, e, 1))["data"]

    both = [{"category": "General", "quantity": 2, "unit_price": "9.00"},
            {"category": "VIP", "quantity": 1, "unit_price": "30.00"}]
    assert sent["booking.created"]["lines"] == both
    assert sent["booking.created"]["ticket_categories"] == ["General", "General", "VIP"]
    assert sent["booking.tickets_cancelled"]["lines"] == [
        {"category": "VIP", "quantity": 1, "unit_price": "30.00"}]
    assert sent["hold.created"]["lines"] == [  # the last hold: one category
        {"category": "VIP", "quantity": 1, "unit_price": "30.00"}]
    # A hold's end records no price of one category: its line says the seats alone.
    assert sent["hold.released"]["lines"] == [{"category": "VIP", "quantity": 1}]
