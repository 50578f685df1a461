"""Apply stored events to read models: fold them in memory, then write the batches."""

from collections.abc import Sequence
from typing import Any

from eventsourcing.utils import resolve_topic
from sqlalchemy import Connection

from projections.model import ReadModel, Tables
from projections.unit_of_work import Batch

Target = tuple[ReadModel, Tables]  # a model and the tables it writes (live, or shadow copies)


def fold(
    targets: Sequence[Target], notifications: Sequence[Any], decode: Any,
    after: Sequence[int] | None = None,
) -> list[Batch]:
    """One batch per target; an event is decoded (`decode`) only if some target reads it.

    `after`: each target's position, where targets have come to different ones; a target gets
    only the notifications past its own (None: every target gets them all).
    """
    plans = [(model, Batch(tables, model.indexed)) for model, tables in targets]
    starts = after if after is not None else [0] * len(plans)
    for notification in notifications:
        kind = resolve_topic(notification.topic)  # cached by the library
        event = None
        for (model, batch), start in zip(plans, starts, strict=True):
            if notification.id <= start or kind not in model.types:
                continue  # this target has it already, or does not read it
            if event is None:
                event = decode(notification)
            model.fold(batch, event, notification.id)
    return [batch for _, batch in plans]


def write(connection: Connection, batches: Sequence[Batch]) -> None:
    for batch in batches:
        batch.flush(connection)


def apply(
    connection: Connection, targets: Sequence[Target], notifications: Sequence[Any],
    decode: Any, after: Sequence[int] | None = None,
) -> None:
    """Fold, then write, in the caller's transaction."""
    write(connection, fold(targets, notifications, decode, after))
