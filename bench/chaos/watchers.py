"""The soak's watchers: SSE subscribers to live availability, and an SDK client following the
audit log feed. Both reconnect after a fault and remember what they last saw."""

import asyncio
import json
import threading
import time
from typing import Any

import aiohttp
from event_sdk import ApiClient, Configuration
from event_sdk.api.audit_api import AuditApi

from bench.chaos.history import History


class Subscriber:
    """One SSE subscriber on one event's availability stream: its last message."""

    def __init__(self, name: str, event: str) -> None:
        self.name, self.event = name, event
        self.last: dict[str, Any] | None = None
        self.messages = 0
        self.reconnects = 0

    async def run(self, session: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        path = f"/api/events/{self.event}/availability/stream"
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=5, sock_read=30)
        while not stop.is_set():
            try:
                async with session.get(path, timeout=timeout) as response:
                    if response.status != 200:
                        raise aiohttp.ClientResponseError(response.request_info, (),
                                                          status=response.status)
                    async for raw in response.content:
                        line = raw.decode().strip()
                        if line.startswith("data:"):
                            self.last = json.loads(line[5:])
                            self.messages += 1
                        if stop.is_set():
                            return
            except (aiohttp.ClientError, TimeoutError, json.JSONDecodeError):
                pass
            if not stop.is_set():
                self.reconnects += 1
                await asyncio.sleep(0.5)

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "event": self.event, "last": self.last,
                "messages": self.messages, "reconnects": self.reconnects}


class FeedFollower(threading.Thread):
    """Follows GET /api/audit/log through the generated SDK, cursor by cursor."""

    def __init__(self, url: str, token: str, history: History, lock: threading.Lock) -> None:
        super().__init__(name="feed-follower", daemon=True)
        config = Configuration(host=url, access_token=token)
        self.api = AuditApi(ApiClient(config))
        self.history, self.lock = history, lock
        self.positions: list[int] = []
        self.cursor = 0
        self.head = 0
        self.stopping = threading.Event()
        self.caught_up = threading.Event()

    def run(self) -> None:
        while True:
            t0 = time.time()
            op: dict[str, Any] = {"client": "feed", "kind": "feed", "sent": {"after": self.cursor},
                                  "t0": t0}
            try:
                page = self.api.get_audit_log(after=self.cursor, limit=500, _request_timeout=10)
            except Exception as exc:  # every SDK failure is a fault to ride out
                status = getattr(exc, "status", None)
                op |= {"t1": time.time(), "status": status or None, "error": type(exc).__name__,
                       "code": _code(getattr(exc, "body", None))}
                self._record(op)
                time.sleep(0.5)
                continue
            got = [item.position for item in page.items]
            self.positions += got
            self.cursor, self.head = page.next_cursor, page.head
            self._record(op | {"t1": time.time(), "status": 200, "answer": {"count": len(got)}})
            if not got:
                if self.stopping.is_set() and self.cursor >= self.head:
                    self.caught_up.set()
                    return
                time.sleep(0.3)

    def _record(self, op: dict[str, Any]) -> None:
        with self.lock:
            self.history.record(op)


def _code(body: Any) -> str | None:
    try:
        return str(json.loads(body)["code"])
    except (TypeError, ValueError, KeyError):
        return None
