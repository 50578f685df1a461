"""The soak's load, in a process of its own: `python -m bench.chaos.load SPEC.json`.

First a short probe (closed loop, as fast as it goes, the readers beside it at their rate)
measures the booking maximum; then an open schedule at `fraction` of it for `duration` seconds:
customers booking (each with an Idempotency-Key, retried with the same key while the answer is
in doubt) and cancelling their own bookings, readers listing and paging, SSE subscribers, the SDK
feed follower. Then quiet: the projections catch up, the watchers take their last look. Each
phase and the end are printed as JSON lines; the history goes to `out/history.jsonl`.
"""

import asyncio
import json
import random
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import uvloop

from bench.chaos.history import History, Op
from bench.chaos.watchers import FeedFollower, Subscriber

IN_DOUBT_RETRIES = 5  # a client retries a booking in doubt with its key, then gives up


def say(**what: Any) -> None:
    print(json.dumps(what | {"t": time.time()}), flush=True)


class Load:
    """The clients of one run, sharing a session and the history."""

    def __init__(self, spec: dict[str, Any], session: aiohttp.ClientSession) -> None:
        self.spec, self.session = spec, session
        self.rng = random.Random(spec["seed"])  # noqa: S311 - load, not secrets
        self.history = History(Path(spec["out"]) / "history.jsonl")
        self.lock = threading.Lock()  # the follower's thread records too
        self.events = spec["events"]
        self.weights = [e["weight"] for e in self.events]
        self.held: dict[str, list[str]] = {c["user"]: [] for c in spec["customers"]}
        self.phase = "probe"

    async def call(self, op: Op, method: str, path: str, token: str | None,
                   **kw: Any) -> dict[str, Any] | None:
        """Send one request and record it: its answer's body, or None."""
        headers = kw.pop("headers", {}) | ({"Authorization": f"Bearer {token}"} if token else {})
        op |= {"phase": self.phase, "t0": time.time()}
        body: Any = None
        try:
            async with self.session.request(method, path, headers=headers, **kw) as response:
                raw = await response.read()
                op["status"] = response.status
                body = json.loads(raw) if raw else None
        except (aiohttp.ClientError, TimeoutError) as exc:
            op["error"] = type(exc).__name__ or "TimeoutError"
        except ValueError:
            op["error"] = "not JSON"
        op["t1"] = time.time()
        if isinstance(body, dict) and op.get("status", 200) >= 400:
            op["code"] = body.get("code")
        elif isinstance(body, dict) and "id" in body:
            op["answer"] = {"id": body["id"], "position": body.get("position")}
        with self.lock:
            self.history.record(op)
        return body if isinstance(body, dict) and op.get("status", 0) < 300 else None

    async def book(self, client: str) -> None:
        customer = self.rng.choice(self.spec["customers"])
        event = self.rng.choices(self.events, self.weights)[0]
        category = self.rng.choice(event["categories"])
        sent = {"category": category, "quantity": self.rng.randint(1, 3)}
        key = uuid.uuid4().hex
        for _ in range(IN_DOUBT_RETRIES):
            op: Op = {"client": client, "kind": "book", "user": customer["user"], "key": key,
                      "event": event["id"], "sent": sent}
            answer = await self.call(op, "POST", f"/api/events/{event['id']}/book",
                                     customer["token"], json=sent,
                                     headers={"Idempotency-Key": key})
            if answer is not None:
                self.held[customer["user"]].append(answer["id"])
            if op["type"] != "info":
                return
            await asyncio.sleep(1.0)

    async def cancel(self, client: str) -> None:
        customer = self.rng.choice(self.spec["customers"])
        held = self.held[customer["user"]]
        if not held:
            return await self.book(client)
        booking = held.pop(self.rng.randrange(len(held)))
        for _ in range(IN_DOUBT_RETRIES):
            op: Op = {"client": client, "kind": "cancel", "user": customer["user"],
                      "booking": booking}
            await self.call(op, "DELETE", f"/api/bookings/{booking}", customer["token"])
            if op["type"] != "info":
                return None
            await asyncio.sleep(1.0)
        return None

    async def read(self, client: str) -> None:
        """A reader: the first page of the list, then a page or two more, then one event."""
        cursor = None
        for page in range(self.rng.randint(1, 3)):
            params = {"limit": "20"} | ({"cursor": cursor} if cursor else {})
            op: Op = {"client": client, "kind": "list" if page == 0 else "page", "sent": params}
            body = await self.call(op, "GET", "/api/events", None, params=params)
            cursor = body.get("next_cursor") if body else None
            if not cursor:
                break
        event = self.rng.choice(self.events)["id"]
        await self.call({"client": client, "kind": "get", "event": event}, "GET",
                        f"/api/events/{event}", None)

    async def schedule(self, rate: float, seconds: float, action: Any, name: str) -> int:
        """`action` at `rate` per second (open loop, at most 64 in flight); how many ran."""
        limit = asyncio.Semaphore(64)
        tasks: set[asyncio.Task[None]] = set()
        begin, n = time.perf_counter(), 0

        async def one(i: int) -> None:
            try:
                await action(f"{name}{i % 64}")
            finally:
                limit.release()

        while time.perf_counter() - begin < seconds:
            due = begin + n / rate
            if due > time.perf_counter():
                await asyncio.sleep(due - time.perf_counter())
            await limit.acquire()
            task = asyncio.create_task(one(n))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            n += 1
        await asyncio.gather(*tasks)
        return n

    async def probe(self, seconds: float, clients: int) -> float:
        """Bookings per second answered, closed loop, with the readers at their soak rate
        beside them (as in the soak; measured alone, the bookings' maximum left no room for the
        readers and the soak ran saturated): the measured maximum."""
        stop = time.perf_counter() + seconds
        booked = 0

        async def client(i: int) -> None:
            nonlocal booked
            while time.perf_counter() < stop:
                await self.book(f"probe{i}")
                booked += 1

        await asyncio.gather(*(client(i) for i in range(clients)),
                             self.schedule(self.spec["read_rate"], seconds, self.read, "probe-r"))
        return booked / seconds

    async def customer(self, client: str) -> None:
        if self.rng.random() < self.spec["cancel_share"]:
            await self.cancel(client)
        else:
            await self.book(client)


