"""Organizers through the API: transfers move rights at their version, stats per organizer and
per currency equal a fresh replay of their events, and the public side shows who runs what."""

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from core.settings import get_settings
from projections.verify import verify_ledger
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error, future
from tests.support.verify_runs import verified


@pytest.fixture
def projections_paused(client: TestClient) -> Iterator[Callable[[], None]]:
    """Call the result to stop projecting after commands (a stuck or slow worker)."""
    ledger = get_ledger()
    wake = ledger.on_commit

    def pause() -> None:
        ledger.on_commit = None
        get_settings().read_wait_max_seconds = 0.2  # reads wait for nothing that will come

    yield pause
    ledger.on_commit = wake


def create(client: TestClient, who: Caller, name: str, currency: str = "EUR",
           price: str = "10.00") -> dict[str, Any]:
    r = client.post("/api/events", headers=who.headers, json={
        "name": name, "starts_at": future(), "total_seats": 20, "price": price,
        "currency": currency})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_a_transfer_moves_the_rights_at_its_version(
    client: TestClient, admin: Caller, alice: Caller, auditor: Caller,
    organizer: Callable[[str], Caller],
) -> None:
    ann, ben = organizer("Ann"), organizer("Ben")
    event = create(client, ann, "Handover")
    assert (event["organizer_id"], event["organizer_name"]) == (str(ann.id), "Ann")
    client.post(f"/api/events/{event['id']}/book", json={"quantity": 1}, headers=alice.headers)
    assert_error(client.post(f"/api/events/{event['id']}/transfer", headers=ann.headers,
                             json={"organizer_id": str(ben.id)}), 400, "NOT_A_CO_ORGANIZER")
    assert_error(client.post(f"/api/events/{event['id']}/transfer", headers=admin.headers,
                             json={"organizer_id": str(alice.id)}), 400, "NOT_AN_ORGANIZER")

    moved = client.post(f"/api/events/{event['id']}/transfer", headers=admin.headers,
                        json={"organizer_id": str(ben.id)})
    assert moved.status_code == 200, moved.text
    assert moved.json()["organizer_id"] == str(ben.id)
    path = f"/api/events/{event['id']}"
    assert_error(client.put(path, json={"venue": "A"}, headers=ann.headers), 403,
                 "NOT_EVENT_ORGANIZER")
    assert client.put(path, json={"venue": "B"}, headers=ben.headers).status_code == 200
    assert_error(client.get(f"{path}/bookings", headers=ann.headers), 404, "EVENT_NOT_FOUND")
    assert client.get(f"{path}/bookings", headers=ben.headers).json()["items"]

    history = client.get(f"/api/audit/events/{event['id']}/history",
                         headers=auditor.headers).json()["items"]
    [transfer] = [h for h in history if h["type"] == "OrganizerTransferred"]
    assert transfer["payload"]["previous_organizer_id"] == str(ann.id)
    assert transfer["payload"]["by"] == str(admin.id)
    state = f"/api/audit/events/{event['id']}/state"
    before = client.get(state, params={"version": transfer["version"] - 1},
                        headers=auditor.headers).json()
    after = client.get(state, params={"version": transfer["version"]},
                       headers=auditor.headers).json()
    assert (before["organizer_id"], before["organizer_name"]) == (str(ann.id), "Ann")
    assert (after["organizer_id"], after["organizer_name"]) == (str(ben.id), "Ben")
    assert verified(client, auditor.headers)["ok"] is True
    report = verify_ledger(get_ledger())  # every event's entry (a run keeps those with problems)
    [checked] = [e for e in report["events"] if e["event_id"] == event["id"]]
    assert checked["ok"] and checked["organizer_id"] == str(ben.id)
    assert checked["ownership"] == [
        {"from_version": 1, "organizer_id": str(ann.id)},
        {"from_version": transfer["version"], "organizer_id": str(ben.id)}]


