"""Stripe's webhooks, as localstripe sends them, caught on 127.0.0.1: the test hands each to the
app under test (a TestClient has no address localstripe could reach), byte for byte with its
signature, as many times and in whatever order it wants."""

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


@dataclass(frozen=True)
class Caught:
    body: bytes
    signature: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Stripe-Signature": self.signature, "Content-Type": "application/json"}


@dataclass
class StripeNotices:
    caught: list[Caught] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of_intent(self, intent_id: str, timeout: float = 15.0) -> list[Caught]:
        """The notices about one PaymentIntent, once at least one came (localstripe sends each
        a second after the change)."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                found = [c for c in self.caught if intent_id.encode() in c.body]
            if found or time.monotonic() > deadline:
                assert found, f"no webhook came for {intent_id}"
                return found
            time.sleep(0.05)


@contextmanager
def catching_notices(local_stripe: str, secret: str) -> Iterator[StripeNotices]:
    """A receiver registered with localstripe (as a Stripe endpoint with its signing secret)
    for payment intents' notices; unregistered after."""
    notices = StripeNotices()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            with notices.lock:
                notices.caught.append(Caught(body, self.headers.get("Stripe-Signature", "")))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hook = f"test-{uuid.uuid4().hex[:12]}"
    url = f"http://127.0.0.1:{server.server_address[1]}/stripe"
    config = f"{local_stripe}/_config/webhooks/{hook}"
    httpx.post(config, json={"url": url, "secret": secret,
                             "events": ["payment_intent.succeeded",
                                        "payment_intent.payment_failed"]},
               timeout=5).raise_for_status()
    try:
        yield notices
    finally:
        # localstripe has no way to remove an endpoint: point it at nothing that answers.
        httpx.post(config, json={"url": "http://127.0.0.1:9/gone", "secret": secret,
                                 "events": ["none"]}, timeout=5)
        server.shutdown()
        server.server_close()
