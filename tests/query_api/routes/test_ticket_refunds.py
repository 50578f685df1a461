"""Refunds per ticket (`POST /api/bookings/{id}/refunds`): the tickets named are cancelled,
their seats back on sale and their price given back (through Stripe when the booking was paid
for); the booking stays confirmed with the rest, and naming all it has left cancels it. A
request naming a ticket twice, one refunded already, one checked in or one of another booking
is refused whole."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
import stripe
from fastapi.testclient import TestClient

from commands.audit.verify import verify_store
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error
from tests.support.cards import card
from tests.support.stripe_notices import StripeNotices
from tests.support.waiting import eventually


def refund(client: TestClient, who: Caller, booking: dict[str, Any], codes: list[str],
           reason: str | None = None) -> Any:
    body: dict[str, Any] = {"tickets": codes} | ({"reason": reason} if reason else {})
    return client.post(f"/api/bookings/{booking['id']}/refunds", json=body,
                       headers=who.headers)


def codes_of(booking: dict[str, Any]) -> list[str]:
    return [t["code"] for t in booking["tickets"]]


def seats(client: TestClient, event_id: str) -> tuple[int, int]:
    found = client.get(f"/api/events/{event_id}").json()["categories"][0]
    return found["sold"], found["available"]


def revenue(client: TestClient, who: Caller, event_id: str) -> dict[str, Any]:
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    r = client.get("/api/audit/revenue", params={"from": since, "event_id": event_id},
                   headers=who.headers)
    assert r.status_code == 200, r.text
    (total,) = r.json()["totals"]
    return dict(total)


def test_an_organizer_refunds_one_ticket_its_seat_goes_back_and_net_revenue_falls_by_its_price(
    client: TestClient, make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
    alice: Caller, admin: Caller,
) -> None:
    event = make_event(price="12.50", total_seats=5)
    booked = book(alice, event["id"], quantity=3).json()
    before = revenue(client, admin, event["id"])

    r = refund(client, admin, booked, codes_of(booked)[:1], reason="Seat broken")
    assert r.status_code == 201, r.text
    done = r.json()
    assert (done["amount"], done["currency"], done["status"]) == ("12.50", "EUR", "not_paid")
    assert done["booking"]["status"] == "confirmed"
    assert [t["status"] for t in done["booking"]["tickets"]] == ["cancelled", "active", "active"]
    assert seats(client, event["id"]) == (2, 3)
    after = revenue(client, admin, event["id"])
    assert Decimal(after["refunded"]) - Decimal(before["refunded"]) == Decimal("12.50")
    assert Decimal(before["net"]) - Decimal(after["net"]) == Decimal("12.50")
    assert after["cancellations"] == before["cancellations"]  # the booking stays
    # The holder sees it in their booking.
    mine = client.get(f"/api/bookings/{booked['id']}", headers=alice.headers).json()
    assert [t["status"] for t in mine["tickets"]] == ["cancelled", "active", "active"]

    # The rest, named by its holder: the booking is cancelled, its two seats back on sale.
    r = refund(client, alice, booked, codes_of(booked)[1:])
    assert r.status_code == 201, r.text
    assert (r.json()["amount"], r.json()["booking"]["status"]) == ("25.00", "cancelled")
    assert seats(client, event["id"]) == (0, 5)
    final = revenue(client, admin, event["id"])
    assert Decimal(final["net"]) == Decimal(0)
    assert final["cancellations"] == before["cancellations"] + 1
    assert verify_store(get_ledger())["ok"]


def test_a_refund_naming_a_ticket_twice_refunded_used_or_unknown_is_refused_whole(
    client: TestClient, make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
    alice: Caller, bob: Caller, admin: Caller,
) -> None:
    event = make_event(total_seats=6)
    booked = book(alice, event["id"], quantity=4).json()
    first, second, third, fourth = codes_of(booked)
    assert refund(client, alice, booked, [first]).status_code == 201
    assert client.post(f"/api/tickets/{third}/check-in", headers=admin.headers).status_code == 200
    sold = seats(client, event["id"])

    assert_error(refund(client, alice, booked, [second, second]), 422, "TICKET_NAMED_TWICE")
    assert_error(refund(client, alice, booked, [second, first]), 409, "TICKET_ALREADY_REFUNDED")
    assert_error(refund(client, alice, booked, [second, third]), 400, "TICKET_ALREADY_USED")
    assert_error(refund(client, alice, booked, [second, "NO-SUCH-CODE"]), 404,
                 "TICKET_NOT_FOUND")
    assert_error(refund(client, alice, booked, []), 422)
    assert_error(refund(client, admin, booked, [second]), 422, "REASON_REQUIRED")
    assert_error(refund(client, bob, booked, [second]), 404, "BOOKING_NOT_FOUND")
    # Nothing of any of those happened: the second ticket is still active, the seats as they were.
    assert seats(client, event["id"]) == sold
    mine = client.get(f"/api/bookings/{booked['id']}", headers=alice.headers).json()
    assert [t["status"] for t in mine["tickets"]] == ["cancelled", "active", "used", "active"]
    # A booking with a ticket checked in keeps it: its other tickets may still be refunded.
    r = refund(client, alice, booked, [second, fourth])
    assert r.status_code == 201, r.text
    assert r.json()["booking"]["status"] == "confirmed"
    assert verify_store(get_ledger())["ok"]


@pytest.fixture
def paying(stripe_on: StripeNotices, client: TestClient) -> TestClient:
    return client


def test_a_paid_bookings_tickets_refunded_one_by_one_return_their_price_through_stripe(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller, admin: Caller,
) -> None:
    event = make_event(price="12.50", total_seats=5)
    held = paying.post(f"/api/events/{event['id']}/holds", json={"quantity": 3},
                       headers=alice.headers).json()
    paid = paying.post(f"/api/holds/{held['id']}/payment",
                       json={"payment_method": card(provider)}, headers=alice.headers).json()
    assert paid["status"] == "succeeded", paid
    booked = paying.get(f"/api/bookings/{paid['booking_id']}", headers=alice.headers).json()
    codes = codes_of(booked)

    def stripe_refunds() -> list[int]:
        found = provider.v1.refunds.list(params={"payment_intent": paid["intent_id"]})
        return sorted(r.amount for r in found.data)

    r = refund(paying, admin, booked, codes[:1], reason="Double booked")
    assert r.status_code == 201, r.text
    assert (r.json()["amount"], r.json()["status"]) == ("12.50", "refunded")
    assert stripe_refunds() == [1250]
    payment = paying.get(f"/api/holds/{held['id']}/payment", headers=alice.headers).json()
    assert (payment["status"], payment["refunded"]) == ("refunded", "12.50")

    # Refunded already: refused whole, no money moves.
    assert_error(refund(paying, admin, booked, codes[:2], reason="Again"), 409,
                 "TICKET_ALREADY_REFUNDED")
    assert stripe_refunds() == [1250]

    assert refund(paying, admin, booked, codes[1:2], reason="Moved").status_code == 201
    # The last: the booking is cancelled, and the rest of the money goes back.
    r = paying.post(f"/api/bookings/{booked['id']}/cancel", json={"reason": "Gone"},
                    headers=admin.headers)
    assert r.status_code == 200, r.text
    assert stripe_refunds() == [1250, 1250, 1250]
    shown = paying.get(f"/api/bookings/{booked['id']}", headers=alice.headers,
                       params={"min_position": r.json()["position"]}).json()
    assert (shown["payment"]["status"], shown["payment"]["refunded"]) == ("refunded", "37.50")
    payment = paying.get(f"/api/holds/{held['id']}/payment", headers=alice.headers).json()
    assert (payment["status"], payment["refunded"]) == ("refunded", "37.50")
    assert verify_store(get_ledger())["ok"]


def test_the_organizer_sees_each_bookings_payment_and_a_refund_that_failed_with_its_reason(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller, admin: Caller,
) -> None:
    event = make_event(price="20.00", total_seats=5)
    held = paying.post(f"/api/events/{event['id']}/holds", json={"quantity": 2},
                       headers=alice.headers).json()
    paid = paying.post(f"/api/holds/{held['id']}/payment",
                       json={"payment_method": card(provider)}, headers=alice.headers).json()
    booked = paying.get(f"/api/bookings/{paid['booking_id']}", headers=alice.headers).json()
    r = refund(paying, admin, booked, codes_of(booked)[:1], reason="Pillar")
    assert r.status_code == 201, r.text

    def payment_shown() -> dict[str, Any] | None:
        found = paying.get(f"/api/events/{event['id']}/bookings", headers=admin.headers,
                           params={"min_position": r.json()["position"]}).json()["items"]
        return found[0]["payment"] if found else None

    # The answer's position covers the refund made after the tickets' cancellation: read at
    # it, the refund shows at once, on either topology.
    shown = payment_shown() or {}
    assert shown == shown | {
        "status": "refunded", "provider": "stripe", "amount": "40.00", "refunded": "20.00",
        "currency": "EUR", "message": None}

    # The provider refuses the next refund (written as the write side records a refusal):
    # the organizer reads it, with the provider's reason.
    ledger, now = get_ledger(), datetime.now(UTC)
    payment = ledger.store.find_payment(UUID(paid["payment_id"]))
    assert payment is not None
    asked = payment.request_refund(tickets={codes_of(booked)[1]: 2000},
                                   reason="tickets_cancelled", now=now)
    assert asked is not None
    payment.refund_failed(asked, reason="PAYMENT_DECLINED", message="The charge was disputed",
                          now=now)
    ledger.store.append(payment)
    ledger.runner.wake(ledger.eventlog.last())
    failed = eventually(lambda: (payment_shown() or {}).get("status") == "refund_failed")
    assert failed, payment_shown()
    assert payment_shown()["message"] == "The charge was disputed"  # type: ignore[index]
    # The buyer sees their own booking's payment too.
    mine = paying.get(f"/api/bookings/{booked['id']}", headers=alice.headers).json()
    assert mine["payment"]["status"] == "refund_failed"


def test_an_organizer_asks_again_for_a_refund_the_provider_refused(
    paying: TestClient, provider: stripe.StripeClient,
    make_event: Callable[..., dict[str, Any]], alice: Caller, admin: Caller, bob: Caller,
) -> None:
    event = make_event(price="15.00", total_seats=3)
    held = paying.post(f"/api/events/{event['id']}/holds", json={"quantity": 1},
                       headers=alice.headers).json()
    paid = paying.post(f"/api/holds/{held['id']}/payment",
                       json={"payment_method": card(provider)}, headers=alice.headers).json()
    retry = f"/api/bookings/{paid['booking_id']}/payment/refund-retry"
    assert_error(paying.post(retry, headers=admin.headers), 409, "NO_REFUND_OWED")

    # Its cancellation's refund refused by the provider (recorded as the write side records a
    # refusal), and the refunds' manager done trying.
    ledger, now = get_ledger(), datetime.now(UTC)
    payment = ledger.store.find_payment(UUID(paid["payment_id"]))
    assert payment is not None
    booked = paying.get(f"/api/bookings/{paid['booking_id']}", headers=alice.headers).json()
    asked = payment.request_refund(tickets=dict.fromkeys(codes_of(booked), 1500),
                                   reason="booking_cancelled", now=now)
    assert asked is not None
    payment.refund_failed(asked, reason="PAYMENT_DECLINED", message="Try later", now=now)
    ledger.store.append(payment)

    assert_error(paying.post(retry, headers=bob.headers), 403)
    r = paying.post(retry, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["refunded"]) == ("refunded", "15.00")
    found = provider.v1.refunds.list(params={"payment_intent": paid["intent_id"]})
    assert [x.amount for x in found.data] == [1500]
    assert_error(paying.post(retry, headers=admin.headers), 409, "NO_REFUND_OWED")
