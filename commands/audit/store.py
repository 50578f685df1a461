"""Stored domain events as audit records: a stream with global positions, and the global log.

Records show ticket codes as their digests (`commands.domain.chain`), for every reader: the hash of
a form-2 event covers the digests, so an export verifies offline without a single code.

The library reads a stream without its notification ids, so a stream's page is one SQL query
on the store's own table; the dialects differ only in the table and the column of the id.
"""

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.utils import get_topic
from sqlalchemy import bindparam, text

from commands.domain import catalogue
from commands.domain.chain import (
    LEGACY,
    form,
    has_secrets,
    iso,
    payload,
    stored_aggregate,
    stored_chain,
)
from commands.domain.errors import event_not_found
from commands.domain.event import Event
from commands.ledger import Ledger
from core.db import get_engine

BATCH = 500
EVENT_CREATED = get_topic(Event.Created)


def record(event: Any, position: int | None) -> dict[str, Any]:
    """One stored event as auditors see it (and as the export writes it): codes as digests."""
    return {
        "stream": str(event.originator_id),
        "version": event.originator_version,
        "type": type(event).__name__,
        "aggregate": stored_aggregate(event),
        "recorded_at": iso(event.timestamp),
        "position": position,
        "form": form(event),
        "payload": payload(event),
        "chain": stored_chain(event),
    }


def stream_page(
    ledger: Ledger, stream_id: UUID, after_version: int = 0, limit: int = BATCH
) -> list[dict[str, Any]]:
    """Up to `limit` records of one stream after `after_version`, in version order."""
    return [record(e, position) for e, position in _stream_events(
        ledger, stream_id, after_version, limit)]


def _stream_events(
    ledger: Ledger, stream_id: UUID, after_version: int, limit: int
) -> list[tuple[Any, int]]:
    """Up to `limit` decoded events of one stream after `after_version`, with positions."""
    table, position = _store_table(ledger)
    query = text(
        f"SELECT originator_version, topic, state, {position} AS position FROM {table} "  # noqa: S608 - names from the store's own configuration
        "WHERE originator_id = :id AND originator_version > :after "
        "ORDER BY originator_version LIMIT :limit"
    )
    key: UUID | str = stream_id if ledger.settings.is_postgres else stream_id.hex
    with get_engine().execution_options(read_only=True).connect() as conn:
        rows = conn.execute(query, {"id": key, "after": after_version, "limit": limit}).all()
    return [
        (ledger.mapper.to_domain_event(
            StoredEvent(stream_id, int(r.originator_version), r.topic, bytes(r.state))
        ), int(r.position))
        for r in rows
    ]


def stream_records(ledger: Ledger, stream_id: UUID) -> Iterator[dict[str, Any]]:
    """Every record of one stream, read in batches."""
    after = 0
    while page := stream_page(ledger, stream_id, after, BATCH):
        yield from page
        after = page[-1]["version"]


def export_lines(ledger: Ledger, event_id: UUID, legacy_codes: bool = False) -> Iterator[str]:
    """The event's stream as JSON lines, for `tools/verify_export.py` to check offline.

    A legacy (form 1) event's hash covers its raw codes, so its redacted line is marked
    `redacted` (the verifier cannot check that link); `legacy_codes` writes those codes
    instead, for an operator who already reads the store.
    """
    after = 0
    while page := _stream_events(ledger, event_id, after, BATCH):
        for e, position in page:
            r = _legacy(e, record(e, position), legacy_codes)
            r.pop("aggregate")
            yield json.dumps(r, ensure_ascii=False) + "\n"
        after = page[-1][0].originator_version


def _legacy(event: Any, found: dict[str, Any], legacy_codes: bool) -> dict[str, Any]:
    """A form-1 event holding codes: them in clear (on request), or the line marked redacted."""
    if form(event) != LEGACY or not has_secrets(event):
        return found
    if legacy_codes:
        return found | {"payload": payload(event, codes=True)}
    return found | {"redacted": True}


def require_event(ledger: Ledger, event_id: UUID) -> None:
    """404 EVENT_NOT_FOUND unless `event_id` names an event's stream."""
    first = ledger.recorder.select_events(event_id, limit=1)
    if not first or first[0].topic != EVENT_CREATED:
        raise event_not_found(event_id)


@dataclass(frozen=True)
class LogFilter:
    """Which of the log's records a page holds: one stream's (an event's, or a booking's own),
    of some types (their domain event class names), recorded within [since, until]."""

    stream: UUID | None = None
    types: frozenset[str] = frozenset()
    since: datetime | None = None
    until: datetime | None = None


def event_types() -> dict[str, list[str]]:
    """Each domain event's type name (as records show it) and the topics stored under it."""
    found: dict[str, list[str]] = {}
    for kind in catalogue.kinds():
        found.setdefault(kind.name, []).append(kind.topic)
    return found


def event_kinds() -> list[dict[str, Any]]:
    """Each domain event's type name with what auditors read of it: its label, the streams
    that record it, its webhook type."""
    found: dict[str, dict[str, Any]] = {}
    for kind in catalogue.kinds():
        entry = found.setdefault(kind.name, {"type": kind.name, "label": kind.declared.label,
                                             "streams": [], "webhook": kind.declared.public})
        entry["streams"].append(kind.stream)
    return list(found.values())


