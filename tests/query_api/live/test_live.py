"""Live availability (SSE): embedded, and PostgreSQL + Redis pub/sub + a real celery worker."""

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
import uvicorn
from sqlalchemy.pool import QueuePool

from bench.stack import free_port
from core.db import get_engine, reset_singletons
from core.settings import Settings
from ops import roles
from query_api.live.sse_hub import Hub
from query_api.routes.queries import live
from query_api.service.app import create_app
from tests.fixtures.api import ADMIN_EMAIL, ADMIN_PASSWORD, future
from tests.stack import ROOT, start_api
from tests.support.waiting import eventually

Json = dict[str, Any]


class Server:
    """The real app under uvicorn in a thread: streams need a real HTTP server."""

    def __init__(self) -> None:
        self.app = create_app()
        config = uvicorn.Config(self.app, host="127.0.0.1", port=free_port(), log_level="warning")
        self.uvicorn = uvicorn.Server(config)
        self.url = f"http://127.0.0.1:{config.port}"
        self.thread = threading.Thread(target=self.uvicorn.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.uvicorn.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        self.http = httpx.Client(base_url=self.url, timeout=10)
        token = self.http.post("/api/auth/token",
                               data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        self.admin = {"Authorization": f"Bearer {token.json()['access_token']}"}

    @property
    def hub(self) -> Hub | None:
        return getattr(self.app.state, "live_hub", None)

    def subscribers(self) -> int:
        return self.hub.subscriber_count if self.hub else 0

    def stop(self) -> None:
        self.http.close()
        # A server in a thread receives no signal: what the hub's handler of SIGTERM does
        # (sse_hub.end_streams_on_exit_signals), then what uvicorn's does.
        if self.hub is not None:
            self.hub.close_all()
        self.uvicorn.handle_exit(signal.SIGTERM, None)
        self.thread.join(timeout=20)


class Stream:
    """An SSE client on a thread; parsed `availability` events arrive on a queue."""

    def __init__(self, url: str, local_address: str | None = None) -> None:
        self.events: queue.Queue[Json | None] = queue.Queue()
        self.comments: list[str] = []
        transport = httpx.HTTPTransport(local_address=local_address)  # the client's address
        self._client = httpx.Client(timeout=httpx.Timeout(10, read=60), transport=transport)
        self._response: httpx.Response | None = None
        self.status: int | None = None
        self.ended = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(url,), daemon=True)
        self._thread.start()

    def _run(self, url: str) -> None:
        try:
            with self._client.stream("GET", url) as response:
                self._response, self.status = response, response.status_code
                data = ""
                for line in response.iter_lines():
                    if self._stop.is_set():  # heartbeats wake us up often enough to notice
                        break
                    if line.startswith(":"):
                        self.comments.append(line)
                    elif line.startswith("data: "):
                        data = line[6:]
                    elif line == "" and data:
                        self.events.put(json.loads(data))
                        data = ""
        except (httpx.HTTPError, RuntimeError):
            pass  # closed by the test
        finally:
            self.events.put(None)
            self.ended.set()

    def next(self, timeout: float = 15) -> Json:
        event = self.events.get(timeout=timeout)
        assert event is not None, "the stream ended"
        return event

    def until(self, check: Callable[[Json], bool], timeout: float = 15) -> Json:
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(max(0.1, deadline - time.monotonic()))
            if check(event):
                return event

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self._client.close()


@pytest.fixture
def server(backend: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.2)  # lets a test's client hang up promptly
    monkeypatch.setenv("ADMIN_EMAIL", ADMIN_EMAIL)
    monkeypatch.setenv("ADMIN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-of-at-least-32-bytes")
    monkeypatch.setenv("SSE_MAX_PER_CLIENT", "50")  # these tests open many from one address
    reset_singletons()
    running = Server()
    yield running
    running.stop()


def stream_of(server: Server, event: Json) -> "Stream":
    return Stream(f"{server.url}/api/events/{event['id']}/availability/stream"
                  f"?min_position={event['position']}")


def make_event(server: Server, **fields: Any) -> Json:
    body = {"name": "Live night", "venue": "Hall", "starts_at": future(),
            "categories": [{"name": "General", "price": "10.00", "capacity": 5},
                           {"name": "VIP", "price": "50.00", "capacity": 2}]} | fields
    response = server.http.post("/api/events", json=body, headers=server.admin)
    assert response.status_code == 201, response.text
    return dict(response.json())


def book(server: Server, event_id: str, quantity: int, category: str = "General") -> Json:
    response = server.http.post(f"/api/events/{event_id}/book", headers=server.admin,
                                json={"category": category, "quantity": quantity})
    assert response.status_code == 201, response.text
    return dict(response.json())



def test_stream_sends_the_current_seats_then_each_booking_and_cancellation(server: Server) -> None:
    event = make_event(server)
    stream = stream_of(server, event)
    try:
        first = stream.next()
        assert first["event_id"] == event["id"] and first["available_seats"] == 7
        assert [c["available"] for c in first["categories"]] == [5, 2]
        booking = book(server, event["id"], 2)
        after = stream.until(lambda e: e["available_seats"] == 5)
        assert after["categories"][0] == {"name": "General", "capacity": 5, "sold": 2,
                                          "held": 0, "waitlisted": 0, "waiting": 0,
                                          "available": 3}
        assert after["position"] >= booking["position"]
        server.http.delete(f"/api/bookings/{booking['id']}", headers=server.admin)
        stream.until(lambda e: e["available_seats"] == 7)
    finally:
        stream.close()


def test_list_stream_follows_only_the_events_asked_for(server: Server) -> None:
    one, two, other = make_event(server), make_event(server), make_event(server)
    stream = Stream(f"{server.url}/api/events/availability/stream"
                    f"?ids={one['id']}&ids={two['id']}&min_position={other['position']}")
    try:
        assert {stream.next()["event_id"], stream.next()["event_id"]} == {one["id"], two["id"]}
        book(server, other["id"], 1)
        book(server, two["id"], 1, "VIP")
        changed = stream.next()
        assert changed["event_id"] == two["id"] and changed["categories"][1]["available"] == 1
    finally:
        stream.close()


def test_unknown_event_is_404_and_bad_ids_are_422(server: Server) -> None:
    missing = server.http.get("/api/events/00000000-0000-0000-0000-000000000000"
                              "/availability/stream")
    assert missing.status_code == 404 and missing.json()["code"] == "EVENT_NOT_FOUND"
    bad = server.http.get("/api/events/availability/stream", params={"ids": "nope"})
    assert bad.status_code == 422 and bad.json()["code"]
    assert server.http.get("/api/events/availability/stream").status_code == 422


def test_a_drafts_stream_is_404_until_it_is_published(server: Server) -> None:
    draft = make_event(server, published=False)
    path = f"/api/events/{draft['id']}/availability/stream?min_position={draft['position']}"
    hidden = server.http.get(path)
    assert hidden.status_code == 404 and hidden.json()["code"] == "EVENT_NOT_FOUND"
    listed = server.http.get("/api/events/availability/stream",
                             params={"ids": draft["id"], "min_position": draft["position"]})
    assert listed.status_code == 404  # a list of drafts alone follows nothing

    published = server.http.post(f"/api/events/{draft['id']}/publish", headers=server.admin)
    assert published.status_code == 200, published.text
    stream = Stream(f"{server.url}/api/events/{draft['id']}/availability/stream"
                    f"?min_position={published.json()['position']}")
    try:
        assert stream.next()["available_seats"] == 7
    finally:
        stream.close()


def test_disconnected_clients_leave_nothing_behind_and_hold_no_connection(
    server: Server,
) -> None:
    event = make_event(server)
    streams = [stream_of(server, event) for _ in range(12)]
    for stream in streams:
        stream.next()
    assert eventually(lambda: server.subscribers() == 12)
    pool = get_engine().pool
    assert isinstance(pool, QueuePool) and pool.checkedout() == 0  # 12 streams, no connection
    for stream in streams[:11]:
        stream.close()
    assert eventually(lambda: server.subscribers() == 1)
    book(server, event["id"], 1)  # the hub still serves the one left
    streams[11].until(lambda e: e["available_seats"] == 6)
    streams[11].close()
    assert eventually(lambda: server.subscribers() == 0)
    again = stream_of(server, event)  # and a new client is served as before
    try:
        assert again.next()["available_seats"] == 6
    finally:
        again.close()


def test_heartbeats_keep_an_idle_stream_alive(server: Server) -> None:
    event = make_event(server)
    stream = stream_of(server, event)
    try:
        stream.next()
        assert eventually(lambda: ": heartbeat" in stream.comments, timeout=5)
    finally:
        stream.close()


def test_shutdown_ends_open_streams_cleanly(server: Server) -> None:
    event = make_event(server)
    stream = stream_of(server, event)
    stream.next()
    started = time.monotonic()
    server.stop()
    assert stream.ended.wait(10), "the stream outlived the server"
    assert not server.thread.is_alive()
    assert time.monotonic() - started < 10
    assert server.hub is not None and server.hub.subscriber_count == 0
    stream.close()


def test_a_sigterm_ends_open_streams_and_the_served_processes_promptly(tmp_path: Path) -> None:
    """As deployed: uvicorn's supervisor and two API processes; a SIGTERM to the supervisor
    (what `docker stop` sends) reaches each API process, whose open streams end at once."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DATABASE_", "CELERY_")) and k not in roles.ENV}
    env |= {"PYTHONPATH": str(ROOT), "ENVIRONMENT": "test", "DATABASE_URL": url,
            "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "SECRET_KEY": f"sigterm-{uuid4().hex}-32-bytes"}
    subprocess.run([sys.executable, "-m", "ops.migrate"], env=env, check=True,  # noqa: S603
                   capture_output=True, cwd=ROOT)
    api, base = start_api(env | {"API_DATABASE_URL": url}, tmp_path, workers=2)
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            token = http.post("/api/auth/token",
                              data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
            admin = {"Authorization": f"Bearer {token.json()['access_token']}"}
            made = http.post("/api/events", headers=admin, json={
                "name": "Shutdown night", "venue": "Hall", "starts_at": future(),
                "total_seats": 5, "price": "10.00"})
            assert made.status_code == 201, made.text
        streams = [Stream(f"{base}/api/events/{made.json()['id']}/availability/stream"
                          f"?min_position={made.json()['position']}") for _ in range(4)]
        for stream in streams:  # connected, the current seats sent: a response in progress
            assert stream.next()["available_seats"] == 5
        started = time.monotonic()
        api.proc.send_signal(signal.SIGTERM)
        assert all(stream.ended.wait(10) for stream in streams), "a stream outlived SIGTERM"
        assert api.proc.wait(timeout=20) == 0, api.tail()
        assert time.monotonic() - started < 15
        for stream in streams:
            stream.close()
    finally:
        api.stop()


@pytest.fixture
def capped(sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """An embedded server allowing 2 streams per client address and 3 in all."""
    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.2)
    for key, value in {"ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
                       "SECRET_KEY": "test-secret-key-of-at-least-32-bytes",
                       "SSE_MAX_PER_CLIENT": "2", "SSE_MAX_TOTAL": "3"}.items():
        monkeypatch.setenv(key, value)
    reset_singletons()
    running = Server()
    yield running
    running.stop()


def refused(server: Server, path: str, local_address: str) -> tuple[int, str, str | None]:
    """Status, code and Retry-After of a stream that should be refused (not its endless body)."""
    with httpx.Client(base_url=server.url, timeout=10,
                      transport=httpx.HTTPTransport(local_address=local_address)) as other, \
            other.stream("GET", path) as response:
        if response.status_code == 200:
            return 200, "", None
        response.read()
        return response.status_code, response.json()["code"], response.headers.get("retry-after")


def test_streams_are_capped_per_client_address_and_in_total(capped: Server) -> None:
    event = make_event(capped)
    path = f"/api/events/{event['id']}/availability/stream"
    mine = [Stream(capped.url + path, "127.0.0.1") for _ in range(2)]
    for stream in mine:
        stream.next()
    status, code, retry_after = refused(capped, path, "127.0.0.1")  # this address has its 2
    assert (status, code) == (429, "TOO_MANY_STREAMS") and retry_after
    theirs = Stream(capped.url + path, "127.0.0.2")  # another address: the 3rd in all
    try:
        theirs.next()
        status, code, _ = refused(capped, path, "127.0.0.2")  # 1 of its 2, but 3 in all
        assert (status, code) == (429, "TOO_MANY_STREAMS")
        mine.pop().close()
        assert eventually(lambda: capped.subscribers() == 2)
        again = Stream(capped.url + path, "127.0.0.1")  # a closed stream gives its place back
        mine.append(again)
        assert again.next()["event_id"] == event["id"]
    finally:
        theirs.close()
        for stream in mine:
            stream.close()


def test_unknown_ids_are_dropped_when_a_stream_opens(capped: Server) -> None:
    event = make_event(capped)
    unknown = "00000000-0000-0000-0000-000000000000"
    stream = Stream(f"{capped.url}/api/events/availability/stream?ids={event['id']}"
                    f"&ids={unknown}")
    try:
        assert stream.next()["event_id"] == event["id"]
        assert capped.hub is not None
        assert capped.hub.followed() == {UUID(event["id"])}  # never read again on a change
    finally:
        stream.close()
    status, code, _ = refused(capped, f"/api/events/availability/stream?ids={unknown}",
                              "127.0.0.1")
    assert (status, code) == (404, "EVENT_NOT_FOUND")
    assert eventually(lambda: capped.subscribers() == 0)  # nor kept by the refused one
