"""A TCP link to a real server that a test can cut or slow down: the provider away, or not
answering in time, as the ledger meets it over the network (the server itself keeps its
state). Connections made while it is cut are closed at once; while it is slow, each new
connection waits `delay` seconds before it is carried."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


class FaultyLink:
    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.cut = False
        self.delay = 0.0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def sever(self) -> None:
        """Cut the link, and every connection it carries now (a keep-alive one included)."""
        self.cut = True
        self._drop_open()

    def slow_down(self, delay: float) -> None:
        """Carry each next connection only after `delay` seconds; the open ones are dropped,
        so that the next call opens one (a client keeps its connections alive)."""
        self.delay = delay
        self._drop_open()

    def _drop_open(self) -> None:
        with self._lock:
            for sock in self._open:
                sock.close()
            self._open.clear()

    def mend(self) -> None:
        self.cut, self.delay = False, 0.0

    def close(self) -> None:
        self.sever()
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.cut:
                client.close()
                continue
            threading.Thread(target=self._carry, args=(client,), daemon=True).start()

    def _carry(self, client: socket.socket) -> None:
        if self.delay:
            time.sleep(self.delay)
        try:
            server = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        with self._lock:
            self._open.update((client, server))
        for a, b in ((client, server), (server, client)):
            threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with self._lock:
                    self._open.discard(sock)
                sock.close()


@contextmanager
def faulty_link(target: str) -> Iterator[FaultyLink]:
    link = FaultyLink(target)
    try:
        yield link
    finally:
        link.close()
