"""The sender's transaction a message on a connection held for the batch: on PostgreSQL as
psycopg prepared statements, elsewhere as the Core statements; both must claim and record alike."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from psycopg.errors import StringDataRightTruncation as DataError
from sqlalchemy import insert, select

from core.db import get_engine, session_scope
from core.settings import Settings
from workers.mail.claims import CoreClaims, PreparedClaims, claims_on
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


def as_read(row: Any) -> dict[str, Any]:
    return {**row._asdict(), "id": None, "subject_id": None}


def test_each_database_gets_its_claims(any_settings: Settings) -> None:
    with get_engine().connect() as connection:
        expected = PreparedClaims if any_settings.database_url.startswith("postgresql") \
            else CoreClaims
        assert type(claims_on(connection)) is expected


def test_prepared_claims_read_and_write_as_the_core_statements_do(pg_settings: Settings) -> None:
    first, second = queued(2)
    now = MADE + timedelta(minutes=1)
    with get_engine().connect() as connection:
        core, prepared = CoreClaims(connection), PreparedClaims(connection)
        by_core = core.record_then_claim(None, first, now)
        by_prepared = prepared.record_then_claim(None, second, now)
        # The same values, of the same types: aware datetimes in UTC, UUIDs, ints, strings.
        assert as_read(by_prepared) == as_read(by_core)
        for name, value in by_core._asdict().items():
            assert type(getattr(by_prepared, name)) is type(value), name
        assert by_prepared.id == second and by_prepared.status == SENDING
        assert by_prepared.attempts == 1 and by_prepared.sending_since == now
        assert by_prepared.created_at == MADE and by_prepared.created_at.tzinfo is UTC
        # Claimed already: neither claims it again.
        assert prepared.record_then_claim(None, first, now) is None
        assert core.record_then_claim(None, second, now) is None

        later = now + timedelta(seconds=3)
        for claims, message_id in ((core, first), (prepared, second)):
            record = {"recorded": message_id, "attempts_then": 1, "new_status": SENT,
                      "error": None, "sent": later, "next_at": None, "new_takeovers": 0}
            assert claims.record_then_claim(record, None, later) is None
    assert stored(first) == stored(second)
    assert stored(second)["status"] == SENT and stored(second)["sent_at"] == later


def test_a_record_for_an_attempt_taken_over_meanwhile_changes_nothing(
        pg_settings: Settings) -> None:
    [message_id] = queued(1)
    now = MADE + timedelta(minutes=1)
    with get_engine().connect() as connection:
        prepared = PreparedClaims(connection)
        assert prepared.record_then_claim(None, message_id, now) is not None
        # Its attempt counted 1; a record naming attempt 0 is another sender's, long gone.
        record = {"recorded": message_id, "attempts_then": 0, "new_status": FAILED,
                  "error": "late", "sent": None, "next_at": None, "new_takeovers": 0}
        prepared.record_then_claim(record, None, now)
    assert stored(message_id)["status"] == SENDING


def test_a_failed_transaction_leaves_the_held_connection_usable(pg_settings: Settings) -> None:
    first, second = queued(2)
    now = MADE + timedelta(minutes=1)
    with get_engine().connect() as connection:
        prepared = PreparedClaims(connection)
        bad = {"recorded": first, "attempts_then": 0, "new_status": "x" * 100, "error": None,
               "sent": None, "next_at": None, "new_takeovers": 0}  # longer than the column
        with pytest.raises(DataError):
            prepared.record_then_claim(bad, second, now)
        assert stored(second)["status"] == QUEUED  # the claim went with the record's failure
        assert prepared.record_then_claim(None, second, now).id == second
