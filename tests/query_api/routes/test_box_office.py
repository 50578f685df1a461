"""An organizer's box office: the door checks a ticket in and sees whose it is, a second scan
says when, a check-in is taken back as an event; the box office counts seats, money and
check-ins; the attendee list is searched, paged and exported as CSV safe for a spreadsheet."""

import csv
import io
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error, login

CATEGORIES = [{"name": "Stalls", "price": "20.00", "capacity": 10},
              {"name": "Balcony", "price": "5.00", "capacity": 4}]


def order(client: TestClient, who: Caller, event_id: str, lines: list[dict[str, Any]]) -> Any:
    """A booking across categories: its lines held, then confirmed."""
    hold = client.post(f"/api/events/{event_id}/holds", json={"lines": lines},
                       headers=who.headers)
    assert hold.status_code == 201, hold.text
    confirmed = client.post(f"/api/holds/{hold.json()['id']}/confirm", headers=who.headers)
    assert confirmed.status_code in (200, 201), confirmed.text
    return confirmed.json()


def test_the_door_sees_whose_ticket_it_is_a_second_scan_says_when_and_an_undo_is_an_event(
    client: TestClient, admin: Caller, alice: Caller,
    make_event: Callable[..., dict[str, Any]],
) -> None:
    event_id = make_event(categories=CATEGORIES)["id"]
    booking = order(client, alice, event_id, [{"category": "Stalls", "quantity": 1},
                                              {"category": "Balcony", "quantity": 1}])
    stalls, balcony = (t["code"] for t in booking["tickets"])
    url = f"/api/tickets/{balcony}/check-in"

    first = client.post(url, params={"event_id": event_id}, headers=admin.headers)

    assert first.status_code == 200, first.text
    seen = first.json()
    assert (seen["code"], seen["status"], seen["name"], seen["category"]) == (
        balcony, "used", "Alice", "Balcony")
    assert seen["checked_in_at"] is not None
    again = assert_error(client.post(url, headers=admin.headers), 400, "TICKET_ALREADY_USED")
    assert again["ticket"] == {"code": balcony, "status": "used", "name": "Alice",
                               "category": "Balcony", "checked_in_at": seen["checked_in_at"]}

    undone = client.delete(url, headers=admin.headers)

    assert undone.status_code == 200, undone.text
    assert (undone.json()["status"], undone.json()["checked_in_at"]) == ("active", None)
    assert_error(client.delete(url, headers=admin.headers), 400, "TICKET_NOT_CHECKED_IN")
    shown = client.get(f"/api/bookings/{booking['id']}", headers=alice.headers).json()
    assert [t["status"] for t in shown["tickets"]] == ["active", "active"]
    log = client.get(f"/api/audit/events/{event_id}/history", headers=admin.headers).json()
    kinds = [e["type"] for e in log["items"]] if "items" in log else [e["type"] for e in log]
    assert kinds[-2:] == ["TicketCheckedIn", "TicketCheckInUndone"]
    again = client.post(url, headers=admin.headers)  # live again at the door
    assert again.status_code == 200, again.text
    other_event = make_event()["id"]
    assert_error(client.post(f"/api/tickets/{stalls}/check-in",
                             params={"event_id": other_event}, headers=admin.headers),
                 400, "TICKET_OF_ANOTHER_EVENT")


