"""The events' answer cache, as a route decorator: serialized answers by projection position.

A read model's answer is fixed by its projection position, so an answer serialized once can be
served again while the position stays put: exact, since a new position simply misses. One that
depends on the time too (the events on sale: not started yet) is kept with the moment it holds
until (`Read.until`: the first listed event's start) and is never served past it, fresh, stale
or cached. A cached route takes its whole read (position, 304, cache, rows, JSON) in one thread
hop, its session inside it: a pooled connection held across hops starves the pool once more
requests wait for a connection than the thread pool has threads.
"""

import asyncio
import functools
import inspect
import threading
import time
import weakref
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, NamedTuple, ParamSpec, cast, get_args

from fastapi import Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from core.lru import Lru
from query_api.reads.consistency import READ_HEADER, Read, etag, not_modified

P = ParamSpec("P")
_CREATE = threading.Lock()
Reading = weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Future[None]]
FRESH_SECONDS = 0.05
STALE_SECONDS = 1.0  # the oldest answer given while a read of a fresher one is in flight


SCOPE = "answer_scope"  # a request's state: whose answer it is (empty: anyone's)


def scope_answer(request: Request, scope: str) -> None:
    """Cache this request's answer for `scope` alone (set by a dependency: before the cache is
    asked)."""
    setattr(request.state, SCOPE, scope)


class Answer(NamedTuple):
    """A serialized answer, and the moment it stops being right at its position (None: it
    holds while the position stays put)."""

    body: bytes
    until: datetime | None = None

    def holds(self) -> bool:
        return self.until is None or datetime.now(UTC) < self.until


class PageCache:
    """Serialized answers by (request, projection position), least recently used out first;
    and when the projection was last read, for answers a few milliseconds old."""

    def __init__(self, size: int = 512, fresh_for: float = FRESH_SECONDS) -> None:
        self._fresh_for = fresh_for
        self._pages: Lru[tuple[str, int], Answer] = Lru(size)
        self._lock = threading.Lock()
        self._latest = (float("-inf"), 0)  # (when, position) the projection was last read at
        # Per event loop, the read in flight (touched only from that loop's thread).
        self._reading: Reading = weakref.WeakKeyDictionary()

    def refreshing(self) -> bool:
        """Whether this loop has a read in flight."""
        return asyncio.get_running_loop() in self._reading

    async def after_reading(self) -> bool:
        """Wait for the read this loop has in flight, if any (False when there is none)."""
        current = self._reading.get(asyncio.get_running_loop())
        if current is None:
            return False
        await asyncio.shield(current)
        return True

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Mark a read in flight on this loop, for `after_reading`."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._reading[loop] = done
        try:
            yield
        finally:
            if self._reading.get(loop) is done:
                del self._reading[loop]
            done.set_result(None)

    def fresh(self, request: Request, *, stale: bool = False
              ) -> tuple[int, bytes, datetime | None] | None:
        """The last answer to this request if read within `fresh_for` seconds (micro-cache),
        or, `stale`, within STALE_SECONDS (a read failing meanwhile bounds nothing).

        Only for reads without `min_position`: they accept whatever the projection reached,
        and a position a few milliseconds old is that.
        """
        if "min_position" in request.query_params:
            return None
        where, _ = self.key(request, 0)
        with self._lock:  # one position for every request: any read keeps all pages fresh
            when, position = self._latest
        if time.monotonic() - when > (STALE_SECONDS if stale else self._fresh_for):
            return None
        found = self._pages.peek((where, position))
        if found is None or not found.holds():
            return None
        return position, found.body, found.until

    @staticmethod
    def of(request: Request) -> "PageCache":
        """The app's own cache (one per app: each app reads its own database)."""
        state = request.app.state
        with _CREATE:
            if not hasattr(state, "event_pages"):
                state.event_pages = PageCache()
        cache: PageCache = state.event_pages
        return cache

    @staticmethod
    def key(request: Request, position: int) -> tuple[str, int]:
        query = sorted((k, v) for k, v in request.query_params.multi_items()
                       if k != "min_position")  # the position reached is in the key already
        # An answer that depends on who asks (drafts their organizers see) is theirs alone.
        scope = getattr(request.state, SCOPE, "")
        return f"{request.url.path}?{query}#{scope}", position

    def get(self, key: tuple[str, int]) -> Answer | None:
        """The answer at this position, if it still holds; a hit also renews its freshness
        (position just read)."""
        found = self._pages.get(key)
        if found is None or not found.holds():
            return None
        self._seen(key[1])
        return found

    def put(self, key: tuple[str, int], answer: Answer) -> None:
        self._pages.put(key, answer)
        self._seen(key[1])

    def _seen(self, position: int) -> None:
        """The projection was just read at `position` (never goes back)."""
        with self._lock:
            if position >= self._latest[1]:
                self._latest = (time.monotonic(), position)

    def answer_fresh(self, read: Read, *, stale: bool = False) -> Response | None:
        """A page read within the last few milliseconds (`stale`: the last one read), without
        opening a transaction at all."""
        fresh = self.fresh(read.request, stale=stale)
        if fresh is None:
            return None
        position, body, until = fresh
        read.response.headers[READ_HEADER] = str(position)
        return not_modified(read.request, read.response, position, until) or json_answer(
            Answer(body, until), position, read)

    async def answer_recent(self, read: Read) -> Response | None:
        """A fresh answer; or, while this loop reads a fresher one, the last answer (at most
        STALE_SECONDS old) or, if this request's was not read yet, that read's if it is it."""
        recent = self.answer_fresh(read)
        if recent is None and "min_position" not in read.request.query_params and (
                self.refreshing()):
            recent = self.answer_fresh(read, stale=True)
            if recent is None and await self.after_reading():
                recent = self.answer_fresh(read)
        return recent


