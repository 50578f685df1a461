"""Checkout holds and the waitlist through HTTP, on both backends: a hold confirmed into a
booking, a hold expiring on its own (the embedded process's scheduler, or beat and a worker),
a sold-out category's waitlist offered the seats that come back, by rank, live.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error
from tests.support.waiting import eventually

MakeEvent = Callable[..., dict[str, Any]]
SHORT_HOLD = 5  # seconds: the shortest an event allows


def hold(client: TestClient, who: Caller, event_id: str, quantity: int = 1,
         **headers: str) -> Any:
    return client.post(f"/api/events/{event_id}/holds", json={"quantity": quantity},
                       headers=who.headers | headers)


def join(client: TestClient, who: Caller, event_id: str, quantity: int | None = None) -> Any:
    """Take a place on the event's waitlist (no quantity: the API's default)."""
    body = {} if quantity is None else {"quantity": quantity}
    return client.post(f"/api/events/{event_id}/waitlist", json=body, headers=who.headers)


def category(client: TestClient, event_id: str) -> dict[str, Any]:
    return dict(client.get(f"/api/events/{event_id}").json()["categories"][0])



def offers(client: TestClient, who: Caller, event_id: str) -> list[dict[str, Any]]:
    page = client.get(f"/api/users/{who.id}/holds", headers=who.headers).json()
    return [h for h in page["items"]
            if h["event_id"] == event_id and h["offer"] and h["status"] == "active"]


def test_a_hold_takes_seats_out_of_sale_and_is_confirmed_into_a_booking(
    client: TestClient, alice: Caller, bob: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(total_seats=5, price="12.00")
    r = hold(client, alice, event["id"], 2, **{"Idempotency-Key": "checkout-1"})
    assert r.status_code == 201, r.text
    held = r.json()
    assert (held["status"], held["quantity"], held["unit_price"], held["offer"]) == (
        "active", 2, "12.00", False)
    assert datetime.fromisoformat(held["expires_at"]) > datetime.now(UTC)
    again = hold(client, alice, event["id"], 2, **{"Idempotency-Key": "checkout-1"})
    assert again.status_code == 200 and again.json()["id"] == held["id"]
    assert category(client, event["id"])[("held")] == 2
    assert category(client, event["id"])["available"] == 3
    assert_error(hold(client, bob, event["id"], 4), 400, "NOT_ENOUGH_SEATS")
    assert_error(client.post(f"/api/holds/{held['id']}/confirm", headers=bob.headers),
                 404, "HOLD_NOT_FOUND")  # another's hold is not found, as an unknown one

    r = client.post(f"/api/holds/{held['id']}/confirm", headers=alice.headers)

    assert r.status_code == 201, r.text
    booking = r.json()
    assert (booking["quantity"], booking["total_amount"], len(booking["tickets"])) == (
        2, "24.00", 2)
    retried = client.post(f"/api/holds/{held['id']}/confirm", headers=alice.headers)
    assert retried.status_code == 200 and retried.json()["id"] == booking["id"]
    now = category(client, event["id"])
    assert (now["sold"], now["held"], now["available"]) == (2, 0, 3)
    mine = client.get(f"/api/users/{alice.id}/holds", headers=alice.headers).json()["items"]
    assert [(h["status"], h["booking_id"]) for h in mine] == [("confirmed", booking["id"])]
    shown = client.get(f"/api/holds/{held['id']}", headers=alice.headers).json()
    assert shown["status"] == "confirmed"
    late = hold(client, alice, event["id"], 2, **{"Idempotency-Key": "checkout-1"})
    assert (late.status_code, late.json()["id"], late.json()["status"]) == (
        200, held["id"], "confirmed")  # the key's hold ended: its claim in the store answers
    assert_error(hold(client, alice, event["id"], 1, **{"Idempotency-Key": "checkout-1"}),
                 409, "IDEMPOTENCY_KEY_REUSED")


def test_a_hold_not_confirmed_expires_on_its_own_and_its_seats_go_back_on_sale(
    client: TestClient, alice: Caller, bob: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(total_seats=2, hold_seconds=SHORT_HOLD)
    held = hold(client, alice, event["id"], 2).json()
    assert_error(hold(client, bob, event["id"]), 400, "SOLD_OUT")

    def expired() -> bool:
        found = client.get(f"/api/holds/{held['id']}", headers=alice.headers).json()
        return bool(found["status"] == "expired")

    assert eventually(expired, timeout=SHORT_HOLD + 20)
    assert eventually(lambda: category(client, event["id"])["available"] == 2)
    assert_error(client.post(f"/api/holds/{held['id']}/confirm", headers=alice.headers),
                 410, "HOLD_EXPIRED")
    assert hold(client, bob, event["id"], 2).status_code == 201
    history = client.get(f"/api/events/{event['id']}", headers=alice.headers).json()
    assert history["categories"][0]["held"] == 2  # bob's now


def test_a_released_hold_frees_its_seats_at_once(
    client: TestClient, alice: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(total_seats=1)
    held = hold(client, alice, event["id"]).json()
    r = client.delete(f"/api/holds/{held['id']}", headers=alice.headers)
    assert r.status_code == 200 and r.json()["status"] == "released"
    assert category(client, event["id"])["available"] == 1
    assert_error(client.post(f"/api/holds/{held['id']}/confirm", headers=alice.headers),
                 409, "HOLD_ENDED")


def test_a_buyer_who_releases_reserves_again_at_once_and_a_chain_is_told_until_when(
    client: TestClient, alice: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(total_seats=5)
    for quantity in (2, 3):  # a change of mind: released, then reserved again at once
        held = hold(client, alice, event["id"], quantity).json()
        assert client.delete(f"/api/holds/{held['id']}", headers=alice.headers).status_code == 200
    refused = assert_error(hold(client, alice, event["id"], 1), 409, "HOLD_TOO_SOON")
    until = datetime.fromisoformat(refused["may_hold_again_at"])
    assert until > datetime.now(UTC)


def test_holds_count_against_the_per_user_limit(
    client: TestClient, alice: Caller, make_event: MakeEvent, book: Any,
) -> None:
    event = make_event(total_seats=10, max_tickets_per_user=3)
    assert hold(client, alice, event["id"], 2).status_code == 201
    assert_error(book(alice, event["id"], 2), 400, "USER_LIMIT_EXCEEDED")
    assert_error(hold(client, alice, event["id"], 2), 400, "USER_LIMIT_EXCEEDED")


def test_a_sold_out_waitlist_is_offered_returned_seats_by_rank_and_walk_ups_wait(
    client: TestClient, alice: Caller, bob: Caller, signup: Callable[[str], Caller],
    make_event: MakeEvent, book: Any,
) -> None:
    carol, dave = signup("Carol"), signup("Dave")
    event = make_event(total_seats=1)
    event_id = event["id"]
    sold = book(alice, event_id).json()
    assert_error(join(client, bob, event_id, 2), 400, "NOT_ENOUGH_SEATS")
    first = join(client, bob, event_id)
    second = join(client, carol, event_id)
    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert (first.json()["rank"], second.json()["rank"]) == (1, 2)
    places = client.get(f"/api/users/{carol.id}/waitlist", headers=carol.headers).json()
    assert [(p["status"], p["rank"]) for p in places["items"]] == [("waiting", 2)]
    assert_error(join(client, bob, event_id), 409, "ALREADY_IN_LINE")

    client.delete(f"/api/bookings/{sold['id']}", headers=alice.headers)
    # Owed to the waitlist until offered, then held: on sale to nobody else either way.
    assert client.get(f"/api/events/{event_id}").json()["available_seats"] == 0

    to_bob = eventually(lambda: offers(client, bob, event_id))
    assert len(to_bob) == 1 and to_bob[0]["place_id"] == first.json()["id"]
    assert_error(hold(client, dave, event_id), 400, "SOLD_OUT")  # owed to the waitlist
    assert offers(client, carol, event_id) == []
    declined = client.delete(f"/api/holds/{to_bob[0]['id']}", headers=bob.headers)
    assert declined.status_code == 200, declined.text
    to_carol = eventually(lambda: offers(client, carol, event_id))
    assert len(to_carol) == 1
    booked = client.post(f"/api/holds/{to_carol[0]['id']}/confirm", headers=carol.headers)
    assert booked.status_code == 201, booked.text
    bob_places = client.get(f"/api/users/{bob.id}/waitlist", headers=bob.headers).json()
    assert [p["status"] for p in bob_places["items"]] == ["passed"]
    assert eventually(lambda: [p["status"] for p in client.get(
        f"/api/users/{carol.id}/waitlist", headers=carol.headers).json()["items"]]
        == ["served"])


def test_a_place_is_left_and_a_category_on_sale_has_no_waitlist(
    client: TestClient, alice: Caller, bob: Caller, make_event: MakeEvent, book: Any,
) -> None:
    event = make_event(total_seats=1)
    assert_error(client.post(f"/api/events/{event['id']}/waitlist", json={},
                             headers=bob.headers), 409, "NOT_SOLD_OUT")
    book(alice, event["id"])
    place = client.post(f"/api/events/{event['id']}/waitlist", json={},
                        headers=bob.headers).json()
    assert_error(client.delete(f"/api/waitlist/{place['id']}", headers=alice.headers),
                 404, "PLACE_NOT_FOUND")
    left = client.delete(f"/api/waitlist/{place['id']}", headers=bob.headers)
    assert left.status_code == 200 and left.json()["status"] == "left"
    assert category(client, event["id"])["waitlisted"] == 0


def test_time_travel_shows_the_seats_held_at_a_past_version(
    client: TestClient, alice: Caller, auditor: Caller, make_event: MakeEvent,
) -> None:
    event = make_event(total_seats=4)
    held = hold(client, alice, event["id"], 3).json()
    client.delete(f"/api/holds/{held['id']}", headers=alice.headers)
    url = f"/api/audit/events/{event['id']}/state"
    then = client.get(url, params={"version": 2}, headers=auditor.headers).json()
    now = client.get(url, params={"version": 3}, headers=auditor.headers).json()
    assert (then["categories"][0]["held"], then["categories"][0]["available"]) == (3, 1)
    assert (now["categories"][0]["held"], now["categories"][0]["available"]) == (0, 4)


def test_one_account_cannot_take_the_unsold_seats_off_sale_through_the_waitlist(
    client: TestClient, alice: Caller, bob: Caller, signup: Callable[[str], Caller],
    make_event: MakeEvent, book: Any,
) -> None:
    mallory, carol = signup("Mallory"), signup("Carol")
    event_id = make_event(total_seats=10)["id"]
    assert book(alice, event_id, 4).status_code == 201

    assert_error(join(client, mallory, event_id, 10), 409, "NOT_SOLD_OUT")
    assert category(client, event_id)["available"] == 6
    assert book(bob, event_id, 1).status_code == 201
    assert hold(client, carol, event_id, 1).status_code == 201


def test_the_place_ranked_first_is_offered_what_came_back_and_blocks_nobody(
    client: TestClient, alice: Caller, bob: Caller, signup: Callable[[str], Caller],
    make_event: MakeEvent, book: Any,
) -> None:
    carol = signup("Carol")
    event_id = make_event(total_seats=3)["id"]
    one = book(alice, event_id, 1).json()
    assert book(alice, event_id, 2).status_code == 201
    assert join(client, bob, event_id, 3).status_code == 201
    assert join(client, carol, event_id, 1).status_code == 201

    client.delete(f"/api/bookings/{one['id']}", headers=alice.headers)

    [to_bob] = eventually(lambda: offers(client, bob, event_id))
    assert to_bob["quantity"] == 1  # what came back, not the three it waited for
    client.delete(f"/api/holds/{to_bob['id']}", headers=bob.headers)
    assert eventually(lambda: offers(client, carol, event_id))


def test_places_count_toward_the_limit_and_hoarding_holds_are_bounded(
    client: TestClient, alice: Caller, bob: Caller, signup: Callable[[str], Caller],
    make_event: MakeEvent, book: Any,
) -> None:
    limited = make_event(total_seats=6, max_tickets_per_user=2)["id"]
    assert book(alice, limited, 2).status_code == 201
    gone = [(who, book(who, limited, 2).json()) for who in (signup("Zed"), signup("Yan"))]
    assert join(client, bob, limited, 2).status_code == 201
    for who, booking in gone:  # two seats owed to bob's place, two on sale to anyone
        client.delete(f"/api/bookings/{booking['id']}", headers=who.headers)
    assert_error(book(bob, limited, 1), 400, "USER_LIMIT_EXCEEDED")

    big = make_event(total_seats=300)["id"]
    hoarders = [signup("Mallory"), signup("Trudy")]
    for hoarder in hoarders:
        while hold(client, hoarder, big, 5).status_code == 201:
            pass
        assert_error(hold(client, hoarder, big, 1), 409, "TOO_MANY_HOLDS")
    assert eventually(lambda: category(client, big)["available"] == 300 - 2 * 10)


def test_the_renamed_fields_still_answer_their_old_names_with_the_same_value(
    client: TestClient, alice: Caller, bob: Caller, signup: Callable[[str], Caller],
    make_event: MakeEvent, book: Any,
) -> None:
    carol = signup("Carol")
    event_id = make_event(total_seats=1)["id"]
    book(alice, event_id)
    join(client, bob, event_id)

    joined = join(client, carol, event_id)

    assert joined.status_code == 201, joined.text
    assert (joined.json()["rank"], joined.json()["place"]) == (2, 2)  # place: deprecated
    listed = client.get(f"/api/users/{carol.id}/waitlist", headers=carol.headers).json()
    assert [(p["rank"], p["place"]) for p in listed["items"]] == [(2, 2)]
    seats = category(client, event_id)
    assert (seats["waitlisted"], seats["waiting"]) == (2, 2)  # waiting: deprecated
    left = client.delete(f"/api/waitlist/{joined.json()['id']}", headers=carol.headers).json()
    assert (left["status"], left["rank"], left["place"]) == ("left", None, None)


def test_time_travel_shows_the_holds_and_the_waitlist_places_of_a_past_version(
    client: TestClient, alice: Caller, bob: Caller, auditor: Caller,
    signup: Callable[[str], Caller], make_event: MakeEvent, book: Any,
) -> None:
    carol, dave, erin = signup("Carol"), signup("Dave"), signup("Erin")
    event_id = make_event(categories=[{"name": "General", "price": "10.00", "capacity": 1},
                                      {"name": "VIP", "price": "30.00", "capacity": 1}])["id"]
    assert book(alice, event_id, 1, category="General").status_code == 201
    held = client.post(f"/api/events/{event_id}/holds", json={"category": "VIP", "quantity": 1},
                       headers=bob.headers).json()
    for who, where in ((carol, "General"), (erin, "VIP"), (dave, "General")):
        joined = client.post(f"/api/events/{event_id}/waitlist",
                             json={"category": where, "quantity": 1}, headers=who.headers)
        assert joined.status_code == 201, joined.text
    client.delete(f"/api/holds/{held['id']}", headers=bob.headers)
    history = client.get(f"/api/audit/events/{event_id}/history",
                         headers=auditor.headers).json()["items"]
    last_joined = max(i["version"] for i in history if i["type"] == "WaitlistJoined")
    released = next(i["version"] for i in history if i["type"] == "HoldReleased")
    url = f"/api/audit/events/{event_id}/state"

    then = client.get(url, params={"version": last_joined}, headers=auditor.headers).json()
    after = client.get(url, params={"version": released}, headers=auditor.headers).json()

    assert [(h["id"], h["user_id"], h["user_name"], h["category"], h["quantity"], h["offer_for"])
            for h in then["holds"]] == [(held["id"], str(bob.id), "Bob", "VIP", 1, None)]
    assert then["holds"][0]["lines"] == [{"category": "VIP", "quantity": 1, "unit_price": "30.00",
                                          "list_price": None, "unit_tax": None,
                                          "tax_name": None, "tax_rate": None}]
    assert (datetime.fromisoformat(then["holds"][0]["expires_at"])
            == datetime.fromisoformat(held["expires_at"]))
    assert [(p["rank"], p["user_name"], p["category"], p["quantity"])
            for p in then["waitlist"]] == [
        (1, "Carol", "General", 1), (1, "Erin", "VIP", 1), (2, "Dave", "General", 1)]
    assert after["holds"] == []
    assert [p["user_name"] for p in after["waitlist"]] == ["Carol", "Erin", "Dave"]
    first = client.get(url, params={"version": 1}, headers=auditor.headers).json()
    assert (first["holds"], first["waitlist"]) == ([], [])
