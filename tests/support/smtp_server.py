"""A real SMTP server on 127.0.0.1 (aiosmtpd's Controller, in a thread of its own) that keeps
every message it takes and the session it came on, refuses, as a mail server does, the
recipients it is told to, and cuts the connection off in the middle of a message when told."""

import email
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller

REFUSAL = "550 5.1.1 No such mailbox here"


@dataclass
class SmtpServer:
    """What the server took, from which envelope sender and on which session (`sessions`: the
    client's address, one a connection), whom it refuses (`refused`: addresses, answered
    REFUSAL), whose next message's data it cuts off, closing the connection (`cut_off`), and
    what it runs as each message's data arrives, before answering (`on_data`)."""

    host: str = "127.0.0.1"
    port: int = 0
    refused: set[str] = field(default_factory=set)
    messages: list[EmailMessage] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)  # each message's envelope (MAIL FROM)
    sessions: list[Any] = field(default_factory=list)  # each message's client address
    cut_off: set[str] = field(default_factory=set)
    on_data: Callable[[], object] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refused:
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        cut = self.cut_off.intersection(envelope.rcpt_tos)
        if cut:
            self.cut_off -= cut
            server.transport.close()
            return "421 4.4.2 Connection dropped"
        if self.on_data is not None:
            self.on_data()
        message = email.message_from_bytes(envelope.content, policy=default)
        with self._lock:
            self.messages.append(message)
            self.senders.append(envelope.mail_from)
            self.sessions.append(session.peer)
        return "250 Message accepted for delivery"

    def taken(self) -> list[EmailMessage]:
        with self._lock:
            return list(self.messages)

    def wait_for(self, count: int, timeout: float = 20.0,
                 tick: Callable[[], object] | None = None) -> list[EmailMessage]:
        """At least `count` messages taken (running `tick` between looks, if given)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if tick is not None:
                tick()
            if len(self.taken()) >= count:
                return self.taken()
            time.sleep(0.05)
        raise AssertionError(f"{len(self.taken())} messages of {count} within {timeout} s")


def text_of(message: EmailMessage) -> str:
    """A message's plain-text body."""
    body = message.get_body(("plain",))
    assert body is not None, "no plain-text body"
    return str(body.get_content())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_smtp_server(*, smtputf8: bool = True) -> Iterator[SmtpServer]:
    """A server on a free port, stopped on exit; offering SMTPUTF8 unless told not to."""
    server = SmtpServer(port=free_port())
    controller = Controller(server, hostname=server.host, port=server.port,
                            enable_SMTPUTF8=smtputf8)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
