"""Reconciliation as a job: POST /api/audit/reconciliation-runs matches a period's payments and
refunds at the provider (localstripe) with the ledger's, one to one; its problems paged; one run
at a time; refused without a provider or for a bad period; a run that cannot reach the provider
recorded failed. Embedded (a thread of the API process) and PostgreSQL + workers (a task on the
outbound queue)."""

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
import stripe
from fastapi.testclient import TestClient

from commands.audit import reconciliation_runs
from commands.domain.payment import started
from query_api.service.write_side import get_ledger
from tests.distributed import DistributedStack
from tests.fixtures.api import Caller, assert_error
from tests.support.cards import card, charged_elsewhere
from tests.support.stripe_notices import StripeNotices
from workers.celery_app import RECONCILE_TASK

RUNS = "/api/audit/reconciliation-runs"
EMBEDDED = pytest.mark.parametrize("backend", ["embedded"], indirect=True)


@pytest.fixture
def paying(stripe_on: StripeNotices, client: TestClient) -> TestClient:
    """The app under test, taking payments through localstripe (asked before `client`)."""
    return client


@pytest.fixture
def unreachable_provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A provider set up whose API no one answers (asked before `client`)."""
    for name, value in (("STRIPE_API_KEY", "sk_test_unreachable"),
                        ("STRIPE_PUBLISHABLE_KEY", "pk_test_unreachable"),
                        ("STRIPE_WEBHOOK_SECRET", "whsec_unreachable"),
                        ("STRIPE_API_BASE", "http://127.0.0.1:9"), ("STRIPE_TIMEOUT_SECONDS", "2")):
        monkeypatch.setenv(name, value)
    yield


def wait_done(client: TestClient, headers: dict[str, str], run_id: str,
              timeout: float = 60) -> dict[str, Any]:
    """The run once it is no longer running."""
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(f"{RUNS}/{run_id}", headers=headers)
        assert r.status_code == 200, r.text
        run: dict[str, Any] = r.json()
        if run["status"] != "running":
            return run
        assert time.monotonic() < deadline, f"reconciliation run did not end: {run}"
        time.sleep(0.05)


def next_whole_second() -> datetime:
    """The next whole second, once it has come: the provider dates its records to the second,
    so what earlier tests of this process made at localstripe falls before it."""
    now = datetime.now(UTC)
    start = now.replace(microsecond=0) + timedelta(seconds=1)
    time.sleep((start - now).total_seconds())
    return start


def paid(client: TestClient, who: Caller, event_id: str, method: str) -> dict[str, Any]:
    held = client.post(f"/api/events/{event_id}/holds", json={"quantity": 1}, headers=who.headers)
    assert held.status_code == 201, held.text
    r = client.post(f"/api/holds/{held.json()['id']}/payment", json={"payment_method": method},
                    headers=who.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


@EMBEDDED
def test_a_run_finds_money_on_one_side_only_matches_the_rest_and_pages_its_problems(
    paying: TestClient, provider: stripe.StripeClient, auditor: Caller, alice: Caller,
    make_event: Callable[..., dict[str, Any]],
) -> None:
    since = next_whole_second()
    event = make_event(price="10.00", total_seats=5)
    matched = paid(paying, alice, event["id"], card(provider))
    refunded = paid(paying, alice, event["id"], card(provider))
    assert paying.delete(f"/api/bookings/{refunded['booking_id']}",
                         headers=alice.headers).status_code == 200
    # Money taken at the provider whose notice never came: the ledger knows nothing of it.
    held = paying.post(f"/api/events/{event['id']}/holds", json={"quantity": 1},
                       headers=alice.headers).json()
    elsewhere = charged_elsewhere(provider, held["id"], 1000)
    # A success in the ledger the provider never saw (written straight to the store).
    ledger, now = get_ledger(), datetime.now(UTC)
    forged = started(uuid4(), hold={"id": uuid4(), "event_id": UUID(event["id"]),
                                    "user_id": alice.id}, amount=1250, currency="EUR",
                     provider="stripe", intent_id="pi_only_in_the_ledger", now=now)
    forged.succeed(captured=1250, charge_id=None, booking_id=None, notice_id=None, now=now)
    ledger.store.append(forged)

    r = paying.post(RUNS, json={"since": since.isoformat()}, headers=auditor.headers)

    assert r.status_code == 202, r.text
    run = r.json()
    assert (run["status"], run["started_by"], run["problems"], run["finished_at"]) == (
        "running", auditor.email, 0, None)
    assert datetime.fromisoformat(run["since"]) == since
    done = wait_done(paying, auditor.headers, run["id"])
    assert (done["status"], done["error"]) == ("finished", None), done
    assert (done["ledger_payments"], done["ledger_refunds"]) == (3, 1)
    assert (done["provider_payments"], done["provider_refunds"]) == (3, 1)
    assert (done["matched"], done["problems"]) == (3, 2)  # two payments and a refund agree
    first = paying.get(f"{RUNS}/{run['id']}/problems", params={"limit": 1},
                       headers=auditor.headers).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    rest = paying.get(f"{RUNS}/{run['id']}/problems",
                      params={"limit": 1, "cursor": first["next_cursor"]},
                      headers=auditor.headers).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    found = {p["kind"]: p for p in first["items"] + rest["items"]}
    at_provider, in_ledger = found["payment_only_at_provider"], found["payment_only_in_ledger"]
    assert (at_provider["provider_id"], at_provider["payment_id"]) == (elsewhere, None)
    assert (at_provider["provider_amount"], at_provider["ledger_amount"]) == ("10.00", None)
    assert (in_ledger["provider_id"], in_ledger["payment_id"]) == (
        "pi_only_in_the_ledger", str(forged.id))
    assert (in_ledger["ledger_amount"], in_ledger["provider_amount"]) == ("12.50", None)
    assert {p["currency"] for p in found.values()} == {"EUR"}
    mentioned = {p["provider_id"] for p in found.values()}
    assert matched["intent_id"] not in mentioned and refunded["intent_id"] not in mentioned
    whole = paying.get(f"{RUNS}/{run['id']}/problems", headers=auditor.headers).json()
    assert whole["items"] == first["items"] + rest["items"] and whole["next_cursor"] is None
    listed = paying.get(RUNS, headers=auditor.headers).json()
    assert [r["id"] for r in listed["items"]] == [run["id"]] and listed["next_cursor"] is None


@EMBEDDED
def test_one_run_at_a_time_and_a_dead_one_gives_way(
    paying: TestClient, admin: Caller, auditor: Caller,
) -> None:
    now = datetime.now(UTC)
    elsewhere = reconciliation_runs.claim("a-worker@example.com", now - timedelta(days=1), now)

    refused = assert_error(paying.post(RUNS, headers=admin.headers), 409,
                           "RECONCILIATION_RUNNING")

    assert str(elsewhere.id) in refused["message"]
    reconciliation_runs.fail(elsewhere.id, RuntimeError("killed"))
    r = paying.post(RUNS, headers=admin.headers)
    assert r.status_code == 202, r.text
    run = wait_done(paying, auditor.headers, r.json()["id"])
    assert run["status"] == "finished", run
    until, since = (datetime.fromisoformat(run[k]) for k in ("until", "since"))
    assert until - since == timedelta(days=30)  # the default period: the last 30 days
    listed = paying.get(RUNS, params={"limit": 1}, headers=auditor.headers).json()
    assert [r["id"] for r in listed["items"]] == [run["id"]]
    older = paying.get(RUNS, params={"limit": 1, "cursor": listed["next_cursor"]},
                       headers=auditor.headers).json()
    assert [(r["id"], r["status"]) for r in older["items"]] == [(str(elsewhere.id), "failed")]


@pytest.fixture
def two_runs_an_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each user may start two reconciliation runs an hour (asked before `client`)."""
    monkeypatch.setenv("RECONCILIATION_RUNS_PER_USER_PER_HOUR", "2")


