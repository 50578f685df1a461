"""Conditional and cached reads of the events' read model, each in one thread hop.

A read model's answer is fixed by its projection position, so that position is its ETag,
If-None-Match is settled before any row is read, and a serialized answer can be served again
while the position stays put. The session lives inside the route's own
thread hop: a pooled connection held by a dependency across hops starves the pool once more
requests wait for a connection than the thread pool has threads.
"""

import asyncio
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from core.db import read_scope
from projections import tracking
from query_api import waits
from query_api.consistency import READ_HEADER, Read

PROJECTION = "availability"


def answer_fresh(request: Request, response: Response, *, stale: bool = False) -> Response | None:
    """A page read within the last few milliseconds (`stale`: the last one read), without
    opening a transaction at all."""
    fresh = PageCache.of(request).fresh(request, stale=stale)
    if fresh is None:
        return None
    position, body = fresh
    response.headers[READ_HEADER] = str(position)
    return not_modified(request, response, position) or json_answer(body, response)


@contextmanager
def events_read(response: Response, caught_up: bool) -> Iterator[Read]:
    """One read transaction, after the wait for `min_position` (`caught_up`: it was reached)."""
    with read_scope() as session:
        position = tracking.positions(session).get(PROJECTION, 0)  # before the rows
        response.headers[READ_HEADER] = str(position)
        yield Read(session, position, caught_up)


def etag(position: int) -> str:
    return f'"p{position}"'


def not_modified(request: Request, response: Response, position: int) -> Response | None:
    """Stamp the ETag; a 304 when the client already holds this position's answer."""
    tag = etag(position)
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = "no-cache"  # may be stored, but ask again each time
    held = request.headers.get("if-none-match")
    if held is None:
        return None
    tags = {t.strip().removeprefix("W/") for t in held.split(",")}
    if tag not in tags and "*" not in tags:
        return None
    headers = {"ETag": tag, "Cache-Control": "no-cache", READ_HEADER: str(position)}
    return Response(status_code=304, headers=headers)


_CREATE = threading.Lock()
Reading = weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Future[None]]
FRESH_SECONDS = 0.05
STALE_SECONDS = 1.0  # the oldest answer given while a read of a fresher one is in flight


class PageCache:
    """Serialized answers by (request, projection position): exact, since the position fixes
    the rows; a new position simply misses. Least recently used entries go first."""

    def __init__(self, size: int = 512, fresh_for: float = FRESH_SECONDS) -> None:
        self._size = size
        self._fresh_for = fresh_for
        self._lock = threading.Lock()
        self._pages: OrderedDict[tuple[str, int], bytes] = OrderedDict()
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

    def fresh(self, request: Request, *, stale: bool = False) -> tuple[int, bytes] | None:
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
            body = self._pages.get((where, position))
        return None if body is None else (position, body)

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
        return f"{request.url.path}?{query}", position

    def get(self, key: tuple[str, int]) -> bytes | None:
        """The answer at this position; a hit also renews its freshness (position just read)."""
        with self._lock:
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
                self._seen(key[1])
            return body

    def put(self, key: tuple[str, int], body: bytes) -> None:
        with self._lock:
            self._pages[key] = body
            self._seen(key[1])
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)

    def _seen(self, position: int) -> None:
        """The projection was just read at `position` (under the lock; never goes back)."""
        if position >= self._latest[1]:
            self._latest = (time.monotonic(), position)


def json_answer(body: bytes, response: Response) -> Response:
    """The body with the headers the route set (ETag, position)."""
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return Response(body, media_type="application/json", headers=headers)


async def cached_read(
    request: Request,
    response: Response,
    min_position: int | None,
    fetch: Callable[[Session], Any],
    serialize: Callable[[Any, int], bytes],
) -> Response:
    """A read of the events' model: fresh from the event loop, else in one thread hop a 304,
    the cached answer at the position read, or `fetch` (rows, in the transaction) then
    `serialize` (rows and position to JSON, after it), cached.

    When the fresh answer has just gone stale, the first request reads; the others of its
    event loop meanwhile take the last answer (at most STALE_SECONDS old), or, if theirs
    was not read yet, wait for that read and take its answer if it is theirs. A burst of
    requests makes one query, not one each from a pool too small for them, and only the
    request that reads waits for it.
    """
    pages = PageCache.of(request)
    recent = answer_fresh(request, response)
    if recent is None and min_position is None and pages.refreshing():
        recent = answer_fresh(request, response, stale=True)
        if recent is None and await pages.after_reading():
            recent = answer_fresh(request, response)
    if recent is not None:
        return recent

    def read() -> Response:
        with events_read(response, caught_up) as at:
            unchanged = not_modified(request, response, at.position)
            if unchanged is not None:
                return unchanged  # a bare 304, before any row is read
            key = pages.key(request, at.position)
            body = pages.get(key)
            found = fetch(at.session) if body is None else None
        if body is None:
            body = serialize(found, at.position)
            pages.put(key, body)
        return json_answer(body, response)

    caught_up = await waits.wait_for(min_position, (PROJECTION,))  # on the loop, no thread
    with pages.reading():
        return await run_in_threadpool(read)
