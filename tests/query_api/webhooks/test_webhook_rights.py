"""Webhooks follow their owner's rights as they are now: a demoted admin's and a removed
co-organizer's endpoints receive nothing after the change (not even what was pending), are
shown suspended to an admin, and stay the owner's to list and delete."""

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error, future
from tests.support.waiting import eventually
from tests.support.webhook_receiver import Receiver, running_receiver

pytestmark = pytest.mark.usefixtures("allow_private")


@pytest.fixture
def control() -> Iterator[Receiver]:
    """A second receiver, for an endpoint whose owner keeps their rights: once it has a
    booking, the fan-out and the sender have dealt with it for every endpoint."""
    with running_receiver() as found:
        yield found


def create_event(client: TestClient, who: Caller) -> str:
    r = client.post("/api/events", headers=who.headers, json={
        "name": "Gig", "starts_at": future(), "total_seats": 20, "price": "10.00"})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def register(client: TestClient, who: Caller, receiver: Receiver, **body: Any) -> str:
    r = client.post("/api/webhooks", headers=who.headers,
                    json={"url": receiver.url, "event_types": ["booking.created"]} | body)
    assert r.status_code == 201, r.text
    receiver.secret = r.json()["secret"]
    return str(r.json()["id"])


def set_role(client: TestClient, admin: Caller, who: Caller, role: str) -> None:
    r = client.patch(f"/api/users/{who.id}", json={"role": role}, headers=admin.headers)
    assert r.status_code == 200, r.text


def listed(client: TestClient, who: Caller) -> dict[str, dict[str, Any]]:
    r = client.get("/api/webhooks", headers=who.headers)
    assert r.status_code == 200, r.text
    return {w["id"]: w for w in r.json()["items"]}


def booked(book: Callable[..., Any], who: Caller, event_id: str) -> str:
    r = book(who, event_id)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_a_demoted_admins_endpoint_receives_nothing_after_the_demotion(
    client: TestClient, admin: Caller, alice: Caller, receiver: Receiver, control: Receiver,
    signup: Callable[[str], Caller], organizer: Callable[[str], Caller],
    book: Callable[..., Any],
) -> None:
    dora = signup("Dora")
    set_role(client, admin, dora, "admin")
    ann = organizer("Ann")
    event_id = create_event(client, ann)
    doras = register(client, dora, receiver)  # every event's bookings, as admins may
    register(client, ann, control, event_id=event_id)
    first = booked(book, alice, event_id)
    assert receiver.wait_for(1)[0].document["data"]["booking_id"] == first
    control.wait_for(1)
    receiver.answer = lambda _: 503  # the next one stays pending, retried
    pending = booked(book, alice, event_id)
    control.wait_for(2)
    # A failed attempt: the delivery is pending.
    assert eventually(lambda: len(receiver.received) >= 2)

    set_role(client, admin, dora, "customer")
    receiver.answer = lambda _: 204
    later = booked(book, alice, event_id)
    control.wait_for(3)
    settle()

    got = [r.document["data"]["booking_id"] for r in receiver.delivered()]
    assert got == [first], f"after the demotion: {got} (pending {pending}, later {later})"
    shown = listed(client, admin)[doras]
    assert shown["suspended"] is True and "customer" in shown["suspended_reason"]
    replay = client.post(f"/api/webhooks/{doras}/replay", headers=admin.headers,
                         json={"from_position": 0})
    assert_error(replay, 403, "WEBHOOK_SUSPENDED")
    assert list(listed(client, dora)) == [doras]  # still hers to see
    assert client.get(f"/api/webhooks/{doras}/deliveries", headers=dora.headers).status_code == 200
    gone = client.delete(f"/api/webhooks/{doras}", headers=dora.headers)
    assert gone.status_code == 200 and gone.json()["active"] is False


def test_a_removed_co_organizers_endpoint_receives_nothing_after_the_removal(
    client: TestClient, admin: Caller, alice: Caller, receiver: Receiver, control: Receiver,
    organizer: Callable[[str], Caller], book: Callable[..., Any],
) -> None:
    ann, ben = organizer("Ann"), organizer("Ben")
    event_id = create_event(client, ann)
    added = client.post(f"/api/events/{event_id}/organizers", json={"user_id": str(ben.id)},
                        headers=admin.headers)
    assert added.status_code == 201, added.text
    bens = register(client, ben, receiver, event_id=event_id)
    anns = register(client, ann, control, event_id=event_id)
    first = booked(book, alice, event_id)
    receiver.wait_for(1)
    control.wait_for(1)
    receiver.answer = lambda _: 503
    booked(book, alice, event_id)
    control.wait_for(2)
    assert eventually(lambda: len(receiver.received) >= 2)

    removed = client.delete(f"/api/events/{event_id}/organizers/{ben.id}", headers=ann.headers)
    assert removed.status_code == 200, removed.text
    receiver.answer = lambda _: 204
    booked(book, alice, event_id)
    control.wait_for(3)
    settle()

    assert [r.document["data"]["booking_id"] for r in receiver.delivered()] == [first]
    every = listed(client, admin)
    assert every[bens]["suspended"] is True and every[anns]["suspended"] is False
    assert every[bens]["suspended_reason"] and every[anns]["suspended_reason"] is None
    assert list(listed(client, ben)) == [bens]
    gone = client.delete(f"/api/webhooks/{bens}", headers=ben.headers)
    assert gone.status_code == 200 and gone.json()["active"] is False



def settle() -> None:
    """Ten more of the scheduler's webhook ticks (each a tenth of a second here)."""
    time.sleep(1.0)