def test_co_organizers_join_and_leave_the_events_history(
    client: TestClient, auditor: Caller, organizer: Callable[[str], Caller],
) -> None:
    ann, ben = organizer("Ann"), organizer("Ben")
    event = create(client, ann, "Together")
    path = f"/api/events/{event['id']}"
    assert_error(client.put(path, json={"venue": "X"}, headers=ben.headers), 403)
    invited = client.post(f"{path}/organizers", json={"user_id": str(ben.id)},
                          headers=ann.headers)
    assert invited.status_code == 201, invited.text
    added = client.post(f"{path}/organizers/{ben.id}/accept", headers=ben.headers)
    assert added.status_code == 200, added.text
    assert added.json()["co_organizers"] == [{"id": str(ben.id), "name": "Ben"}]
    assert client.put(path, json={"venue": "Y"}, headers=ben.headers).status_code == 200
    assert client.get(path).json()["co_organizers"] == [{"id": str(ben.id), "name": "Ben"}]
    assert_error(client.delete(f"{path}/organizers/{ann.id}", headers=ann.headers), 400,
                 "IS_ORGANIZER")
    gone = client.delete(f"{path}/organizers/{ben.id}", headers=ann.headers)
    assert gone.status_code == 200 and gone.json()["co_organizers"] == []
    assert_error(client.put(path, json={"venue": "Z"}, headers=ben.headers), 403)
    types = [h["type"] for h in client.get(f"/api/audit/events/{event['id']}/history",
                                           headers=auditor.headers).json()["items"]]
    assert types.count("CoOrganizerInvited") == types.count("CoOrganizerAccepted") == 1
    assert types.count("CoOrganizerRemoved") == 1


def test_an_organizers_stats_are_the_sum_over_their_events_in_a_fresh_replay(
    client: TestClient, alice: Caller, bob: Caller, organizer: Callable[[str], Caller],
) -> None:
    ann, ben = organizer("Ann"), organizer("Ben")
    mine = [create(client, ann, "Jazz", "EUR", "12.50"), create(client, ann, "Folk", "GBP",
                                                                    "37.50")]
    create(client, ben, "Rock", "EUR", "99.00")  # Ben's: never in Ann's answer
    for event in [*mine, create(client, ben, "Pop", "GBP", "5.00")]:
        for who, quantity in ((alice, 2), (bob, 3)):
            booked = client.post(f"/api/events/{event['id']}/book", json={"quantity": quantity},
                                 headers=who.headers)
            assert booked.status_code == 201, booked.text
        client.delete(f"/api/bookings/{booked.json()['id']}", headers=bob.headers)

    stats = client.get("/api/admin/stats", headers=ann.headers).json()
    assert sorted(e["id"] for e in stats["events"]) == sorted(e["id"] for e in mine)
    assert "revenue" not in stats["totals"]  # no total across currencies
    expected = replayed([UUID(e["id"]) for e in mine])
    sales = {m["currency"]: {k: m[k] for k in ("currency", "events", "revenue", "refunds", "net")}
             for m in stats["totals"]["money"]}
    assert sales == expected["money"]
    # No payment provider: the bookings are owed, no payment took any money.
    assert {m["collected_net"] for m in stats["totals"]["money"]} == {"0.00"}
    assert (stats["totals"]["tickets_sold"], stats["totals"]["bookings"]) == (
        expected["tickets"], expected["bookings"])
    assert sorted((d["day"], d["currency"], d["revenue"], d["refunds"])
                  for d in stats["sales_over_time"]) == expected["days"]
    everyone = client.get("/api/admin/stats", headers=organizer("Cid").headers).json()
    assert everyone["events"] == [] and everyone["sales_over_time"] == []


