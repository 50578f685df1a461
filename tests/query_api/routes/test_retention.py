"""Retention: an organizer keeps their events' buyers for so many days after each event ends;
past that the scheduler's job forgets a buyer whose every event is past its retention, and a
dry run lists who it would forget. A buyer of another organizer's event, kept still, stays."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from commands.ledger import Ledger
from core.settings import get_settings
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, assert_error, future
from tests.support.waiting import eventually
from workers.retention import forget_due


def test_buyers_past_their_organizers_retention_are_listed_then_forgotten(
    client: TestClient, signup: Callable[[str], Caller], organizer: Callable[[str], Caller],
) -> None:
    kept_briefly, keeps_none = organizer("Olga"), organizer("Oscar")
    assert client.get("/api/organizers/me/retention", headers=kept_briefly.headers).json()[
        "forget_buyers_after_days"] is None
    assert_error(client.put("/api/organizers/me/retention", json={"forget_buyers_after_days": 0},
                            headers=kept_briefly.headers), 422)
    set_ = client.put("/api/organizers/me/retention", json={"forget_buyers_after_days": 30},
                      headers=kept_briefly.headers)
    assert set_.status_code == 200 and set_.json()["forget_buyers_after_days"] == 30
    assert_error(client.put("/api/organizers/me/retention", json={"forget_buyers_after_days": 9},
                            headers=signup("Carl").headers), 403)

    def event_of(who: Caller) -> str:
        return str(client.post("/api/events", headers=who.headers, json={
            "name": "Night", "starts_at": future(days=5), "total_seats": 10}).json()["id"])

    brief, other = event_of(kept_briefly), event_of(keeps_none)
    only_brief, both = signup("Una"), signup("Bea")
    for who, event_id in ((only_brief, brief), (both, brief), (both, other)):
        r = client.post(f"/api/events/{event_id}/book", json={"quantity": 1}, headers=who.headers)
        assert r.status_code == 201, r.text
    ledger = get_ledger()
    later = Ledger(get_settings(), clock=lambda: datetime.now(UTC) + timedelta(days=36))
    soon = Ledger(get_settings(), clock=lambda: datetime.now(UTC) + timedelta(days=34))
    try:
        assert forget_due(soon, dry_run=True) == []  # 29 days after the end: kept
        listed = eventually(lambda: forget_due(later, dry_run=True), timeout=30)
        assert [(d.person_id, [str(e) for e in d.events]) for d in listed] == [
            (only_brief.id, [brief])]
        assert not ledger.is_erased(str(only_brief.id))  # a dry run forgets no one
        assert [d.person_id for d in forget_due(later)] == [only_brief.id]
    finally:
        later.close()
        soon.close()
    assert ledger.is_erased(str(only_brief.id)) and not ledger.is_erased(str(both.id))
    assert_error(client.get("/api/users/me", headers=only_brief.headers), 401)
    # This test's ledgers wake no projection (a worker's would): the next command does.
    assert client.post(f"/api/events/{other}/book", json={"quantity": 1},
                       headers=signup("Dan").headers).status_code == 201
    names = eventually(lambda: _without("Una", client.get(
        f"/api/events/{brief}/bookings", headers=kept_briefly.headers).text), timeout=30)
    assert "Bea" in names and "erased" in names


def _without(name: str, text: str) -> str:
    return text if name not in text else ""
