"""A hold's payment on the ledger's own webhooks: `order.paid` when it succeeded, naming the
booking; `payment.failed` for a declined card; `order.refunded` when money went back."""

from collections.abc import Callable
from typing import Any

import stripe
from fastapi.testclient import TestClient

from tests.fixtures.api import Caller
from tests.support.cards import DECLINED_CARD, card
from tests.support.stripe_notices import StripeNotices
from tests.support.webhook_receiver import Receiver


def test_a_payment_failed_paid_and_refunded_reaches_the_organizers_endpoint(
    allow_private: None, stripe_on: StripeNotices, client: TestClient,
    provider: stripe.StripeClient, receiver: Receiver, organizer: Callable[[str], Caller],
    alice: Caller,
) -> None:
    ann = organizer("Ann")
    event = client.post("/api/events", headers=ann.headers, json={
        "name": "Paid talk", "starts_at": "2099-01-01T19:00:00Z", "total_seats": 5,
        "price": "12.00"}).json()
    created = client.post("/api/webhooks", headers=ann.headers, json={
        "url": receiver.url, "event_id": event["id"],
        "event_types": ["order.paid", "order.refunded", "payment.failed"]})
    assert created.status_code == 201, created.text
    receiver.secret = created.json()["secret"]

    held = client.post(f"/api/events/{event['id']}/holds", json={"quantity": 2},
                       headers=alice.headers).json()
    declined = client.post(f"/api/holds/{held['id']}/payment", headers=alice.headers,
                           json={"payment_method": card(provider, DECLINED_CARD)})
    assert declined.status_code == 402, declined.text
    paid = client.post(f"/api/holds/{held['id']}/payment", headers=alice.headers,
                       json={"payment_method": card(provider)}).json()
    assert client.delete(f"/api/bookings/{paid['booking_id']}",
                         headers=alice.headers).status_code == 200

    got = receiver.wait_for(3)  # sent by the app's own scheduler
    assert receiver.bad_signatures == []
    kinds: list[tuple[str, Any]] = [(r.document["type"], r.document["data"]) for r in got]
    assert [k for k, _ in kinds] == ["payment.failed", "order.paid", "order.refunded"]
    assert all(data["event_id"] == event["id"] for _, data in kinds)
    assert kinds[1][1]["booking_id"] == paid["booking_id"]
    assert (kinds[1][1]["captured"], kinds[2][1]["amount"]) == (2400, 2400)
