"""The sender's transaction a group on a connection held for the batch: the last group's
attempts recorded and the next group claimed, on either database."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from psycopg import DataError  # the records go as one statement on the driver's cursor
from sqlalchemy import insert, select

from core.db import get_engine, session_scope
from core.settings import Settings
from workers.mail.claims import Claims
from workers.mail.tables import CONFIRMATION, FAILED, QUEUED, SENDING, SENT, messages

MADE = datetime(2026, 1, 2, 3, 4, 5, 678_000, tzinfo=UTC)


EVENT, BOOKING, RECIPIENT = uuid4(), uuid4(), uuid4()


def queued(count: int) -> list[UUID]:
    """Messages alike but for their ids and subjects (a message's key is unique)."""
    rows: list[dict[str, Any]] = [
            {"id": uuid4(), "kind": CONFIRMATION, "subject_id": uuid4(), "event_id": EVENT,
             "booking_id": BOOKING, "recipient_id": RECIPIENT, "recipient_email": "ann@example.com",
             "recipient_name": "Ann", "resend": 0, "requested_by": None, "position": 7,
             "data": json.dumps({"tickets": []}), "status": QUEUED, "attempts": 0, "takeovers": 0,
             "next_attempt_at": MADE, "sending_since": None, "last_error": None, "sent_at": None,
             "created_at": MADE} for _ in range(count)]
    with session_scope() as session:
        session.execute(insert(messages), rows)
    return [row["id"] for row in rows]


def stored(message_id: UUID) -> dict[str, Any]:
    with session_scope() as session:
        row = session.execute(select(messages).where(messages.c.id == message_id)).one()
    return {**row._asdict(), "id": None, "subject_id": None}


def record(message_id: UUID, status: str, at: datetime, *, attempts: int = 1) -> dict[str, Any]:
    return {"recorded": message_id, "attempts_then": attempts, "attempts_now": attempts,
            "new_status": status, "error": None, "sent": at if status == SENT else None,
            "next_at": None, "new_takeovers": 0}


def test_a_group_is_claimed_in_the_order_asked_each_message_once(any_settings: Settings) -> None:
    first, second, third = queued(3)
    now = MADE + timedelta(minutes=1)
    with get_engine().connect() as connection:
        claims = Claims(connection)
        assert [row.id for row in claims.record_then_claim([], [second], now)] == [second]
        # The second is another group's already: left out, the rest in the order asked.
        rows = claims.record_then_claim([], [third, second, first], now)
    assert [row.id for row in rows] == [third, first]
    for row in rows:
        assert (row.status, row.attempts, row.sending_since) == (SENDING, 1, now)
        assert row.created_at == MADE and row.created_at.tzinfo is not None


def test_a_groups_attempts_are_recorded_with_the_next_groups_claim(
        any_settings: Settings) -> None:
    first, second, third = queued(3)
    now = MADE + timedelta(minutes=1)
    later = now + timedelta(seconds=3)
    with get_engine().connect() as connection:
        claims = Claims(connection)
        claims.record_then_claim([], [first, second], now)
        rows = claims.record_then_claim([record(first, SENT, later), record(second, FAILED, later)],
                                        [third], later)
    assert [row.id for row in rows] == [third]
    assert (stored(first)["status"], stored(first)["sent_at"]) == (SENT, later)
    assert stored(first)["sending_since"] is None
    assert (stored(second)["status"], stored(second)["sent_at"]) == (FAILED, None)
    assert stored(third)["status"] == SENDING


def test_a_record_for_an_attempt_taken_over_meanwhile_changes_nothing(
        any_settings: Settings) -> None:
    [message_id] = queued(1)
    now = MADE + timedelta(minutes=1)
    with get_engine().connect() as connection:
        claims = Claims(connection)
        assert claims.record_then_claim([], [message_id], now)
        # Its attempt counted 1; a record naming attempt 0 is another sender's, long gone.
        claims.record_then_claim([record(message_id, FAILED, now, attempts=0)], [], now)
    assert stored(message_id)["status"] == SENDING


def test_a_failed_transaction_leaves_the_held_connection_usable(pg_settings: Settings) -> None:
    first, second = queued(2)
    now = MADE + timedelta(minutes=1)
    with get_engine().connect() as connection:
        claims = Claims(connection)
        claims.record_then_claim([], [first], now)
        bad = record(first, "x" * 100, now)  # longer than the column
        with pytest.raises(DataError):
            claims.record_then_claim([bad], [second], now)
        assert stored(second)["status"] == QUEUED  # the claim went with the record's failure
        assert [row.id for row in claims.record_then_claim([], [second], now)] == [second]
