"""Which webhook type each domain event of the checkout and the waiting line is sent as."""

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