def test_the_box_office_counts_seats_money_and_check_ins(
    client: TestClient, admin: Caller, alice: Caller, bob: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = make_event(categories=CATEGORIES)["id"]
    booked = book(alice, event_id, 3, category="Stalls").json()
    book(bob, event_id, 4, category="Balcony")
    hold = client.post(f"/api/events/{event_id}/holds", json={"category": "Stalls",
                                                             "quantity": 2},
                       headers=bob.headers)
    assert hold.status_code == 201, hold.text
    joined = client.post(f"/api/events/{event_id}/waitlist",
                         json={"category": "Balcony", "quantity": 1}, headers=alice.headers)
    assert joined.status_code == 201, joined.text
    for ticket in booked["tickets"][:2]:
        r = client.post(f"/api/tickets/{ticket['code']}/check-in", headers=admin.headers)
        assert r.status_code == 200, r.text

    office = client.get(f"/api/events/{event_id}/box-office", headers=admin.headers)

    assert office.status_code == 200, office.text
    body = office.json()
    assert [(c["name"], c["sold"], c["held"], c["waitlisted"], c["free"])
            for c in body["categories"]] == [("Stalls", 3, 2, 0, 5), ("Balcony", 4, 0, 1, 0)]
    assert [c["waiting"] for c in body["categories"]] == [0, 1]  # the deprecated alias
    assert (body["money"]["currency"], body["money"]["revenue"], body["money"]["tickets_sold"]
            ) == ("EUR", "80.00", 7)
    assert (body["check_ins"]["checked_in"], body["check_ins"]["tickets"]) == (2, 7)
    assert sum(b["count"] for b in body["check_ins"]["series"]) == 2


def test_attendees_are_searched_by_name_email_or_code_paged_and_exported_safely(
    client: TestClient, admin: Caller, alice: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    event_id = make_event(total_seats=20)["id"]
    body = {"email": "mallory@example.com", "password": "password-123",
            "name": "=HYPERLINK(1)"}
    assert client.post("/api/auth/signup", json=body).status_code == 201
    mallory = login(client, "mallory@example.com", "password-123")
    alices = book(alice, event_id, 2).json()
    book(mallory, event_id, 1)
    url = f"/api/events/{event_id}/attendees"

    everyone = client.get(url, headers=admin.headers).json()["items"]
    by_name = client.get(url, params={"q": "alic"}, headers=admin.headers).json()["items"]
    by_mail = client.get(url, params={"q": "MALLORY@example"},
                         headers=admin.headers).json()["items"]
    code = alices["tickets"][1]["code"]
    by_code = client.get(url, params={"q": code}, headers=admin.headers).json()["items"]
    first = client.get(url, params={"limit": 2}, headers=admin.headers).json()
    rest = client.get(url, params={"limit": 2, "cursor": first["next_cursor"]},
                      headers=admin.headers).json()

    assert [a["name"] for a in everyone] == ["=HYPERLINK(1)", "Alice", "Alice"]
    assert {a["email"] for a in by_name} == {"alice@example.com"} and len(by_name) == 2
    assert [a["name"] for a in by_mail] == ["=HYPERLINK(1)"]
    assert [(a["code"], a["category"], a["status"]) for a in by_code] == [
        (code, "General", "active")]
    assert [a["code"] for a in first["items"] + rest["items"]] == [a["code"] for a in everyone]
    assert rest["next_cursor"] is None

    exported = client.get(f"{url}.csv", headers=admin.headers)

    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][:5] == ["ticket_code", "name", "email", "category", "status"]
    assert len(rows) == 4
    assert rows[1][1] == "'=HYPERLINK(1)"  # text in a spreadsheet, never a formula
    assert not any(
        cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_only_who_runs_the_event_sees_its_attendees_and_box_office(
    client: TestClient, alice: Caller, auditor: Caller, organizer: Callable[[str], Caller],
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    olivia, oscar = organizer("Olivia"), organizer("Oscar")
    r = client.post("/api/events", headers=olivia.headers, json={
        "name": "Poetry", "starts_at": make_event()["starts_at"], "total_seats": 5})
    event_id = r.json()["id"]
    [ticket] = book(alice, event_id, 1).json()["tickets"]

    assert client.get(f"/api/events/{event_id}/attendees", headers=olivia.headers
                      ).status_code == 200
    assert_error(client.get(f"/api/events/{event_id}/attendees", headers=oscar.headers),
                 404, "EVENT_NOT_FOUND")
    assert_error(client.get(f"/api/events/{event_id}/attendees.csv", headers=oscar.headers),
                 404, "EVENT_NOT_FOUND")
    assert_error(client.get(f"/api/events/{event_id}/box-office", headers=oscar.headers),
                 404, "EVENT_NOT_FOUND")
    assert_error(client.get(f"/api/events/{event_id}/attendees", headers=auditor.headers),
                 403)
    assert client.get(f"/api/events/{event_id}/box-office", headers=auditor.headers
                      ).status_code == 200
    assert_error(client.post(f"/api/tickets/{ticket['code']}/check-in",
                             headers=oscar.headers), 403, "NOT_EVENT_ORGANIZER")
    assert_error(client.delete(f"/api/tickets/{ticket['code']}/check-in",
                               headers=alice.headers), 403)