@EMBEDDED
def test_a_user_starts_a_few_runs_an_hour_and_is_told_when_to_come_back(
    two_runs_an_hour: None, paying: TestClient, admin: Caller, auditor: Caller,
) -> None:
    for _ in range(2):
        r = paying.post(RUNS, headers=auditor.headers)
        assert r.status_code == 202, r.text
        assert wait_done(paying, auditor.headers, r.json()["id"])["status"] == "finished"

    refused = paying.post(RUNS, headers=auditor.headers)
    assert_error(refused, 429, "TOO_MANY_RECONCILIATION_RUNS")
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    # Counted per user: another may still start one (waited for: its thread reads the store,
    # which the test's end closes).
    other = paying.post(RUNS, headers=admin.headers)
    assert other.status_code == 202, other.text
    assert wait_done(paying, auditor.headers, other.json()["id"])["status"] == "finished"


@EMBEDDED
def test_a_provider_out_of_reach_fails_the_run_with_its_error(
    unreachable_provider: None, client: TestClient, auditor: Caller,
) -> None:
    r = client.post(RUNS, headers=auditor.headers)
    assert r.status_code == 202, r.text

    failed = wait_done(client, auditor.headers, r.json()["id"])

    assert failed["status"] == "failed" and failed["finished_at"]
    assert failed["error"].startswith("PROVIDER_UNAVAILABLE: "), failed
    assert client.get(f"{RUNS}/{failed['id']}/problems", headers=auditor.headers).json() == {
        "items": [], "next_cursor": None}


