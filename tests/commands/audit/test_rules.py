"""Verify checks the booking rules from the record: events forged past the aggregate's checks
(still properly chained) are reported with the rule they break."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

from bench.scenario import scenario
from commands.application.seat_requests import SeatFields
from commands.audit.verify import verify_store
from commands.domain.event import Event
from commands.ledger import Ledger


def forge(ledger: Ledger, event: Event, kind: type[Any], **fields: Any) -> None:
    """Append a domain event without the command's checks, as buggy code could."""
    event.trigger_event(kind, **fields)
    ledger.store.append(event)


def seats(user: str, category: str, quantity: int, price: str) -> dict[str, Any]:
    return {"booking_id": uuid4(), "user_id": user, "user_name": "Eve", "category": category,
            "quantity": quantity, "unit_price": Decimal(price),
            "ticket_codes": [uuid4().hex for _ in range(quantity)], "booked_at": datetime.now(UTC)}


def test_a_clean_history_breaks_no_rule(ledger: Ledger) -> None:
    s = scenario(ledger)

    report = verify_store(ledger)

    assert report["ok"]
    assert report["events"] == [  # made through the ledger with no organizer: admins run it
        {"event_id": str(s.event_id), "ok": True, "events": 10, "problems": [],
         "organizer_id": None, "co_organizers": [],
         "ownership": [{"from_version": 1, "organizer_id": None}]}
    ]
    assert report["checked_events"] == 17 and report["checked_streams"] == 4  # + 3 BookingRefs


def test_overbooking_a_second_cancellation_and_a_user_over_the_limit_are_reported(
    ledger: Ledger,
) -> None:
    event_id = ledger.create_event(
        name="Forged", description="", venue="", starts_at=datetime(2040, 1, 1, tzinfo=UTC),
        ends_at=None, currency="EUR", max_tickets_per_user=2,
        categories=[{"name": "VIP", "price": Decimal("90.00"), "capacity": 2}],
    ).view["id"]
    event = ledger.event(event_id)
    booked = seats("eve", "VIP", 3, "90.00")
    forge(ledger, event, Event.SeatsBooked, **booked)
    for _ in range(2):
        forge(ledger, event, Event.BookingCancelled, booking_id=booked["booking_id"],
              user_id="eve", category="VIP", quantity=3, refund=Decimal("270.00"),
              reason="customer", cancelled_at=datetime.now(UTC))

    report = verify_store(ledger)

    assert report["chain"]["ok"] and not report["ok"]
    bad = next(e for e in report["events"] if e["event_id"] == str(event_id))
    assert [(p["version"], p["rule"]) for p in bad["problems"]] == [
        (2, "capacity"), (2, "user_limit"), (2, "booking_stream"), (4, "cancellation")
    ]  # a booking forged into the event's stream alone has no stream of its own
    assert bad["problems"][0]["message"] == "'VIP': 3 sold of 2"
    assert bad["problems"][2]["message"].endswith("has no stream of its own (deleted?)")
    assert bad["problems"][3]["message"].endswith("was cancelled, not confirmed")


def test_ownership_changes_that_contradict_the_stream_are_reported(ledger: Ledger) -> None:
    ann, ben, cid, zed = (str(uuid4()) for _ in range(4))
    event_id = ledger.create_event(
        name="Owned", description="", venue="", starts_at=datetime(2040, 1, 1, tzinfo=UTC),
        ends_at=None, currency="EUR", max_tickets_per_user=None, organizer_id=ann,
        organizer_name="Ann", categories=[{"name": "VIP", "price": Decimal("9.00"), "capacity": 2}],
    ).view["id"]
    event = ledger.event(event_id)
    forge(ledger, event, Event.OrganizerTransferred, previous_organizer_id=zed,
          organizer_id=ben, organizer_name="Ben", by="admin", transferred_at=datetime.now(UTC))
    forge(ledger, event, Event.CoOrganizerRemoved, user_id=cid, by=ben)

    report = verify_store(ledger)

    bad = next(e for e in report["events"] if e["event_id"] == str(event_id))
    assert [(p["version"], p["rule"]) for p in bad["problems"]] == [
        (2, "ownership"), (3, "ownership")]
    assert bad["ownership"] == [{"from_version": 1, "organizer_id": ann},
                                {"from_version": 2, "organizer_id": ben}]


def held(user: str, quantity: int, *, offer_for: Any = None, **times: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"hold_id": uuid4(), "user_id": user, "user_name": user.title(), "category": "VIP",
            "quantity": quantity, "unit_price": Decimal("90.00"),
            "expires_at": times.get("expires_at", now + timedelta(minutes=10)), "held_at": now,
            "offer_for": offer_for}


def test_holds_and_waitlists_made_by_the_ledger_break_no_rule(ledger: Ledger) -> None:
    event_id = ledger.create_event(
        name="Lines", description="", venue="", starts_at=datetime(2040, 1, 1, tzinfo=UTC),
        ends_at=None, currency="EUR", max_tickets_per_user=None,
        categories=[{"name": "VIP", "price": Decimal("90.00"), "capacity": 1}]).view["id"]
    def buyer() -> SeatFields:
        return {"user_id": uuid4(), "user_name": "Ann", "category": None, "quantity": 1}

    hold_id = ledger.hold(event_id, **buyer()).view["id"]
    booking = ledger.confirm_hold(hold_id).view
    for _ in range(2):
        ledger.join_waitlist(event_id, **buyer())
    ledger.cancel_booking(booking["id"])
    [offer] = ledger.offer_to_waitlist(event_id).view["offers"]
    ledger.release_hold(offer)
    ledger.offer_to_waitlist(event_id)

    report = verify_store(ledger)

    assert report["ok"], report["events"]