def json_answer(answer: Answer, position: int, read: Read) -> Response:
    """The body with the headers the read set (position) and its ETag."""
    read.response.headers["ETag"] = etag(position, answer.until)
    headers = {k: v for k, v in read.response.headers.items() if k.lower() != "content-length"}
    return Response(answer.body, media_type="application/json", headers=headers)


def cached(route: Callable[P, BaseModel]) -> Callable[P, Coroutine[Any, Any, Response]]:
    """A sync read route taking a `Read`, answered from the app's PageCache when it can be.

    Fresh answers come from the event loop; else one thread hop gives a 304, the answer cached
    at the position read, or the route's model (then cached). A burst of requests after the
    answer went stale makes one query, not one each from a pool too small for them.
    """
    name = _read_parameter(route)

    @functools.wraps(route)
    async def answer(*args: P.args, **kwargs: P.kwargs) -> Response:
        read = cast(Read, kwargs[name])  # FastAPI passes every parameter by name
        pages = PageCache.of(read.request)
        recent = await pages.answer_recent(read)
        if recent is not None:
            return recent

        def read_through() -> Response:
            with read:
                unchanged = read.not_modified()
                if unchanged is not None:
                    return unchanged  # a bare 304, before any row is read
                key = pages.key(read.request, read.position)
                found = pages.get(key)
                if found is not None:
                    return json_answer(found, read.position, read)
                model = route(*args, **kwargs)
            answer = Answer(model.model_dump_json().encode(), read.until)  # after the transaction
            pages.put(key, answer)
            return json_answer(answer, read.position, read)

        with pages.reading():
            return await run_in_threadpool(read_through)

    return answer


def _read_parameter(route: Callable[..., Any]) -> str:
    for name, parameter in inspect.signature(route).parameters.items():
        if Read in (parameter.annotation, *get_args(parameter.annotation)):
            return name
    raise TypeError(f"{route.__qualname__} takes no Read to cache by")
