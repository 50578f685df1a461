"""Projection drift: live read tables against a fresh in-memory replay, row by row."""

from uuid import UUID

import pytest
from sqlalchemy import text

from bench.scenario import scenario
from commands.ledger import Ledger
from core.db import get_engine
from projections import catch_up
from projections.verify import verify_ledger

# Passwords hashed at a test's cost (tests/fixtures/api.py).
pytestmark = pytest.mark.usefixtures("cheap_hashing")


def test_a_clean_ledger_verifies_ok(any_ledger: Ledger) -> None:
    scenario(any_ledger)
    catch_up.advance_all(any_ledger.eventlog)

    report = verify_ledger(any_ledger)

    assert report["ok"], report
    assert {p["position"] for p in report["projections"].values()} == {any_ledger.eventlog.last()}


def test_a_hand_edited_read_table_is_reported_as_drift_with_its_rows(any_ledger: Ledger) -> None:
    event_id = scenario(any_ledger).event_id
    catch_up.advance_all(any_ledger.eventlog)
    with get_engine().begin() as conn:
        conn.execute(text("UPDATE event_categories SET sold = 99"))

    report = verify_ledger(any_ledger)

    assert not report["ok"] and report["chain"]["ok"]
    drift = report["projections"]["availability"]
    assert not drift["ok"]
    assert drift["differences"] == [
        {"table": "event_categories", "key": {"event_id": str(event_id), "name": name},
         "expected": {"sold": 0}, "found": {"sold": 99}}
        for name in ("General", "VIP")
    ]
    assert report["projections"]["bookings"]["ok"] and report["projections"]["revenue"]["ok"]


def test_missing_and_extra_rows_are_reported(ledger: Ledger) -> None:
    s = scenario(ledger)
    catch_up.advance_all(ledger.eventlog)
    booking = UUID(str(s.bookings[0]["id"]))
    with get_engine().begin() as conn:
        conn.execute(text("DELETE FROM bookings"))
        conn.execute(text("INSERT INTO sales_daily VALUES (:id, '2020-01-01', 1, 1, 100, 0)"),
                     {"id": booking.hex})

    projections = verify_ledger(ledger)["projections"]

    missing = projections["bookings"]["differences"]
    assert len(missing) == 3 and all(d["found"] is None for d in missing)
    assert {d["key"]["id"] for d in missing} == {str(b["id"]) for b in s.bookings}
    (extra,) = projections["revenue"]["differences"]
    assert extra["expected"] is None and extra["found"]["day"] == "2020-01-01"


def test_a_projection_behind_the_store_is_not_drift(any_ledger: Ledger) -> None:
    scenario(any_ledger)
    catch_up.advance_all(any_ledger.eventlog)
    scenario(any_ledger)
    catch_up.advance("availability", any_ledger.eventlog)
    catch_up.advance("bookings", any_ledger.eventlog, batch_size=4, max_batches=1)

    report = verify_ledger(any_ledger)

    assert report["ok"], report
    positions = {n: p["position"] for n, p in report["projections"].items()}
    assert positions["availability"] > positions["bookings"] > positions["revenue"] > 0