# Positions a type-filtered page of the log reads at most, by position (the primary key).
TYPE_SCAN = 20_000


def log_page(ledger: Ledger, after: int, limit: int) -> list[dict[str, Any]]:
    """Up to `limit` records of the global log after position `after`."""
    notifications = ledger.recorder.select_notifications(
        start=after, limit=limit, inclusive_of_start=False
    )
    return [record(ledger.mapper.to_domain_event(n), n.id) for n in notifications]


def log_search(
    ledger: Ledger, after: int, limit: int, where: LogFilter | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Up to `limit` records of the global log after position `after` that `where` lets
    through, in order, and the position to resume after: the last record's when the page is
    full, else how far the log was read (no later record can appear at or below it).

    Reads stop at the safe head. A stream is read through the store's primary key, and a
    period becomes a range of positions first (`_time_bound`). Types alone have no index (one
    on the store's topics would cost every append, the ledger's hot path, to serve a rare
    audit): such a page reads at most TYPE_SCAN positions and says how far it read.
    """
    where = where or LogFilter()
    stop = ledger.eventlog.head()
    if where.until is not None:
        stop = min(stop, _time_bound(ledger, where.until, stop, after_it=True))
    if where.since is not None:
        after = max(after, _time_bound(ledger, where.since, stop, after_it=False))
    if where.types and where.stream is None:
        stop = min(stop, max(after, 0) + TYPE_SCAN)
    if after >= stop:
        return [], max(after, 0)
    rows = _log_rows(ledger, after, stop, limit, where)
    records = [record(e, position) for e, position in rows]
    resume = records[-1]["position"] if len(rows) == limit else stop
    since, until = where.since, where.until  # clocks may disagree: the bound is then inexact
    return [r for r in records
            if (since is None or datetime.fromisoformat(r["recorded_at"]) >= since)
            and (until is None or datetime.fromisoformat(r["recorded_at"]) <= until)], resume


def _log_rows(
    ledger: Ledger, after: int, stop: int, limit: int, where: LogFilter
) -> list[tuple[Any, int]]:
    table, position = _store_table(ledger)
    clauses = [f"{position} > :after", f"{position} <= :stop"]
    params: dict[str, Any] = {"after": after, "stop": stop, "limit": limit}
    # Within a stream, versions follow positions: its primary key gives them in order.
    order = position
    if where.stream is not None:
        clauses.append("originator_id = :stream")
        params["stream"] = where.stream if ledger.settings.is_postgres else where.stream.hex
        order = "originator_version"
    if where.types:
        known = event_types()
        clauses.append("topic IN :topics")
        params["topics"] = [topic for name in sorted(where.types) for topic in known[name]]
    query = text(
        f"SELECT originator_id, originator_version, topic, state, {position} AS position "  # noqa: S608 - names from the store's own configuration
        f"FROM {table} WHERE {' AND '.join(clauses)} ORDER BY {order} LIMIT :limit")
    if where.types:
        query = query.bindparams(bindparam("topics", expanding=True))
    with get_engine().execution_options(read_only=True).connect() as conn:
        found = conn.execute(query, params).all()
    return [(_decoded(ledger, r), int(r.position)) for r in found]


def _decoded(ledger: Ledger, row: Any) -> Any:
    stream = row.originator_id if isinstance(row.originator_id, UUID) else UUID(
        row.originator_id)
    return ledger.mapper.to_domain_event(
        StoredEvent(stream, int(row.originator_version), row.topic, bytes(row.state)))


def _time_bound(ledger: Ledger, moment: datetime, stop: int, *, after_it: bool) -> int:
    """The position below the first stored event recorded after `moment` (`after_it`) or at
    or after it: a binary search over positions, one event read per step.

    It assumes what time travel does: the writing processes' clocks agree, so the recorded
    times grow with positions (the page still drops any record outside the period).
    """
    table, position = _store_table(ledger)
    query = text(
        f"SELECT originator_id, originator_version, topic, state, {position} AS position "  # noqa: S608 - names from the store's own configuration
        f"FROM {table} WHERE {position} >= :at AND {position} <= :stop "
        f"ORDER BY {position} LIMIT 1")
    low, high = 1, stop + 1  # the answer p - 1 for the least p whose next event is past it
    with get_engine().execution_options(read_only=True).connect() as conn:
        while low < high:
            middle = (low + high) // 2
            row = conn.execute(query, {"at": middle, "stop": stop}).first()
            if row is None:
                high = middle
                continue
            recorded = _decoded(ledger, row).timestamp
            past = recorded > moment if after_it else recorded >= moment
            if past:
                high = middle
            else:
                low = int(row.position) + 1
    return low - 1


def notifications(ledger: Ledger, batch: int = 1000) -> Iterator[Sequence[Notification]]:
    """The whole global log, batch by batch."""
    after = 0
    while batch_ := ledger.recorder.select_notifications(
        start=after, limit=batch, inclusive_of_start=False
    ):
        yield batch_
        after = batch_[-1].id


def head(ledger: Ledger) -> int:
    return int(ledger.recorder.max_notification_id() or 0)


def _store_table(ledger: Ledger) -> tuple[str, str]:
    """The events table and its notification id column (SQLite: the rowid; ids as hex)."""
    table = str(getattr(ledger.recorder, "events_table_name", "stored_events"))
    return (table, "notification_id") if ledger.settings.is_postgres else (table, "rowid")
