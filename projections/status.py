"""What operators see of each projection: position, lag (events and seconds), rebuild progress,
and the same of each partition of a read model in several."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from core.db import read_scope
from core.event_store.global_log import EventLog
from core.metrics import PROJECTION_LAG
from projections import partitions
from projections.catch_up import ALL
from projections.rebuild_state import RUNNING, is_stale, rebuilds
from projections.tracking import INVOICES, WAITLIST_OFFERS, tracking


def status(log: EventLog) -> list[dict[str, Any]]:
    """Position, head, lag, last error and rebuild progress of every projection, and of each
    partition of a read model in several."""
    with read_scope() as session:
        rows = {r.name: r for r in session.execute(select(tracking)).all()}
        runs = {r.name: r for r in session.execute(select(rebuilds)).all()}
    top = log.last()  # read after the positions, so lag is never negative
    now = datetime.now(UTC)
    parts: dict[str, list[Any]] = {}
    for row in rows.values():
        name, part = partitions.parse(row.name)
        if part.n > 1:
            parts.setdefault(name, []).append((part, row))
    report = []
    # The tree's, the waitlists' and the invoices' lag beside the read models'.
    for name in (*ALL, WAITLIST_OFFERS, INVOICES):
        split = sorted(parts.get(name, []))
        pieces = [_progress(log, (row.position, top, now), row) | {"partition": part.k}
                  for part, row in split]
        whole = _whole(pieces) if pieces else _progress(log, (_position(rows, name), top, now),
                                                         rows.get(name))
        PROJECTION_LAG.labels(name).set(whole["lag_events"])
        report.append({"name": name, **whole, "rebuild": progress(runs.get(name), now),
                       "partitions": pieces})
    return report


def _position(rows: dict[str, Any], name: str) -> int:
    row = rows.get(name)
    return int(row.position) if row else 0


def _progress(log: EventLog, at: tuple[int, int, datetime], row: Any) -> dict[str, Any]:
    position, top, now = at
    return {"position": position, "head": top, "lag_events": top - position,
            "lag_seconds": lag_seconds(log, position, top, now),
            "updated_at": row.updated_at if row else None,
            "last_error": row.last_error if row else None}


def _whole(pieces: list[dict[str, Any]]) -> dict[str, Any]:
    """A read model in partitions: as far as its furthest-behind partition, updated when its
    latest was, its first partition's error."""
    behind = min(pieces, key=lambda p: p["position"])
    stamps = [p["updated_at"] for p in pieces if p["updated_at"] is not None]
    errors = [f"partition {p['partition']}: {p['last_error']}" for p in pieces
              if p["last_error"]]
    return {key: behind[key] for key in ("position", "head", "lag_events", "lag_seconds")} | {
        "updated_at": max(stamps) if stamps else None,
        "last_error": errors[0] if errors else None}


def lag_seconds(log: EventLog, position: int, top: int, now: datetime) -> float:
    """Age of the oldest event the projection has not applied (0 when caught up)."""
    if position >= top:
        return 0.0
    found = log.read(position, 1)
    if not found:
        return 0.0
    event: Any = log.decode(found[0])
    recorded: datetime = event.timestamp
    return max(0.0, round((now - recorded).total_seconds(), 3))


def progress(run: Any, now: datetime) -> dict[str, Any]:
    """A rebuild's state, events done of total, rate (events/s) and ETA (seconds)."""
    if run is None:
        return {"state": "idle", "done": 0, "total": 0, "rate": None, "eta_seconds": None,
                "started_at": None, "finished_at": None, "error": None}
    state, error = run.state, run.error
    if is_stale(run, now):
        state, error = "failed", f"abandoned: no progress since {run.updated_at.isoformat()}"
    elapsed = (run.updated_at - run.started_at).total_seconds()
    rate = round(run.done / elapsed, 1) if elapsed > 0 and run.done else None
    eta = None
    if state in RUNNING and rate:
        eta = round(max(0, run.total - run.done) / rate, 1)
    return {"state": state, "done": run.done, "total": max(run.total, run.done), "rate": rate,
            "eta_seconds": eta, "started_at": run.started_at, "finished_at": run.finished_at,
            "error": error}
