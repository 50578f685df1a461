"""Rebuild projections into shadow tables while the live ones serve reads, then swap.

One pass over the log feeds every projection being rebuilt (each event decoded once), in
big batches, each batch one transaction that also records the rebuild's progress. Near
the head, each projection takes its tracking row's lock (the live advancer waits), applies
the last events, swaps its tables in and moves its position to the shadow's: nothing is
missed and nothing is applied twice.
"""

import logging
import multiprocessing
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from queue import Empty
from typing import Any

from eventsourcing.utils import get_topic

from core.db import session_scope
from core.event_store.global_log import EventLog
from core.metrics import PROJECTION_EVENTS
from core.settings import get_settings
from projections import registry, shadow
from projections.fold import Target, apply, fold, write
from projections.rebuild_state import Superseded, claim, fail, finish, record
from projections.registry import INDEXED
from projections.tracking import lock_projection, set_tracking
from projections.unit_of_work import Batch

logger = logging.getLogger(__name__)
BATCH = 5_000
Progress = Callable[[str, int, int], None]


def rebuild_all(
    log: EventLog, names: Iterable[str] | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Rebuild the named projections (all by default); returns events applied per name."""
    chosen = [registry.get(name).name for name in names or registry.REGISTRY]  # KeyError first
    return run(log, chosen, claim(chosen, log.last()), progress)


def rebuild(name: str, log: EventLog, progress: Progress | None = None) -> int:
    """Rebuild one projection; returns how many events it went through."""
    return rebuild_all(log, [name], progress)[name]


def run(
    log: EventLog, names: list[str], run_id: str, progress: Progress | None = None
) -> dict[str, int]:
    """Carry out a claimed rebuild: fill the shadows, then swap each in."""
    projections = [registry.get(name) for name in names]
    try:
        with session_scope() as session:
            targets = [(p, shadow.create(session.connection(), p, INDEXED))
                       for p in projections]
        started = time.monotonic()
        position, done = _fill(log, targets, run_id, progress)
        filled = time.monotonic()
        with session_scope() as session:
            for p in projections:
                shadow.create_indexes(session.connection(), p)
        logger.info("rebuild of %s: shadows filled in %.1f s, indexed in %.1f s", ", ".join(names),
                 filled - started, time.monotonic() - filled)
        return {p.name: _swap(log, (p, tables), (position, done[p.name]), run_id)
                for p, tables in targets}
    except Superseded:
        raise  # the run that took over owns the shadow tables now
    except Exception as exc:
        fail(names, run_id, exc)
        with session_scope() as session:
            for p in projections:
                shadow.drop(session.connection(), p)
        raise


def _fill(
    log: EventLog, targets: list[Target], run_id: str, progress: Progress | None
) -> tuple[int, dict[str, int]]:
    """Fill the shadows from the log: one pass here, or partitions in parallel processes."""
    parts = log.settings.rebuild_processes
    # A daemonic process (e.g. a prefork pool's child) may not start processes of its own.
    if log.settings.is_postgres and parts > 1 and not multiprocessing.current_process().daemon:
        return _fill_parallel(log, targets, run_id, progress, parts)
    return _fill_one_pass(log, targets, run_id, progress)


def _fill_one_pass(
    log: EventLog, targets: list[Target], run_id: str, progress: Progress | None
) -> tuple[int, dict[str, int]]:
    """Apply the log to the shadows in big batches until fewer than a batch remain."""
    # A writer thread writes batch k (one transaction, with the progress) while this thread
    # reads and folds batch k+1, so the database and Python work at the same time.
    names = [p.name for p, _ in targets]
    position = done = 0
    writing: Future[tuple[int, int]] | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rebuild-writer") as writer:
        while True:
            notifications = log.read(position, BATCH)
            batches = fold(targets, notifications, log.decode)
            if notifications:
                position, done = notifications[-1].id, done + len(notifications)
            total = done + max(0, log.last() - position)
            if writing is not None:
                _report(progress, names, *writing.result())
            writing = writer.submit(_write, batches, names, run_id, position, done, total)
            if len(notifications) < BATCH:
                _report(progress, names, *writing.result())
                return position, dict.fromkeys(names, done)


def _fill_parallel(
    log: EventLog, targets: list[Target], run_id: str, progress: Progress | None,
    parts: int,
) -> tuple[int, dict[str, int]]:
    """Fill the shadows up to today's head in `parts` processes, each the streams of one
    partition (every read table is keyed by stream, so they never touch the same rows).

    Each child reads only its streams' events of the types the projections use, folds and
    writes them; this process sums their progress into the status. `_swap` then applies
    what arrived meanwhile, as after a one-pass fill.
    """
    names = [p.name for p, _ in targets]
    upto = log.head()  # final at and below: each part reads its range once
    topics = sorted({get_topic(kind) for model, _ in targets for kind in model.types})
    context = multiprocessing.get_context("spawn")  # a clean interpreter: no inherited pools
    queue: Any = context.Queue()
    children = [context.Process(target=_fill_part, name=f"rebuild-part-{k}",
                                args=(names, (k, parts), upto, topics, queue))
                for k in range(parts)]
    for child in children:
        child.start()
    done = dict.fromkeys(range(parts), 0)
    finished: set[int] = set()
    try:
        while len(finished) < parts:
            try:
                kind, k, value = queue.get(timeout=1.0)
            except Empty:
                dead = [c for i, c in enumerate(children)
                        if i not in finished and c.exitcode is not None]
                if dead:
                    raise RuntimeError(f"{dead[0].name} exited with {dead[0].exitcode}") from None
                continue
            if kind == "error":
                raise RuntimeError(f"rebuild partition {k} failed: {value}")
            done[k] = value
            if kind == "finished":
                finished.add(k)
            with session_scope() as session:
                record(session, names, run_id, done=sum(done.values()), total=upto)
            _report(progress, names, min(sum(done.values()), upto), upto)
    finally:
        for child in children:
            if child.is_alive() and len(finished) < parts:
                child.terminate()
            child.join()
    with session_scope() as session:  # events up to `upto` in all, whatever their type
        through = log.count_through(upto)
        record(session, names, run_id, position=upto, done=through, total=upto)
    _report(progress, names, through, through)
    return upto, dict.fromkeys(names, through)


def _fill_part(
    names: list[str], part: tuple[int, int], upto: int, topics: list[str] | None, queue: Any
) -> None:
    """In a child process: fold and write one partition's events up to `upto`."""
    log = None
    try:
        log = EventLog.open(get_settings())
        targets = [(registry.get(name), shadow.tables(registry.get(name))) for name in names]
        position = scanned = 0
        while position < upto:
            notifications, position = log.read_part(  # about a batch of its events
                position, upto, BATCH * part[1] * 2, part, topics)
            batches = fold(targets, notifications, log.decode)
            with session_scope() as session:
                write(session.connection(), batches)
            scanned = position
            queue.put(("progress", part[0], scanned // part[1]))
        queue.put(("finished", part[0], upto // part[1]))
    except BaseException as exc:
        queue.put(("error", part[0], f"{type(exc).__name__}: {exc}"))
        raise
    finally:
        if log is not None:
            log.close()


def _write(  # noqa: PLR0913 - one batch and where it leaves the run
    batches: list[Batch], names: list[str], run_id: str, position: int, done: int, total: int
) -> tuple[int, int]:
    with session_scope() as session:
        write(session.connection(), batches)
        record(session, names, run_id, position=position, done=done, total=total)
    return done, total


def _report(progress: Progress | None, names: list[str], done: int, total: int) -> None:
    for name in names if progress is not None else ():
        progress(name, done, total)  # type: ignore[misc]  # not None here


def _swap(
    log: EventLog, target: Target, reached: tuple[int, int], run_id: str
) -> int:
    """Catch the shadow up to the head under the tracking lock, and swap it in."""
    (projection, _), (position, done) = target, reached
    name = projection.name
    with session_scope() as session:
        record(session, [name], run_id, state="swapping")
    started = time.monotonic()
    upto = log.head(position)  # before the lock: the head waits for transactions
    with session_scope() as session:
        # Every partition's row: the live advancers wait here until the swap commits.
        rows = lock_projection(session, name)
        while True:
            notifications = log.read(position, BATCH, upto)
            if not notifications:
                break
            apply(session.connection(), [target], notifications, log.decode)
            position, done = notifications[-1].id, done + len(notifications)
        shadow.swap(session.connection(), projection)
        set_tracking(session, *rows, position=position, last_error=None)
        finish(session, name, run_id, position=position, done=done)
    PROJECTION_EVENTS.labels(name).inc(done)
    logger.info("rebuilt %s: %d events, swapped in %.3f s", name, done,
             time.monotonic() - started)
    return done
