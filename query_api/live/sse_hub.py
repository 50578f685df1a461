"""Live availability: one hub per API process fans change notices out to SSE subscribers.

The hub holds one Redis pub/sub connection (embedded: an in-process listener) whatever the
number of clients. On a notice it reads the subscribed events' availability once, in a short
read-only transaction, and offers each subscriber its events; subscribers keep only the latest
view per event, so a slow client costs memory bounded by its events, never a growing queue.
"""

import asyncio
import contextlib
import json
import logging
import signal
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any
from uuid import UUID

import redis.asyncio as aioredis
from starlette.concurrency import run_in_threadpool

from core import changes
from core.db import read_scope
from core.settings import get_settings
from query_api.reads import availability

log = logging.getLogger(__name__)
POLL_SECONDS = 2.0  # brokers without pub/sub, and Redis while it is unreachable
View = dict[str, Any]


class StreamsFull(Exception):
    """No room for another live stream: this client's or the process's streams are at the cap."""


class Subscriber:
    """One SSE client: its events and the latest views not yet sent."""

    def __init__(self, ids: frozenset[UUID], client: str = "") -> None:
        self.ids = ids
        self.client = client
        self.closed = False
        self._pending: dict[UUID, View] = {}
        self._ready = asyncio.Event()

    def offer(self, views: dict[UUID, View]) -> None:
        mine = {k: v for k, v in views.items() if k in self.ids}
        if mine:
            self._pending.update(mine)
            self._ready.set()

    def follow_only(self, known: Iterable[UUID]) -> None:
        """Drop the ids that are no event: they are never read again."""
        self.ids = self.ids & frozenset(known)

    def close(self) -> None:
        self.closed = True
        self._ready.set()

    async def next(self, timeout: float) -> list[View]:
        """Views changed since the last call; [] after `timeout` (time for a heartbeat)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout)
        self._ready.clear()
        views, self._pending = list(self._pending.values()), {}
        return views


class Hub:
    """Per-process fan-out from change notices to subscribers."""

    def __init__(self) -> None:
        self._subscribers: set[Subscriber] = set()
        self._per_client: Counter[str] = Counter()
        self._dirty = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.stopped = False
        _hubs.add(self)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def subscribe(
        self, ids: Iterable[UUID], client: str = "",
        per_client: int | None = None, total: int | None = None,
    ) -> Subscriber:
        """A new subscriber, unless `client` holds `per_client` streams or all hold `total`."""
        if total is not None and len(self._subscribers) >= total:
            raise StreamsFull("This server has as many live streams open as it serves")
        if per_client is not None and self._per_client[client] >= per_client:
            raise StreamsFull(f"This client has {per_client} live streams open already")
        if self._loop is None:
            self._start()
        subscriber = Subscriber(frozenset(ids), client)
        if self.stopped:
            subscriber.close()
        self._subscribers.add(subscriber)
        self._per_client[client] += 1
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> bool:
        """Forget it (idempotent); whether it was still subscribed."""
        if subscriber not in self._subscribers:
            return False
        self._subscribers.discard(subscriber)
        self._per_client[subscriber.client] -= 1
        if self._per_client[subscriber.client] <= 0:
            del self._per_client[subscriber.client]
        return True

    def followed(self) -> frozenset[UUID]:
        """Every event some subscriber follows (what a change notice reads)."""
        return frozenset().union(*(s.ids for s in self._subscribers))

    def notify(self, _: object = None) -> None:
        """Something changed: read again (safe from any thread)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._dirty.set)

    def close_all(self) -> None:
        """The server is shutting down: end every stream (safe from any thread)."""
        self.stopped = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._close_subscribers)

    async def stop(self) -> None:
        self.stopped = True
        self._close_subscribers()
        changes.stop_listening(self.notify)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()

    def _close_subscribers(self) -> None:
        for subscriber in list(self._subscribers):
            subscriber.close()

    def _start(self) -> None:
        self._loop = asyncio.get_running_loop()
        settings = get_settings()
        url = changes.redis_url(settings)
        if settings.is_eager:
            changes.listen_locally(self.notify)
        elif url is not None:
            self._tasks.append(asyncio.create_task(self._listen_redis(url)))
        else:
            self._tasks.append(asyncio.create_task(self._poll()))
        self._tasks.append(asyncio.create_task(self._refresh()))
        end_streams_on_exit_signals()

    async def _refresh(self) -> None:
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            ids = self.followed()
            if not ids:
                continue
            try:
                views = await run_in_threadpool(read_views, ids)
            except Exception:  # the store is down: streams stay open, the next notice retries
                log.warning("could not read availability for live streams", exc_info=True)
                continue
            for subscriber in list(self._subscribers):
                subscriber.offer(views)

    async def _listen_redis(self, url: str) -> None:
        name = changes.channel(get_settings())
        while True:
            client = aioredis.Redis.from_url(url, socket_connect_timeout=2)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(name)
                self._dirty.set()  # (re)connected: anything missed meanwhile is read now
                while True:
                    message = await pubsub.get_message(timeout=30.0)
                    if message is not None:
                        self._dirty.set()
            except (aioredis.RedisError, OSError):
                log.warning("live availability: Redis pub/sub lost, retrying", exc_info=True)
                self._dirty.set()
                await asyncio.sleep(POLL_SECONDS)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
                    await client.aclose()

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            if self._subscribers:
                self._dirty.set()


def read_views(ids: Iterable[UUID]) -> dict[UUID, View]:
    """One short read: availability of these events and the projection's position."""
    with read_scope() as session:
        views = availability.availability(session, ids)
        position = availability.position(session)
    for view in views.values():
        view["position"] = position
    return views


def sse(view: View) -> str:
    """One server-sent event carrying a view."""
    return f"event: availability\nid: {view['position']}\ndata: {json.dumps(view)}\n\n"


_hubs: "weakref.WeakSet[Hub]" = weakref.WeakSet()
EXIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_chained = False


def end_streams_on_exit_signals() -> None:
    """Chain this process's SIGINT and SIGTERM handlers with one that ends every open stream.

    The server (uvicorn) waits for open responses before it shuts the app down, and a live
    stream never ends by itself: without this a SIGTERM would wait out its whole grace period.
    The server's own handler runs first, as before. Only a process whose main thread runs the
    event loop (a served app) receives signals there; elsewhere (an app in a test's thread)
    the caller ends the streams itself (`Hub.close_all`).
    """
    global _chained  # noqa: PLW0603 - once per process
    if _chained or threading.current_thread() is not threading.main_thread():
        return
    for signum in EXIT_SIGNALS:
        signal.signal(signum, _ending_streams(signal.getsignal(signum)))
    _chained = True


def _ending_streams(previous: Any) -> Callable[[int, FrameType | None], None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        for hub in list(_hubs):
            hub.close_all()
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:  # the default action: restore it, then take it
            signal.signal(signum, signal.SIG_DFL)
            signal.raise_signal(signum)

    return handler