async def quiet(session: aiohttp.ClientSession, admin: str, timeout: float = 180) -> bool:
    """Wait until every projection reached the store's head."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            async with session.get("/api/projections",
                                   headers={"Authorization": f"Bearer {admin}"}) as r:
                rows = await r.json() if r.status == 200 else None
            busy = ("rebuilding", "swapping")
            if rows and all(p["lag_events"] == 0 and p["rebuild"]["state"] not in busy
                            for p in rows):
                return True
        except (aiohttp.ClientError, TimeoutError, ValueError):
            pass
        await asyncio.sleep(0.5)
    return False


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    connector = aiohttp.TCPConnector(limit=200)
    timeout = aiohttp.ClientTimeout(total=float(spec.get("timeout", 10)))
    async with aiohttp.ClientSession(spec["url"], connector=connector, timeout=timeout) as session:
        load = Load(spec, session)
        follower = FeedFollower(spec["url"], spec["admin"], load.history, load.lock)
        follower.start()
        stop = asyncio.Event()
        subscribers = [Subscriber(f"sse{i}", e) for i, e in enumerate(spec["watched"])]
        watching = [asyncio.create_task(s.run(session, stop)) for s in subscribers]
        maximum = await load.probe(spec["probe_seconds"], 32)
        rate = max(5.0, maximum * spec["fraction"])
        load.phase = "soak"
        say(phase="soak", maximum=maximum, rate=rate)
        seconds = spec["duration"]
        counts = await asyncio.gather(
            load.schedule(rate, seconds, load.customer, "c"),
            load.schedule(spec["read_rate"], seconds, load.read, "r"))
        load.phase = "quiet"
        say(phase="quiet", operations=load.history.count)
        settled = await quiet(session, spec["admin"])
        await asyncio.sleep(3)  # the last notifications reach the streams
        stop.set()
        for task in watching:
            task.cancel()
        await asyncio.gather(*watching, return_exceptions=True)
        follower.stopping.set()
        await asyncio.to_thread(follower.caught_up.wait, 120)
        out = Path(spec["out"])
        (out / "feed.json").write_text(json.dumps(follower.positions))
        (out / "streams.json").write_text(json.dumps([s.summary() for s in subscribers]))
        load.history.close()
        return {"maximum": maximum, "rate": rate, "customer_ops": counts[0],
                "reader_ops": counts[1], "settled": settled,
                "feed_caught_up": follower.caught_up.is_set()}


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    result = uvloop.run(run(spec))
    say(phase="done", **result)


if __name__ == "__main__":
    main()
