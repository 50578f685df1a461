"""A webhook receiver on 127.0.0.1 in a thread: it checks every request's signature with
`standardwebhooks`, answers as told (2xx, 503, or not listening at all), and keeps what came."""

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    """One request as it came: its headers, body, and the answer it got."""

    headers: dict[str, str]
    body: bytes
    status: int
    arrived: float = field(default_factory=time.monotonic)  # when its body had come

    @property
    def document(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self.body)
        return found

    @property
    def position(self) -> int:
        return int(self.document["data"]["position"])


@dataclass
class Receiver:
    """The receiving end; `secret` must be set before the first delivery comes."""

    secret: str = ""
    answer: Callable[[dict[str, Any]], int] = lambda _: 204
    delay: float = 0.0  # seconds each request takes to answer
    received: list[Received] = field(default_factory=list)
    bad_signatures: list[str] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks?source=ledger"

    def delivered(self) -> list[Received]:
        """The requests answered 2xx, in the order they came."""
        with self._lock:
            return [r for r in self.received if 200 <= r.status < 300]

    def wait_for(self, count: int, timeout: float = 20.0,
                 tick: Callable[[], object] | None = None) -> list[Received]:
        """At least `count` requests answered 2xx (running `tick` between looks, if given)."""
        deadline = time.monotonic() + timeout
        while len(self.delivered()) < count:
            assert time.monotonic() < deadline, (
                f"{len(self.delivered())} of {count} deliveries came: {self.received}")
            if tick is not None:
                tick()
            time.sleep(0.05)
        return self.delivered()

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                arrived = time.monotonic()
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._lock:
                    receiver.in_flight += 1
                    receiver.most_in_flight = max(receiver.most_in_flight, receiver.in_flight)
                try:
                    time.sleep(receiver.delay)
                    try:
                        document = Webhook(receiver.secret).verify(body, headers)
                    except WebhookVerificationError as exc:
                        receiver.bad_signatures.append(f"{exc}: {headers}")
                        status = 400
                    else:
                        status = receiver.answer(document)
                    with receiver._lock:
                        receiver.received.append(Received(headers, body, status, arrived))
                finally:
                    with receiver._lock:
                        receiver.in_flight -= 1
                self.send_response(status)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *_: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop listening (connections are refused) until `start` again, on the same port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