def test_an_offer_out_of_line_a_walk_up_taking_owed_seats_and_a_hold_over_capacity_are_reported(
    ledger: Ledger,
) -> None:
    event_id = ledger.create_event(
        name="Forged lines", description="", venue="", starts_at=datetime(2040, 1, 1, tzinfo=UTC),
        ends_at=None, currency="EUR", max_tickets_per_user=None,
        categories=[{"name": "VIP", "price": Decimal("90.00"), "capacity": 1}]).view["id"]
    event = ledger.event(event_id)
    eves = seats("eve", "VIP", 1, "90.00")
    forge(ledger, event, Event.SeatsBooked, **eves)
    first, second = uuid4(), uuid4()
    for place, who in ((first, "ann"), (second, "bob")):
        forge(ledger, event, Event.WaitlistJoined, entry_id=place, user_id=who, user_name=who,
              category="VIP", quantity=1, joined_at=datetime.now(UTC))
    forge(ledger, event, Event.SeatsHeld, **held("bob", 1, offer_for=second))  # over capacity
    forge(ledger, event, Event.BookingCancelled, booking_id=eves["booking_id"],
          user_id="eve", category="VIP", quantity=1,
          refund=Decimal("90.00"), reason="customer", cancelled_at=datetime.now(UTC))
    forge(ledger, event, Event.SeatsBooked, **seats("walk", "VIP", 1, "90.00"))

    report = verify_store(ledger)

    bad = next(e for e in report["events"] if e["event_id"] == str(event_id))
    rules = [p["rule"] for p in bad["problems"]]
    assert rules.count("line_order") == 2, bad["problems"]  # bob passed ann; the walk-up
    assert "capacity" in rules


def lines_event(ledger: Ledger, capacity: int) -> Event:
    event_id = ledger.create_event(
        name="Checkouts", description="", venue="", starts_at=datetime(2040, 1, 1, tzinfo=UTC),
        ends_at=None, currency="EUR", max_tickets_per_user=None,
        categories=[{"name": "VIP", "price": Decimal("90.00"), "capacity": capacity}]).view["id"]
    return ledger.event(event_id)


def test_a_confirmation_recorded_as_before_a_hold_s_end_then_its_booking_breaks_no_rule(
    ledger: Ledger,
) -> None:
    event = lines_event(ledger, 2)
    hold = held("ann", 2)
    forge(ledger, event, Event.SeatsHeld, **hold)
    booked = seats("ann", "VIP", 2, "90.00")
    forge(ledger, event, Event.HoldConfirmed, hold_id=hold["hold_id"], user_id="ann",
          category="VIP", quantity=2, offer_for=None, booking_id=booked["booking_id"],
          confirmed_at=datetime.now(UTC))
    forge(ledger, event, Event.SeatsBooked, **booked)

    report = verify_store(ledger)

    [checked] = [e for e in report["events"] if e["event_id"] == str(event.id)]
    # Forged past the ledger, its booking has no stream of its own: nothing else is wrong.
    assert [p["rule"] for p in checked["problems"]] == ["booking_stream"]
    replayed = ledger.event(event.id)
    assert replayed.holds == {} and replayed.categories["VIP"]["sold"] == 2
    assert replayed.available("VIP") == 0


def test_a_booking_naming_a_hold_after_it_expired_or_not_its_seats_is_reported(
    ledger: Ledger,
) -> None:
    event = lines_event(ledger, 4)
    late, other = held("ann", 1, expires_at=datetime.now(UTC)), held("bob", 1)
    forge(ledger, event, Event.SeatsHeld, **late)
    forge(ledger, event, Event.SeatsHeld, **other)
    forge(ledger, event, Event.SeatsBooked, **seats("ann", "VIP", 1, "90.00"),
          hold_id=late["hold_id"], offer_for=None)  # booked after the hold expired
    forge(ledger, event, Event.SeatsBooked, **seats("eve", "VIP", 1, "90.00"),
          hold_id=other["hold_id"], offer_for=None)  # bob's hold, booked for eve

    report = verify_store(ledger)

    bad = next(e for e in report["events"] if e["event_id"] == str(event.id))
    found = [p for p in bad["problems"] if p["rule"] != "booking_stream"]
    assert [(p["version"], p["rule"]) for p in found] == [(4, "hold"), (5, "hold")], found
    assert "after it expired" in found[0]["message"]
    assert "is not the seats" in found[1]["message"]


def test_a_sale_on_a_draft_and_a_second_publication_are_reported(ledger: Ledger) -> None:
    event_id = ledger.create_event(
        name="Draft", description="", venue="", starts_at=datetime(2040, 1, 1, tzinfo=UTC),
        ends_at=None, currency="EUR", max_tickets_per_user=None, published=False,
        categories=[{"name": "General", "price": Decimal("10.00"), "capacity": 5}],
    ).view["id"]
    event = ledger.event(event_id)
    forge(ledger, event, Event.SeatsBooked, **seats("eve", "General", 1, "10.00"))
    ledger.publish_event(event_id)
    forge(ledger, ledger.event(event_id), Event.EventPublished,
          published_at=datetime.now(UTC), by=None)

    report = verify_store(ledger)

    assert report["chain"]["ok"] and not report["ok"]
    # (a booking forged into the event's stream alone has no stream of its own either)
    assert [p["rule"] for p in report["events"][0]["problems"]] == [
        "draft", "booking_stream", "publication"]
