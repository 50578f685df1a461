"""Time travel: the event as it was at any version or moment, rebuilt from its stream."""

from datetime import UTC, datetime, timedelta

import pytest

from bench.scenario import scenario
from commands.audit.store import stream_records
from commands.audit.timetravel import state_at
from commands.domain.errors import NotFound
from commands.ledger import Ledger


def sold(state: dict[str, object]) -> dict[str, int]:
    return {c["name"]: c["sold"] for c in state["categories"]}  # type: ignore[attr-defined]


def test_each_version_shows_seats_bookings_and_statuses_then(any_ledger: Ledger) -> None:
    s = scenario(any_ledger)
    states = {v: state_at(any_ledger, s.event_id, version=v) for v in (1, 3, 4, 5, 7, 10)}

    assert sold(states[1]) == {"General": 0, "VIP": 0} and states[1]["bookings"] == []
    assert sold(states[3]) == {"General": 2, "VIP": 1}
    assert [b["status"] for b in states[4]["bookings"]] == ["cancelled", "confirmed"]
    assert states[4]["categories"][0]["capacity"] == 4
    assert states[5]["categories"][0] | {"sold": 0} == {
        "name": "General", "price": 25, "capacity": 6, "sold": 0, "held": 0, "waitlisted": 0,
        "available": 6, "hidden": False, "reserved": 0}
    assert [t["status"] for t in states[7]["bookings"][2]["tickets"]] == ["used", "active",
                                                                            "active"]
    assert states[7]["status"] == "active" and states[10]["status"] == "cancelled"
    assert sold(states[10]) == {"General": 0, "VIP": 0}
    assert [b["status"] for b in states[10]["bookings"]] == ["cancelled"] * 3


def test_a_moment_gives_the_last_version_recorded_by_then(any_ledger: Ledger) -> None:
    s = scenario(any_ledger)
    times = {r["version"]: datetime.fromisoformat(r["recorded_at"])
             for r in stream_records(any_ledger, s.event_id)}
    for at in times.values():
        expected = max(v for v, t in times.items() if t <= at)
        assert state_at(any_ledger, s.event_id, at=at)["version"] == expected


def test_before_the_event_existed_is_not_found_and_the_future_is_now(ledger: Ledger) -> None:
    s = scenario(ledger)
    created = datetime.fromisoformat(next(stream_records(ledger, s.event_id))["recorded_at"])

    with pytest.raises(NotFound) as refused:
        state_at(ledger, s.event_id, at=created - timedelta(microseconds=1))
    assert refused.value.code == "EVENT_NOT_YET_CREATED"
    assert state_at(ledger, s.event_id, at=datetime.now(UTC) + timedelta(days=999))["version"] == 10
    assert state_at(ledger, s.event_id, version=999)["version"] == 10
