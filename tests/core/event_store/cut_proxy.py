"""A TCP proxy to PostgreSQL that can lose a commit's answer: `CutProxy`.

Once armed, the next transaction that inserts rows is let through whole: the server commits
it (an explicit COMMIT, or the end of an autocommitted INSERT). The proxy then drops the
server's ReadyForQuery that ends it and closes both sides, so the client sees its connection
lost with the commit in doubt, as after a network failure or a crash of the client's host at
the worst moment.

It reads the server's messages (type byte, then a 4-byte length), so the client must not ask
for TLS or GSS encryption: set PGSSLMODE=disable and PGGSSENCMODE=disable.
"""

import contextlib
import socket
import threading
from types import TracebackType

BUFFER = 65536


class CutProxy:
    """Forward 127.0.0.1:`port` to `upstream`; `arm()` cuts the next insert's COMMIT answer."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.cuts = 0
        self._armed = False
        self._guard = threading.Lock()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self) -> None:
        with self._guard:
            self._armed = True

    def __enter__(self) -> "CutProxy":
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.listener.close()
        with self._guard:
            for s in self._sockets:
                _close(s)

    def _take_cut(self) -> bool:
        with self._guard:
            armed, self._armed = self._armed, False
            self.cuts += armed
            return armed

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            server = socket.create_connection(self.upstream)
            with self._guard:
                self._sockets += [client, server]
            threading.Thread(target=self._requests, args=(client, server), daemon=True).start()
            threading.Thread(target=self._answers, args=(server, client), daemon=True).start()

    @staticmethod
    def _requests(client: socket.socket, server: socket.socket) -> None:
        with contextlib.suppress(OSError):  # either side closed
            while data := client.recv(BUFFER):
                server.sendall(data)
        _close(client)
        _close(server)

    def _answers(self, server: socket.socket, client: socket.socket) -> None:
        pending, inserted = b"", False
        try:
            while data := server.recv(BUFFER):
                messages, pending = _split(pending + data)
                out = bytearray()
                for message in messages:
                    if message[:1] == b"C":  # CommandComplete: its tag, NUL-terminated
                        inserted = inserted or message[5:-1].startswith(b"INSERT")
                    elif message[:1] == b"Z":  # ReadyForQuery, and the transaction's status
                        # "I": no transaction open any more, so the insert's has committed.
                        if inserted and message[5:6] == b"I" and self._take_cut():
                            client.sendall(out)  # the answers before it, not it
                            raise ConnectionAbortedError("cut")
                        inserted = False
                    out += message
                client.sendall(out)
        except OSError:  # closed, or cut
            pass
        _close(client)
        _close(server)


def _split(data: bytes) -> tuple[list[bytes], bytes]:
    """The whole messages at the start of `data`, and the rest."""
    messages = []
    while len(data) >= 5:
        end = 1 + int.from_bytes(data[1:5], "big")
        if len(data) < end:
            break
        messages.append(data[:end])
        data = data[end:]
    return messages, data


def _close(s: socket.socket) -> None:
    with contextlib.suppress(OSError):  # closed already
        s.shutdown(socket.SHUT_RDWR)
    s.close()
