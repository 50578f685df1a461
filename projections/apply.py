"""Apply stored notifications to projections: fold them in memory, then write the batches."""

from collections.abc import Sequence
from typing import Any

from eventsourcing.utils import resolve_topic
from sqlalchemy import Connection

from projections.folds import Batch
from projections.projectors import LIVE, Tables
from projections.registry import Projection

Target = tuple[Projection, Tables]


def fold(
    targets: Sequence[Target], notifications: Sequence[Any], mapper: Any,
    after: Sequence[int] | None = None,
) -> list[Batch]:
    """One batch per target; an event is decoded only if some target uses it.

    `after`: each target's position, where targets have come to different ones; a target gets
    only the notifications past its own (None: every target gets them all).
    """
    plans = []
    for projection, tables in targets:
        if projection.fold is None and tables is not LIVE:
            raise ValueError(f"projection {projection.name!r} has no fold: live tables only")
        plans.append((projection, Batch(tables)))
    starts = after if after is not None else [0] * len(plans)
    for notification in notifications:
        kind = resolve_topic(notification.topic)  # cached by the library
        event = None
        for (projection, batch), start in zip(plans, starts, strict=True):
            if notification.id <= start:
                continue  # this target has it already
            if projection.types is not None and kind not in projection.types:
                continue  # e.g. BookingRef: no projection needs its payload decoded
            if event is None:
                event = mapper.to_domain_event(notification)
            if projection.fold is None:
                batch.run(projection.project(event, notification.id))
            else:
                projection.fold(batch, event, notification.id)
    return [batch for _, batch in plans]


def write(connection: Connection, batches: Sequence[Batch]) -> None:
    for batch in batches:
        batch.flush(connection)


def apply(
    connection: Connection, targets: Sequence[Target], notifications: Sequence[Any], mapper: Any,
    after: Sequence[int] | None = None,
) -> None:
    """Fold, then write, in the caller's transaction."""
    write(connection, fold(targets, notifications, mapper, after))
