"""The batch loop every projection runs: lock, read the log once, fold, write, move on.

Each batch is one transaction: lock the projections' tracking rows (`projections.tracking`),
read the log after the lowest of their positions, hand each projection only what is past its
own, move each position to the batch's highest one. A second runner of the same projection
waits on the row lock, then starts from the new position, so a duplicate or concurrent run
changes nothing. Each catch-up reads only up to the log's safe head, taken before the batch
locks anything: below it a gap in positions is permanent (a failed insert burns one), so
nobody waits for it.

Two kinds of subscriber share a batch: read models (`projections.model.ReadModel`), whose
folds are batched into upserts, and followers (`Follower`), which take every event in log order
and write their own rows: the Merkle tree, the buyers' messages and the webhooks' deliveries
(listed in `workers.subscribers`). All see the same read and the same decoded events, and
commit together. A follower may keep its row in a table of its own
(`projections.subscriber_row`), locked and moved in the same transaction, and may be bounded
by a read model whose rows its work reads: it is then given no event that model has not
applied (in this batch, or before it).

A read model in partitions (`projections.partitions`) advances one partition per batch: its
streams' events only, and its position moves to where the batch read up to.
"""

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from eventsourcing.utils import get_topic
from sqlalchemy.orm import Session

from core.db import session_scope
from core.event_store.global_log import EventLog
from core.metrics import PROJECTION_BATCHES, PROJECTION_EVENTS, PROJECTION_LAG
from projections import partitions
from projections.fold import apply
from projections.model import ReadModel
from projections.partitions import WHOLE, Part
from projections.subscriber_row import SubscriberRow
from projections.tracking import lock_all, model_position, set_tracking


class Follower(Protocol):
    """A subscriber of every event in log order, no position skipped."""

    name: str

    @property
    def row(self) -> SubscriberRow | None:
        """Its tracking row in a table of its own; None: its row `name` in
        `projection_tracking`."""

    @property
    def bounded_by(self) -> str | None:
        """The read model whose rows its work reads (it never passes that model), or None."""

    def extend(self, session: Session, notifications: Sequence[Any],
               decode: Callable[[Any], Any]) -> None:
        """Add these notifications (past the follower's position, in order) in `session`."""


def run_batches(  # noqa: PLR0913 - what to advance, where, how much
    models: Sequence[ReadModel], followers: Sequence[Follower], log: EventLog,
    batch_size: int | None = None, max_batches: int | None = None, part: Part = WHOLE,
    nowait: bool = False,
) -> dict[str, int]:
    """Advance these projections together, batch by batch; how many events each applied.

    `part`: the read models' partition to advance (`projections.partitions`; followers take
    the whole log, so they advance only with the whole). The counts are keyed by tracking row.
    `nowait`: a partition's rows locked by another run raise the database's lock error
    (`tracking.is_busy`) rather than wait.
    """
    size = batch_size or log.settings.projection_batch_size
    rows = [partitions.unit(m.name, part) for m in models] + [f.name for f in followers]
    applied = dict.fromkeys(rows, 0)
    batches = reached = 0
    # Before any batch locks a row (see `core.event_store.global_log`). SQLite's one writer
    # commits in order, so the embedded default, which catches up after every command, reads
    # unbounded, but for a partition, which moves its position to where it read up to.
    upto = log.head() if log.settings.is_postgres or part.n > 1 else None
    while applied and (max_batches is None or batches < max_batches):
        if part.n > 1:
            n, reached = _partition_batch(models, part, log, (size, upto or 0, nowait), applied)
            done = reached >= (upto or 0)
        else:
            n, reached = _batch(models, followers, log, (size, upto), applied)
            done = n < size  # the log's end, as of this batch: the next wake-up brings the rest
        batches += 1
        if done:
            break
    moved = [name for name, n in applied.items() if n]
    if moved:
        lag = max(0, log.last() - reached)  # one read of the log's end for all of them
        for name in moved:
            PROJECTION_LAG.labels(name).set(lag)
    return applied