def replayed(event_ids: list[UUID]) -> dict[str, Any]:
    """What the events' own streams, replayed by the write side, say the stats are."""
    money: dict[str, dict[str, Any]] = {}
    days: dict[tuple[date, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 2)
    tickets = bookings = 0
    for event_id in event_ids:
        event = get_ledger().event(event_id)
        row = money.setdefault(event.currency, {"currency": event.currency, "events": 0,
                                                "revenue": Decimal(0), "refunds": Decimal(0)})
        row["events"] += 1
        for b in event.bookings.values():
            amount = b["unit_price"] * b["quantity"]
            row["revenue"] += amount
            days[(b["created_at"].date(), event.currency)][0] += amount
            if b["status"] == "cancelled":
                row["refunds"] += amount
                assert b["cancelled_at"] is not None
                days[(b["cancelled_at"].date(), event.currency)][1] += amount
            else:
                tickets, bookings = tickets + b["quantity"], bookings + 1
    for row in money.values():
        row["net"] = f"{row['revenue'] - row['refunds']:.2f}"
        row["revenue"], row["refunds"] = f"{row['revenue']:.2f}", f"{row['refunds']:.2f}"
    return {"money": money, "tickets": tickets, "bookings": bookings,
            "days": sorted((d.isoformat(), c, f"{r:.2f}", f"{f:.2f}")
                           for (d, c), (r, f) in days.items())}


def test_the_public_side_shows_who_runs_each_event(
    client: TestClient, admin: Caller, alice: Caller, organizer: Callable[[str], Caller],
) -> None:
    ann, ben = organizer("Ann"), organizer("Ben")
    jazz, rock = create(client, ann, "Jazz"), create(client, ben, "Rock")
    page = client.get("/api/events", params={"organizer": str(ann.id)}).json()
    assert [e["id"] for e in page["items"]] == [jazz["id"]]
    shown = client.get(f"/api/events/{rock['id']}").json()
    assert (shown["organizer_id"], shown["organizer_name"]) == (str(ben.id), "Ben")
    names = [o["name"] for o in client.get("/api/organizers").json()["items"]]
    assert names == ["Ann", "Ben"]
    assert client.get(f"/api/organizers/{ann.id}").json() == {"id": str(ann.id), "name": "Ann"}
    assert_error(client.get(f"/api/organizers/{alice.id}"), 404, "ORGANIZER_NOT_FOUND")
    made = create(client, admin, "Gala")  # an admin who runs an event has a page too
    assert client.get(f"/api/organizers/{made['organizer_id']}").json()["name"] == "Administrator"
    assert_error(client.get("/api/events", params={"organizer": "nobody"}), 422)


def test_the_public_list_names_only_organizers_who_run_an_event(
    client: TestClient, admin: Caller, alice: Caller, auditor: Caller,
    organizer: Callable[[str], Caller],
) -> None:
    """An account merely granted the role is not revealed; organizers (who pick co-organizers),
    admins and auditors see every organizer account."""
    ann, ben, cleo = organizer("Ann"), organizer("Ben"), organizer("Cleo")
    gala = create(client, ann, "Gala")

    def names(who: Caller | None, **params: str) -> list[str]:
        r = client.get("/api/organizers", params=params, headers=who.headers if who else {})
        assert r.status_code == 200, r.text
        return [o["name"] for o in r.json()["items"]]

    added = client.post(f"/api/events/{gala['id']}/organizers", headers=ann.headers,
                        json={"user_id": str(ben.id)})
    assert added.status_code == 201, added.text
    assert names(None) == ["Ann"]  # invited: not named anywhere before accepting
    accepted = client.post(f"/api/events/{gala['id']}/organizers/{ben.id}/accept",
                           headers=ben.headers)
    assert accepted.status_code == 200, accepted.text

    assert names(None) == names(alice) == ["Ann", "Ben"]  # Ben co-organizes: on the event
    assert names(admin) == names(auditor) == names(cleo) == ["Ann", "Ben", "Cleo"]
    assert names(None, q="c") == [] and names(admin, q="c") == ["Cleo"]
    assert names(ann, q="BE") == ["Ben"]
    assert_error(client.get("/api/organizers", headers={"Authorization": "Bearer nope"}), 401)


def test_the_users_list_searches_name_and_email_prefixes(
    client: TestClient, admin: Caller,
) -> None:
    for email, name in (("zq@example.com", "Zora Quill"), ("u@example.com", "Zed_Underscore"),
                        ("p@example.com", "Zed%Percent")):
        r = client.post("/api/users", headers=admin.headers, json={
            "email": email, "password": "password-123", "name": name, "role": "customer"})
        assert r.status_code == 201, r.text

    def found(q: str, **more: str) -> list[str]:
        r = client.get("/api/users", params={"q": q, **more}, headers=admin.headers)
        assert r.status_code == 200, r.text
        return sorted(u["name"] for u in r.json()["items"])

    assert found("zora") == ["Zora Quill"]
    assert found("ZED") == ["Zed%Percent", "Zed_Underscore"]
    assert found("zed_") == ["Zed_Underscore"]  # LIKE's wildcards match only themselves
    assert found("zed%") == ["Zed%Percent"]
    assert found("quill") == []  # a prefix, not any part
    assert found("ZQ@") == ["Zora Quill"]  # or the email's
    assert found("z", role="admin") == []
    page = client.get("/api/users", params={"q": "z", "limit": 1}, headers=admin.headers).json()
    rest = client.get("/api/users", params={"q": "z", "limit": 5, "cursor": page["next_cursor"]},
                      headers=admin.headers).json()
    assert len(page["items"]) == 1 and len(rest["items"]) == 2 and rest["next_cursor"] is None


def test_a_removed_co_organizer_reads_no_bookings_with_the_projections_paused(
    client: TestClient, admin: Caller, alice: Caller, organizer: Callable[[str], Caller],
    projections_paused: Callable[[], None],
) -> None:
    """Organizer reads are decided on the event's stream, not on a read table that lags."""
    ann, ben = organizer("Ann"), organizer("Ben")
    event = create(client, ann, "Removal")
    path = f"/api/events/{event['id']}"
    added = client.post(f"{path}/organizers", json={"user_id": str(ben.id)},
                        headers=admin.headers)
    assert added.status_code == 201, added.text
    booking = client.post(f"{path}/book", json={"quantity": 1}, headers=alice.headers).json()
    assert client.get(f"{path}/bookings", headers=ben.headers).json()["items"]
    projections_paused()
    gone = client.delete(f"{path}/organizers/{ben.id}", headers=ann.headers)
    assert gone.status_code == 200, gone.text
    if get_settings().is_eager:  # with no worker at all: the read table still names Ben
        assert client.get(path).json()["co_organizers"] != []
    assert_error(client.get(f"{path}/bookings", headers=ben.headers), 404, "EVENT_NOT_FOUND")
    assert_error(client.get(f"/api/bookings/{booking['id']}", headers=ben.headers), 404,
                 "BOOKING_NOT_FOUND")
    assert_error(client.get("/api/admin/stats", params={"event_id": event["id"]},
                            headers=ben.headers), 404, "EVENT_NOT_FOUND")
    assert client.get(f"{path}/bookings", headers=ann.headers).json()["items"]


def test_a_transferred_away_organizer_reads_no_stats_with_the_projections_paused(
    client: TestClient, admin: Caller, alice: Caller, organizer: Callable[[str], Caller],
    projections_paused: Callable[[], None],
) -> None:
    ann, ben = organizer("Ann"), organizer("Ben")
    event, kept = create(client, ann, "Handed over"), create(client, ann, "Kept")
    client.post(f"/api/events/{event['id']}/book", json={"quantity": 1}, headers=alice.headers)
    before = client.get("/api/admin/stats", headers=ann.headers).json()
    assert sorted(e["id"] for e in before["events"]) == sorted([event["id"], kept["id"]])
    projections_paused()
    moved = client.post(f"/api/events/{event['id']}/transfer", headers=admin.headers,
                        json={"organizer_id": str(ben.id)})
    assert moved.status_code == 200, moved.text
    assert_error(client.get("/api/admin/stats", params={"event_id": event["id"]},
                            headers=ann.headers), 404, "EVENT_NOT_FOUND")
    after = client.get("/api/admin/stats", headers=ann.headers).json()
    assert [e["id"] for e in after["events"]] == [kept["id"]]
    assert after["totals"]["tickets_sold"] == 0 and after["sales_over_time"] == []
    assert_error(client.get(f"/api/events/{event['id']}/bookings", headers=ann.headers), 404,
                 "EVENT_NOT_FOUND")


def ticket_of(client: TestClient, who: Caller, event_id: str) -> str:
    booked = client.post(f"/api/events/{event_id}/book", json={"quantity": 1},
                         headers=who.headers)
    assert booked.status_code == 201, booked.text
    return str(booked.json()["tickets"][0]["code"])


def test_a_co_organizer_runs_the_event_day_to_day_but_only_its_organizer_closes_or_hands_it(
    client: TestClient, admin: Caller, alice: Caller, organizer: Callable[[str], Caller],
) -> None:
    """Details, bookings, stats and the door for a co-organizer; cancelling, completing,
    transferring and choosing co-organizers for its organizer (and admins)."""
    ann, ben, cat = organizer("Ann"), organizer("Ben"), organizer("Cat")
    event = create(client, ann, "Shared")
    path = f"/api/events/{event['id']}"
    for who in (ben, cat):  # an admin's addition counts at once
        added = client.post(f"{path}/organizers", json={"user_id": str(who.id)},
                            headers=admin.headers)
        assert added.status_code == 201, added.text
    code = ticket_of(client, alice, event["id"])

    assert client.put(path, json={"venue": "Hall B"}, headers=ben.headers).status_code == 200
    assert client.get(f"{path}/bookings", headers=ben.headers).json()["items"]
    assert client.get("/api/admin/stats", params={"event_id": event["id"]},
                      headers=ben.headers).status_code == 200
    assert client.post(f"/api/tickets/{code}/check-in", headers=ben.headers).status_code == 200
    for method, action, body in (
            ("POST", f"{path}/cancel", None),
            ("POST", f"{path}/complete", None),
            ("POST", f"{path}/transfer", {"organizer_id": str(ben.id)}),
            ("POST", f"{path}/organizers", {"user_id": str(organizer("Dan").id)}),
            ("DELETE", f"{path}/organizers/{cat.id}", None)):
        assert_error(client.request(method, action, json=body, headers=ben.headers), 403,
                     "NOT_EVENT_OWNER")
    shown = client.get(f"{path}/organizers", headers=ann.headers).json()
    assert sorted(o["name"] for o in shown["co_organizers"]) == ["Ben", "Cat"]
    assert client.get(path).json()["status"] == "active"
    cancelled = client.post(f"{path}/cancel", headers=ann.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_an_organizer_hands_the_event_only_to_a_co_organizer(
    client: TestClient, admin: Caller, organizer: Callable[[str], Caller],
) -> None:
    ann, ben, cat = organizer("Ann"), organizer("Ben"), organizer("Cat")
    event = create(client, ann, "Handed")
    path = f"/api/events/{event['id']}"
    client.post(f"{path}/organizers", json={"user_id": str(ben.id)}, headers=admin.headers)
    assert_error(client.post(f"{path}/transfer", json={"organizer_id": str(cat.id)},
                             headers=ann.headers), 400, "NOT_A_CO_ORGANIZER")
    moved = client.post(f"{path}/transfer", json={"organizer_id": str(ben.id)},
                        headers=ann.headers)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["organizer_id"], moved.json()["co_organizers"]) == (str(ben.id), [])
    assert_error(client.post(f"{path}/cancel", headers=ann.headers), 403, "NOT_EVENT_ORGANIZER")


def test_a_co_organizer_may_step_down_but_not_remove_another(
    client: TestClient, admin: Caller, organizer: Callable[[str], Caller],
) -> None:
    ann, ben, cat = organizer("Ann"), organizer("Ben"), organizer("Cat")
    event = create(client, ann, "Stepping down")
    path = f"/api/events/{event['id']}"
    for who in (ben, cat):
        client.post(f"{path}/organizers", json={"user_id": str(who.id)}, headers=admin.headers)
    assert_error(client.delete(f"{path}/organizers/{cat.id}", headers=ben.headers), 403,
                 "NOT_EVENT_OWNER")
    assert_error(client.delete(f"{path}/organizers/{ann.id}", headers=ben.headers), 403,
                 "NOT_EVENT_OWNER")
    left = client.delete(f"{path}/organizers/{ben.id}", headers=ben.headers)
    assert left.status_code == 200, left.text
    assert [o["name"] for o in left.json()["co_organizers"]] == ["Cat"]


def test_an_organizers_choice_of_a_co_organizer_is_an_invitation_until_accepted(
    client: TestClient, alice: Caller, organizer: Callable[[str], Caller],
) -> None:
    """Nothing names the invitee on the event, nor gives them rights, before they accept."""
    ann, ben = organizer("Ann"), organizer("Ben")
    event = create(client, ann, "Invitation")
    path = f"/api/events/{event['id']}"
    invited = client.post(f"{path}/organizers", json={"user_id": str(ben.id)},
                          headers=ann.headers)
    assert invited.status_code == 201, invited.text
    assert invited.json()["co_organizers"] == []
    assert client.get(path).json()["co_organizers"] == []
    assert "Ben" not in [o["name"] for o in client.get("/api/organizers").json()["items"]]
    assert_error(client.put(path, json={"venue": "X"}, headers=ben.headers), 403,
                 "NOT_EVENT_ORGANIZER")
    assert_error(client.get(f"{path}/bookings", headers=ben.headers), 404, "EVENT_NOT_FOUND")
    mine = client.get("/api/organizers/me/invitations", headers=ben.headers).json()
    assert [(i["event_id"], i["event_name"], i["organizer_name"], i["invited_by"])
            for i in mine["items"]] == [(event["id"], "Invitation", "Ann", str(ann.id))]
    assert client.get("/api/organizers/me/invitations", headers=ann.headers).json()["items"] == []
    assert_error(client.get("/api/organizers/me/invitations", headers=alice.headers), 403)
    pending = client.get(f"{path}/organizers", headers=ann.headers).json()
    assert pending["invited_co_organizers"] == [{"id": str(ben.id), "name": "Ben"}]

    assert_error(client.post(f"{path}/organizers/{ben.id}/accept", headers=ann.headers), 403,
                 "NOT_THE_INVITEE")
    accepted = client.post(f"{path}/organizers/{ben.id}/accept", headers=ben.headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["co_organizers"] == [{"id": str(ben.id), "name": "Ben"}]
    assert client.get(path).json()["co_organizers"] == [{"id": str(ben.id), "name": "Ben"}]
    assert client.put(path, json={"venue": "Y"}, headers=ben.headers).status_code == 200
    assert client.get("/api/organizers/me/invitations", headers=ben.headers).json()["items"] == []
    assert_error(client.post(f"{path}/organizers/{ben.id}/accept", headers=ben.headers), 404,
                 "INVITATION_NOT_FOUND")


def test_an_invitation_declined_or_withdrawn_leaves_nothing_on_the_event(
    client: TestClient, auditor: Caller, organizer: Callable[[str], Caller],
) -> None:
    ann, ben, cat = organizer("Ann"), organizer("Ben"), organizer("Cat")
    event = create(client, ann, "No thanks")
    path = f"/api/events/{event['id']}"
    for who in (ben, cat):
        r = client.post(f"{path}/organizers", json={"user_id": str(who.id)}, headers=ann.headers)
        assert r.status_code == 201, r.text
    assert_error(client.post(f"{path}/organizers", json={"user_id": str(ben.id)},
                             headers=ann.headers), 400, "ALREADY_INVITED")
    declined = client.post(f"{path}/organizers/{ben.id}/decline", headers=ben.headers)
    assert declined.status_code == 200, declined.text
    withdrawn = client.delete(f"{path}/organizers/{cat.id}", headers=ann.headers)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["co_organizers"] == []
    pending = client.get(f"{path}/organizers", headers=ann.headers).json()
    assert pending["invited_co_organizers"] == pending["co_organizers"] == []
    assert_error(client.post(f"{path}/organizers/{cat.id}/accept", headers=cat.headers), 404,
                 "INVITATION_NOT_FOUND")
    assert client.get(path).json()["co_organizers"] == []
    for who in (ben, cat):
        assert client.get("/api/organizers/me/invitations",
                          headers=who.headers).json()["items"] == []
    types = [h["type"] for h in client.get(f"/api/audit/events/{event['id']}/history",
                                           headers=auditor.headers).json()["items"]]
    assert [t for t in types if t.startswith("CoOrganizer")] == [
        "CoOrganizerInvited", "CoOrganizerInvited", "CoOrganizerDeclined",
        "CoOrganizerInvitationWithdrawn"]
    run = verified(client, auditor.headers)
    assert run["ok"], json.dumps(run["report"], indent=1, default=str)  # whole, not cut
