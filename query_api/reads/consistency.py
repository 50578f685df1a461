"""Read-your-writes: a read consistent with a position, waited for, stamped and tagged.

A read may wait (bounded, `query_api.reads.waits`) until its projections reached `min_position`,
and says which position it reflects. That position fixes the answer, so it is the ETag too,
and If-None-Match is settled before any row is read. An answer that depends on the time too
(what is on sale: events not started yet) holds until a moment, named in its ETag beside the
position (`"p<position>-u<ms>"`): held before that moment at that position, it is still right.
"""

import time
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Annotated, Any, NamedTuple
from uuid import UUID

from fastapi import Depends, Query, Request, Response, params
from fastapi.routing import APIRoute
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from core import metrics
from core.db import read_scope, unreachable
from projections import partitions, registry, tracking
from query_api.reads import replicas, waits
from query_api.schemas.common import MAX_POSITION

PRIMARY_READS = metrics.READS.labels("primary")  # labelled once: every read counts
REPLICA_FAILED = "read_replica_failed"  # a request's state: its replica failed mid-read
SAFE_METHODS = frozenset({"GET", "HEAD"})  # read again only what asks for no change
READ_HEADER = "X-Projection-Position"
WRITE_HEADER = "X-Position"
MinPosition = Annotated[
    int | None,
    Query(ge=0, le=MAX_POSITION,
          description="wait (bounded) until the read model reached this global position"),
]


class Target(NamedTuple):
    """Where a read goes: a replica that replayed `wanted` (or, with no position, one recent
    enough), else the primary."""

    wanted: int | None = None  # the `min_position` asked for
    replica: replicas.Replica | None = None


PRIMARY_TARGET = Target()


class Read:
    """One request's read of some projections, after its wait for `min_position`.

    Its session opens on first use, in the route's worker thread, on its target's replica or
    on the primary, and reads the projections' position before any row: the rows are at least
    that new. `close` gives the connection back; the dependency closes what the route left
    open.
    """

    def __init__(self, request: Request, response: Response, names: tuple[str, ...],
                 caught_up: bool, on: Target = PRIMARY_TARGET) -> None:
        self.request, self.response, self.names = request, response, names
        self.caught_up = caught_up  # the projections reached `min_position` in time
        self.wanted, self.replica = on.wanted, on.replica
        # Set by a route whose answer holds only until then, even at the same position.
        self.until: datetime | None = None
        self._scope: AbstractContextManager[Session] | None = None
        self._session: Session | None = None
        self._position: int | None = None  # known once opened, kept once closed
        self._on_replica: replicas.Replica | None = None  # the replica the read began on

    @property
    def session(self) -> Session:
        if self._session is None:
            if self._position is not None:
                raise RuntimeError("this read was closed")
            self._session, self._position = self._open()
        return self._session

    @property
    def position(self) -> int:
        """The position the projections had reached when the read began."""
        if self._position is None:
            self._session, self._position = self._open()
        return self._position

    @property
    def is_open(self) -> bool:
        return self._scope is not None

    def _open(self) -> tuple[Session, int]:
        """Begin the read on its replica, or on the primary when it has none, when its replica
        fails, or when the replica's transaction sees less than `min_position`."""
        replica, self.replica = self.replica, None
        if replica is not None:
            try:
                session, position = self._begin(replica.engine)
            except DBAPIError as exc:
                replica.failed(exc)
            else:
                if self.wanted is None or position >= self.wanted:
                    replica.reads.inc()
                    self._on_replica = replica
                    return session, position
                self.close()
        PRIMARY_READS.inc()
        return self._begin(None)

    def _begin(self, engine: Engine | None) -> tuple[Session, int]:
        self._scope = read_scope(engine)
        try:
            session = self._scope.__enter__()
            reached = tracking.positions(session)
        except BaseException as exc:
            self.close(exc)
            raise
        position = min(partitions.position_of(reached, name) for name in self.names)
        self.response.headers[READ_HEADER] = str(position)
        return session, position

    def close(self, error: BaseException | None = None) -> None:
        """End the read transaction (the rows already read stay usable). After `error` it is
        rolled back: a commit on a connection the server dropped would raise a second error
        (PendingRollbackError) in place of the first, answered 500 instead of 503."""
        scope, self._scope, self._session = self._scope, None, None
        if unreachable(error) and self._on_replica is not None:
            # Its server went (stopped, restarted, cut off) after the read began: it is out
            # until a check reaches it again, and the route reads again (`ReadRoute`).
            self._on_replica.failed(error)
            setattr(self.request.state, REPLICA_FAILED, True)
        if scope is not None:
            if error is None:
                scope.__exit__(None, None, None)
            else:
                scope.__exit__(type(error), error, error.__traceback__)

    def __enter__(self) -> "Read":
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        self.close(error)

    def not_modified(self) -> Response | None:
        """Stamp the ETag; a bare 304 when the client already holds this position's answer."""
        return not_modified(self.request, self.response, self.position)


