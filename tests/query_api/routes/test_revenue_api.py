"""GET /api/audit/revenue and /api/audit/revenue.csv, on both backends: per event, organizer or
in total, per currency (never summed across currencies), over a period, with its CSV."""

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller, assert_error

REVENUE = "/api/audit/revenue"


def _sales(client: TestClient, alice: Caller, bob: Caller,
           make_event: Callable[..., dict[str, Any]], book: Callable[..., Any]) -> dict[str, str]:
    """A night in EUR (2 + 1 tickets, the 1 cancelled) and one in USD (3 tickets)."""
    eur = make_event(name='Jazz, "late" night', price="10.00", total_seats=9)["id"]
    usd = make_event(name="=Rock", price="25.50", currency="USD", total_seats=9)["id"]
    assert book(alice, eur, 2).status_code == 201
    cancelled = book(bob, eur, 1).json()["id"]
    assert client.delete(f"/api/bookings/{cancelled}", headers=bob.headers).is_success
    assert book(bob, usd, 3).status_code == 201
    return {"eur": eur, "usd": usd}


def test_revenue_per_event_and_currency_with_totals_and_series(
    client: TestClient, admin: Caller, auditor: Caller, alice: Caller, bob: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    ids = _sales(client, alice, bob, make_event, book)

    report = client.get(REVENUE, headers=auditor.headers)

    assert report.status_code == 200, report.text
    body = report.json()
    assert body["group"] == "event" and body["next_offset"] is None
    assert datetime.fromisoformat(body["to"]) - datetime.fromisoformat(body["from"]) == \
        timedelta(days=366)
    # Rows come by name (in the database's collation): here, by currency.
    assert sorted(body["rows"], key=lambda r: r["currency"], reverse=True) == [
        {"key": ids["usd"], "name": "=Rock", "currency": "USD", "revenue": "76.50",
         "tickets_sold": 3, "bookings": 1, "cancellations": 0, "refunded": "0.00",
         "net": "76.50", "collected": "0.00", "returned": "0.00", "collected_net": "0.00"},
        {"key": ids["eur"], "name": 'Jazz, "late" night', "currency": "EUR",
         "revenue": "30.00", "tickets_sold": 3, "bookings": 2, "cancellations": 1,
         "refunded": "10.00", "net": "20.00", "collected": "0.00", "returned": "0.00",
         "collected_net": "0.00"}]
    # One line per currency: 30.00 EUR and 76.50 USD are never one sum.
    assert [(t["currency"], t["revenue"], t["refunded"]) for t in body["totals"]] == [
        ("EUR", "30.00", "10.00"), ("USD", "76.50", "0.00")]
    today = datetime.now(UTC).date().isoformat()
    assert body["series"] == [
        {"day": today, "currency": "EUR", "revenue": "30.00", "tickets_sold": 3},
        {"day": today, "currency": "USD", "revenue": "76.50", "tickets_sold": 3}]
    total = client.get(REVENUE, params={"group": "total"}, headers=admin.headers).json()
    assert [(r["key"], r["currency"], r["revenue"]) for r in total["rows"]] == [
        ("total", "EUR", "30.00"), ("total", "USD", "76.50")]
    organizers = client.get(REVENUE, params={"group": "organizer"},
                            headers=admin.headers).json()["rows"]
    assert {(r["key"], r["currency"]) for r in organizers} == {
        (str(admin.id), "EUR"), (str(admin.id), "USD")}  # an admin made both events
    one = client.get(REVENUE, params={"event_id": ids["usd"], "limit": 1},
                     headers=auditor.headers).json()
    assert [r["key"] for r in one["rows"]] == [ids["usd"]] and one["next_offset"] is None
    paged = client.get(REVENUE, params={"limit": 1}, headers=auditor.headers).json()
    assert paged["rows"] == body["rows"][:1] and paged["next_offset"] == 1
    assert len(paged["totals"]) == 2  # the totals cover every row, not the page
    rest = client.get(REVENUE, params={"limit": 1, "offset": 1}, headers=auditor.headers).json()
    assert rest["rows"] == body["rows"][1:] and rest["next_offset"] is None


def test_the_period_filters_on_the_time_of_the_sale(
    client: TestClient, admin: Caller, auditor: Caller, alice: Caller, bob: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    _sales(client, alice, bob, make_event, book)
    now = datetime.now(UTC)
    past = {"from": (now - timedelta(days=10)).isoformat(),
            "to": (now - timedelta(days=1)).isoformat()}

    earlier = client.get(REVENUE, params=past, headers=auditor.headers).json()

    assert (earlier["rows"], earlier["totals"], earlier["series"]) == ([], [], [])
    around = client.get(REVENUE, headers=auditor.headers, params={
        "from": (now - timedelta(hours=1)).isoformat(),
        "to": (now + timedelta(hours=1)).isoformat()}).json()
    assert len(around["rows"]) == 2
    for bad in ({"from": now.isoformat(), "to": now.isoformat()},
                {"from": (now - timedelta(days=400)).isoformat(), "to": now.isoformat()}):
        assert_error(client.get(REVENUE, params=bad, headers=auditor.headers),
                     422, "PERIOD_INVALID")
    assert_error(client.get(REVENUE, params={"to": "0001-02-01T00:00:00Z"},
                            headers=auditor.headers), 422, "PERIOD_INVALID")
    assert_error(client.get(REVENUE, params={"from": "2030-01-01T00:00:00"},
                            headers=auditor.headers), 422, "VALIDATION_ERROR")  # no zone
    assert_error(client.get(REVENUE, params={"group": "venue"}, headers=auditor.headers),
                 422, "VALIDATION_ERROR")


def test_the_csv_has_a_header_a_line_per_row_quoted_and_a_file_name(
    client: TestClient, admin: Caller, auditor: Caller, alice: Caller, bob: Caller,
    make_event: Callable[..., dict[str, Any]], book: Callable[..., Any],
) -> None:
    ids = _sales(client, alice, bob, make_event, book)
    start = datetime.now(UTC) - timedelta(days=1)
    period = {"from": start.isoformat(), "to": (start + timedelta(days=30)).isoformat()}

    response = client.get(f"{REVENUE}.csv", params=period, headers=auditor.headers)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="revenue-{start:%Y-%m-%d}-'
        f'{start + timedelta(days=30):%Y-%m-%d}.csv"')
    assert '"Jazz, ""late"" night"' in response.text  # quoted as CSV quotes
    header, *lines = list(csv.reader(io.StringIO(response.text)))
    assert header == ["key", "name", "currency", "revenue", "tickets_sold", "bookings",
                      "cancellations", "refunded", "net", "collected", "returned",
                      "collected_net"]
    assert sorted(lines, key=lambda line: line[2], reverse=True) == [
        [ids["usd"], "'=Rock", "USD", "76.50", "3", "1", "0", "0.00", "76.50", "0.00", "0.00",
         "0.00"],  # never a formula
        [ids["eur"], 'Jazz, "late" night', "EUR", "30.00", "3", "2", "1", "10.00", "20.00",
         "0.00", "0.00", "0.00"]]
    assert response.text.endswith("\r\n") and response.text.count("\r\n") == 3
    assert_error(client.get(f"{REVENUE}.csv", params={"to": period["from"],
                                                      "from": period["to"]},
                            headers=auditor.headers), 422, "PERIOD_INVALID")
