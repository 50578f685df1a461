"""The reconciliation runs' rows (commands/audit/reconciliation_runs.py) on SQLite and
PostgreSQL: one running run at a time, held by the database whoever inserts; a silent run gives
way; a run declared dead records nothing; a finished run keeps its counts and every problem,
paged in the order found; the period asked is bounded."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from commands.audit import reconciliation_runs as runs
from commands.audit.reconciliation import Money, Reconciliation, Sides, match
from commands.audit.reconciliation_runs import Abandoned, ReconciliationRunning
from commands.audit.verify_runs import ABANDONED, STALE_SECONDS
from commands.domain.errors import DomainError
from core import error_codes as codes
from core.db import read_scope, session_scope
from core.settings import Settings

NOW = datetime(2030, 6, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)


def _silence(run_id: Any, seconds: float) -> None:
    """As if the run's process had stopped beating its heart `seconds` ago."""
    with session_scope() as session:
        session.execute(update(runs.runs).where(runs.runs.c.id == run_id)
                        .values(heartbeat_at=datetime.now(UTC) - timedelta(seconds=seconds)))


def _found() -> Reconciliation:
    """Two sides of one period: one intent alike, one on each side only, one refund of
    another amount."""
    ledger, provider = Sides(), Sides()
    ledger.taken["pi_a"] = Money("pi_a", 1000, "EUR", "payment-a")
    provider.taken["pi_a"] = Money("pi_a", 1000, "EUR")
    ledger.taken["pi_ledger"] = Money("pi_ledger", 500, "JPY", "payment-l")
    provider.taken["pi_provider"] = Money("pi_provider", 2500, "USD")
    ledger.given_back["re_1"] = Money("re_1", 1000, "EUR", "payment-a", "pi_a")
    provider.given_back["re_1"] = Money("re_1", 900, "EUR", intent_id="pi_a")
    matched, problems = match(ledger, provider)
    return Reconciliation(NOW - DAY, NOW, ledger, provider, matched, problems)


def test_a_second_running_row_is_refused_by_the_database(any_settings: Settings) -> None:
    first = runs.claim("a@example.com", NOW - DAY, NOW)
    now = datetime.now(UTC)

    with pytest.raises(IntegrityError), session_scope() as session:  # past any check in code
        session.execute(insert(runs.runs).values(
            id=uuid4(), status="running", started_at=now, started_by="b@example.com",
            heartbeat_at=now, since=NOW - DAY, until=NOW, **dict.fromkeys(runs.COUNTS, 0)))

    with pytest.raises(ReconciliationRunning) as refused:
        runs.claim("b@example.com", NOW - DAY, NOW)
    assert refused.value.run_id == first.id


def test_a_silent_run_gives_way_and_its_late_finish_records_nothing(
    any_settings: Settings,
) -> None:
    dead = runs.claim("dead@example.com", NOW - DAY, NOW)
    _silence(dead.id, STALE_SECONDS - 5)
    with pytest.raises(ReconciliationRunning):  # silent, but not for long enough
        runs.claim("next@example.com", NOW - DAY, NOW)
    _silence(dead.id, STALE_SECONDS + 1)

    fresh = runs.claim("next@example.com", NOW - DAY, NOW)

    shown = runs.get(dead.id)
    assert shown is not None and (shown.status, shown.error) == ("failed", ABANDONED)
    with pytest.raises(Abandoned):
        runs.beat(dead.id)  # the dead run's process was only slow: it stops now
    with pytest.raises(Abandoned):
        runs.finish(dead.id, _found())
    with read_scope() as session:
        assert runs.problems_page(session, dead.id, -1, 10) == []
    assert (runs.get(dead.id) or shown).matched == 0
    assert runs.get(fresh.id) is not None


def test_a_finished_run_keeps_its_counts_and_every_problem_in_the_order_found(
    any_settings: Settings,
) -> None:
    run = runs.claim("audra@example.com", NOW - DAY, NOW)

    runs.finish(run.id, _found())

    done = runs.get(run.id)
    assert done is not None and (done.status, done.error, done.since, done.until) == (
        "finished", None, NOW - DAY, NOW)
    assert (done.ledger_payments, done.ledger_refunds, done.provider_payments,
            done.provider_refunds, done.matched, done.problems) == (2, 1, 2, 1, 1, 3)
    with read_scope() as session:
        first = runs.problems_page(session, run.id, -1, 2)
        rest = runs.problems_page(session, run.id, first[-1]["ordinal"], 2)
    assert [(p["kind"], p["provider_id"]) for p in first + rest] == [
        ("payment_only_in_ledger", "pi_ledger"), ("payment_only_at_provider", "pi_provider"),
        ("refund_amount_differs", "re_1")]
    refund = rest[0]
    assert (refund["payment_id"], refund["intent_id"], refund["ledger_amount"],
            refund["provider_amount"], refund["currency"]) == ("payment-a", "pi_a", 1000, 900,
                                                               "EUR")
    assert (first[0]["ledger_amount"], first[0]["provider_amount"]) == (500, None)


def test_a_failed_run_says_why_with_the_error_s_code(any_settings: Settings) -> None:
    run = runs.claim("audra@example.com", NOW - DAY, NOW)
    try:
        try:
            raise ConnectionRefusedError("refused")
        except ConnectionRefusedError as cause:
            raise DomainError("The provider did not answer",
                              code=codes.PROVIDER_UNAVAILABLE) from cause
    except DomainError as exc:
        runs.fail(run.id, exc)

    failed = runs.get(run.id)
    assert failed is not None and failed.status == "failed" and failed.finished_at
    assert failed.error == ("PROVIDER_UNAVAILABLE: The provider did not answer "
                            "(ConnectionRefusedError: refused)")
    runs.claim("next@example.com", NOW - DAY, NOW)  # a failed run blocks no other


def test_the_period_defaults_to_the_last_30_days_and_is_bounded() -> None:
    assert runs.period(None, None, NOW) == (NOW - timedelta(days=30), NOW)
    assert runs.period(NOW - DAY, None, NOW) == (NOW - DAY, NOW)
    assert runs.period(None, NOW - DAY, NOW) == (NOW - timedelta(days=31), NOW - DAY)
    assert runs.period(NOW - runs.MAX_PERIOD, NOW, NOW) == (NOW - runs.MAX_PERIOD, NOW)
    for since, until in ((NOW, NOW), (NOW, NOW - DAY), (NOW - runs.MAX_PERIOD - DAY, NOW),
                         (None, datetime(1, 1, 2, tzinfo=UTC))):
        with pytest.raises(DomainError) as refused:
            runs.period(since, until, NOW)
        assert refused.value.code == "PERIOD_INVALID"
