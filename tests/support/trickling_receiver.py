"""A receiver that never finishes answering: a TCP server on 127.0.0.1 that reads each request
and then sends a valid HTTP answer one byte at a time, `every` seconds apart, as a hostile or
broken webhook receiver would. It counts the connections it got and when each came."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

ANSWER = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"


@dataclass
class TricklingReceiver:
    """Listening until `stop`; each connection is answered a byte per `every` seconds."""

    every: float = 3.0
    connections: list[float] = field(default_factory=list)  # monotonic time each came
    _stopping: threading.Event = field(default_factory=threading.Event)
    _listener: socket.socket | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        assert self._listener is not None
        return int(self._listener.getsockname()[1])

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self._listener.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()

    def stop(self) -> None:
        """Stop listening, and stop every answer in its middle (the connections close)."""
        self._stopping.set()
        if self._listener is not None:
            self._listener.close()

    def _accept(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by `stop`
            with self._lock:
                self.connections.append(time.monotonic())
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                conn.recv(65536)  # the request's start is enough: the answer never ends anyway
                for byte in ANSWER:
                    if self._stopping.wait(self.every):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return  # the sender gave up and closed


@contextmanager
def trickling_receiver(every: float = 3.0) -> Iterator[TricklingReceiver]:
    receiver = TricklingReceiver(every)
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