class ReadRoute(APIRoute):
    """A route of reads: one whose replica failed after its read began is read again, once,
    from the start (the replica is out by then: on another one or on the primary). Reads
    change nothing, so reading again is safe; a client never sees a replica go."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def read_again_when_a_replica_failed(request: Request) -> Response:
            try:
                return await handle(request)
            except DBAPIError:
                if request.method not in SAFE_METHODS or not getattr(
                        request.state, REPLICA_FAILED, False):
                    raise
            setattr(request.state, REPLICA_FAILED, False)
            return await handle(request)

        return read_again_when_a_replica_failed


def reading(*names: str) -> params.Depends:
    """A dependency: wait for `min_position` on these projections, then a `Read` of them
    (closed, if the route left it open, before the answer is sent)."""

    async def wait_then_read(
        request: Request, response: Response, min_position: MinPosition = None
    ) -> AsyncIterator[Read]:
        scoped = of_event(names, request.path_params.get("event_id"))
        # On the event loop: a waiting read holds no thread and no connection.
        caught_up = await waits.wait_for(min_position, scoped)
        replica = None
        if caught_up and (to_replicas := replicas.read_replicas()) is not None:
            replica = await to_replicas.for_read(min_position, scoped)
        read = Read(request, response, scoped, caught_up, Target(min_position, replica))
        error: BaseException | None = None
        try:
            yield read
        except BaseException as exc:
            error = exc
            raise
        finally:
            if read.is_open:
                await run_in_threadpool(read.close, error)

    depends: params.Depends = Depends(wait_then_read, scope="function")
    return depends


def of_event(names: tuple[str, ...], event_id: object) -> tuple[str, ...]:
    """What a read of one event's rows (`event_id` a path parameter) waits for: only the
    partition holding its stream, of the read models whose rows of an event fold from its
    stream alone (`projections.partitions`); all of the others."""
    if event_id is None:  # a read across events (the list's: the hottest)
        return names
    try:
        stream = UUID(str(event_id))
    except ValueError:  # not an id: the route answers 422 itself
        return names
    return tuple(partitions.for_stream(name, stream) if registry.get(name).by_event else name
                 for name in names)


EventsRead = Annotated[Read, reading("availability")]
BookingsRead = Annotated[Read, reading("bookings")]
HoldsRead = Annotated[Read, reading("holds")]
# The money moves the stats read for what payments collected are the bookings read model's.
StatsRead = Annotated[Read, reading("revenue", "availability", "bookings")]


def etag(position: int, until: datetime | None = None) -> str:
    """The answer's tag: its position, and the moment it holds until, if it holds only until
    then (in whole milliseconds, rounded down: never later than that moment)."""
    if until is None:
        return f'"p{position}"'
    return f'"p{position}-u{int(until.timestamp() * 1000)}"'


def held_still_right(held: str, position: int) -> str | None:
    """The tag of If-None-Match (`held`) naming an answer still right at `position`: one of
    that position holding until a moment not reached yet, or at all times."""
    tags = {t.strip().removeprefix("W/") for t in held.split(",")}
    if "*" in tags:
        return etag(position)
    bounded = f'"p{position}-u'
    for tag in tags:
        if tag == etag(position):
            return tag
        until = tag[len(bounded):-1] if tag.startswith(bounded) and tag.endswith('"') else ""
        if until.isdigit() and time.time() * 1000 < int(until):
            return tag
    return None


def not_modified(request: Request, response: Response, position: int,
                 until: datetime | None = None) -> Response | None:
    """Stamp the ETag of `position` (holding `until`); a 304 when If-None-Match holds an answer
    still right at that position."""
    response.headers["ETag"] = etag(position, until)
    response.headers["Cache-Control"] = "no-cache"  # may be stored, but ask again each time
    held = request.headers.get("if-none-match")
    if held is None:
        return None
    tag = held_still_right(held, position)
    if tag is None:
        return None
    headers = {"ETag": tag, "Cache-Control": "no-cache", READ_HEADER: str(position)}
    return Response(status_code=304, headers=headers)


def stamp_write(response: Response, position: int | None) -> None:
    """Command responses carry the position of their last event."""
    if position is not None:
        response.headers[WRITE_HEADER] = str(position)
