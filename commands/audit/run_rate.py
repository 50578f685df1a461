"""How many audit runs a user may start within an hour (verify runs, reconciliation runs): each
reads the whole store or the provider's records for a period, so one user cannot queue them
without bound. Counted from the runs' own table, so every API process counts alike."""

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

HOUR = timedelta(hours=1)


class TooManyRuns(Exception):
    """The caller started as many runs as allowed within the hour; one may start again in
    `retry_after` seconds."""

    def __init__(self, allowed: int, retry_after: int) -> None:
        super().__init__(f"{allowed} runs started within the hour")
        self.allowed, self.retry_after = allowed, retry_after


def require_within_rate(session: Session, runs: Any, started_by: str, per_hour: int,
                        now: datetime) -> None:
    """TooManyRuns when `started_by` started `per_hour` of the `runs` table's runs within the
    hour before `now`."""
    started = session.scalars(select(runs.c.started_at).where(
        runs.c.started_by == started_by, runs.c.started_at > now - HOUR)
        .order_by(runs.c.started_at.desc()).limit(per_hour)).all()
    if len(started) >= per_hour:  # free again once the oldest of those leaves the hour
        wait = (_aware(started[-1]) + HOUR - now).total_seconds()
        raise TooManyRuns(per_hour, max(1, math.ceil(wait)))


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)