def _batch(
    models: Sequence[ReadModel], followers: Sequence[Follower], log: EventLog,
    bounds: tuple[int, int | None], applied: dict[str, int],
) -> tuple[int, int]:
    """One transaction: how many events it read, and up to where.

    `bounds` is (batch size, safe head or None): at most that many, none past the head.
    `applied` counts what each projection got.
    """
    size, upto = bounds
    with session_scope() as session:
        positions = _lock(session, models, followers, upto)
        start = min(positions.values())
        ceilings = _ceilings(session, models, followers)
        limits = [ceilings.get(f.name) for f in followers]
        if followers and not models and all(limit is not None for limit in limits):
            # Only followers bounded by models not in the batch: no further than they allow.
            furthest = max(limit for limit in limits if limit is not None)
            upto = furthest if upto is None else min(upto, furthest)
        notifications = log.read(start, size, upto)
        decode = _decoding_once(log.decode)
        # Core execution on the session's connection: no ORM work per row.
        apply(session.connection(), [(m, m.live) for m in models], notifications, decode,
              after=[positions[m.name] for m in models])
        end = notifications[-1].id if notifications else start
        got = {m.name: sum(1 for n in notifications if n.id > positions[m.name])
               for m in models}
        moved = {m.name: end for m in models if got[m.name]}
        for follower in followers:
            after, ceiling = positions[follower.name], ceilings.get(follower.name)
            given = [n for n in notifications
                     if n.id > after and (ceiling is None or n.id <= ceiling)]
            follower.extend(session, given, decode)
            got[follower.name] = len(given)
            if given:
                moved[follower.name] = given[-1].id
        _move(session, followers, moved)
    _count(applied, got)
    _count_batch("projections" if models else "followers", len(notifications))
    return len(notifications), end


def _lock(session: Session, models: Sequence[ReadModel], followers: Sequence[Follower],
          head: int | None) -> dict[str, int]:
    """Every participant's row locked, `projection_tracking`'s first (in name order, as
    `lock_all` takes them), then the followers' own rows in their tables' order: two batches
    never deadlock. Their positions, by name."""
    shared = [m.name for m in models] + [f.name for f in followers if f.row is None]
    positions = dict(zip(shared, lock_all(session, shared), strict=True)) if shared else {}
    for follower in sorted((f for f in followers if f.row is not None),
                           key=lambda f: (f.row.table.name, f.row.name) if f.row else ("", "")):
        assert follower.row is not None  # noqa: S101 - sorted from those with a row
        positions[follower.name] = follower.row.lock(session, head or 0)
    return positions


def _ceilings(session: Session, models: Sequence[ReadModel],
              followers: Sequence[Follower]) -> dict[str, int | None]:
    """How far each bounded follower may go: unbounded (None) when its read model applies
    this batch before it, else as far as that model has applied."""
    in_batch = {m.name for m in models}
    return {f.name: None if f.bounded_by in in_batch else model_position(session, f.bounded_by)
            for f in followers if f.bounded_by is not None}


def _move(session: Session, followers: Sequence[Follower], moved: dict[str, int]) -> None:
    own = {f.name: f.row for f in followers if f.row is not None}
    by_position: dict[int, list[str]] = {}
    for name, to in moved.items():
        row = own.get(name)
        if row is not None:
            row.move(session, to)
        else:
            by_position.setdefault(to, []).append(name)
    for to, names in by_position.items():
        set_tracking(session, *names, position=to, last_error=None)


def _partition_batch(
    models: Sequence[ReadModel], part: Part, log: EventLog, bounds: tuple[int, int, bool],
    applied: dict[str, int],
) -> tuple[int, int]:
    """One transaction of a partition: its streams' events in a range of positions past the
    lowest of its rows' (about a batch of them), of the types its models read; how many, and
    the position read up to (where its rows move, whether or not any event was theirs)."""
    names = list(applied)
    size, upto, nowait = bounds
    topics = sorted({get_topic(kind) for m in models for kind in m.types})
    with session_scope() as session:
        positions = lock_all(session, names, nowait)
        start = min(positions)
        if start >= upto:
            _count_batch("projections", 0)
            return 0, start
        notifications, until = log.read_part(start, upto, size * part.n, part, topics)
        apply(session.connection(), [(m, m.live) for m in models], notifications,
              _decoding_once(log.decode), after=positions)
        got = {name: sum(1 for n in notifications if n.id > position)
               for name, position in zip(names, positions, strict=True)}
        behind = [name for name, position in zip(names, positions, strict=True)
                  if position < until]
        set_tracking(session, *behind, position=until, last_error=None)
    _count(applied, got)
    _count_batch("projections", len(notifications))
    return len(notifications), until


def _count(applied: dict[str, int], got: dict[str, int]) -> None:
    for name, n in got.items():
        applied[name] += n
        PROJECTION_EVENTS.labels(partitions.parse(name)[0]).inc(n)


def _count_batch(batch: str, read: int) -> None:
    PROJECTION_BATCHES.labels(batch, "events" if read else "none").inc()


def _decoding_once(decode: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`decode`, remembering each notification's event for the rest of the batch."""
    seen: dict[int, Any] = {}

    def once(notification: Any) -> Any:
        event = seen.get(notification.id)
        if event is None:
            event = seen[notification.id] = decode(notification)
        return event

    return once