@pytest.mark.parametrize("backend", [pytest.param("distributed", marks=pytest.mark.postgres)],
                         indirect=True)
def test_on_workers_the_run_is_the_webhooks_worker_s_and_ends_recorded(
    distributed_stack: DistributedStack, unreachable_provider: None, client: TestClient,
    auditor: Caller,
) -> None:
    """The run waits on the provider: the webhooks' worker carries it out, never the others.
    Whatever provider that worker was started with (the suite's stack outlives a test), the
    run ends recorded, never left running."""
    r = client.post(RUNS, headers=auditor.headers)
    assert r.status_code == 202, r.text

    ended = wait_done(client, auditor.headers, r.json()["id"])

    assert ended["status"] == "finished" or (ended["status"] == "failed" and ended["error"])
    assert f"{RECONCILE_TASK}[" in distributed_stack.webhooks.log.read_text(errors="replace")
    assert f"{RECONCILE_TASK}[" not in distributed_stack.worker.log.read_text(errors="replace")


def test_without_a_provider_nothing_is_reconciled(client: TestClient, auditor: Caller) -> None:
    assert_error(client.post(RUNS, headers=auditor.headers), 409, "PAYMENTS_OFF")
    assert client.get(RUNS, headers=auditor.headers).json() == {"items": [], "next_cursor": None}


@EMBEDDED
def test_bad_periods_pages_and_callers_are_refused_with_stable_codes(
    unreachable_provider: None, client: TestClient, auditor: Caller, alice: Caller,
) -> None:
    now = datetime.now(UTC)
    for body in ({"since": now.isoformat(), "until": now.isoformat()},
                 {"since": now.isoformat(), "until": (now - timedelta(days=1)).isoformat()},
                 {"since": (now - timedelta(days=367)).isoformat()},
                 {"until": "0001-01-02T00:00:00Z"}):
        assert_error(client.post(RUNS, json=body, headers=auditor.headers), 422,
                     "PERIOD_INVALID")
    malformed: list[dict[str, Any]] = [{"since": "2030-01-01T00:00:00"},  # no zone
                                       {"since": "yesterday"}, {"days": 3}]
    for wrong in malformed:
        assert_error(client.post(RUNS, json=wrong, headers=auditor.headers), 422,
                     "VALIDATION_ERROR")
    assert client.get(RUNS, headers=auditor.headers).json()["items"] == []  # none started
    assert_error(client.post(RUNS, headers=alice.headers), 403, "FORBIDDEN")
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_error(client.get(f"{RUNS}/{unknown}", headers=auditor.headers),
                 404, "RECONCILIATION_RUN_NOT_FOUND")
    assert_error(client.get(f"{RUNS}/{unknown}/problems", headers=auditor.headers),
                 404, "RECONCILIATION_RUN_NOT_FOUND")
    assert_error(client.get(RUNS, params={"cursor": "nonsense"}, headers=auditor.headers),
                 422, "INVALID_CURSOR")
    run = reconciliation_runs.claim("a@example.com", now - timedelta(days=1), now)
    for cursor in ("nonsense", "WyJ4Il0", "WyItMSJd"):  # not base64 JSON; ["x"]; ["-1"]
        assert_error(client.get(f"{RUNS}/{run.id}/problems", params={"cursor": cursor},
                                headers=auditor.headers), 422, "INVALID_CURSOR")
