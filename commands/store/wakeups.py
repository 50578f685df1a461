"""Projection wake-ups sent from a background thread, coalesced: never on a command's path.

Sending a Celery message costs a few milliseconds; a command that commits only records the
position it reached, and one thread sends the highest position recorded so far. While it is
sending (and for `gap` after), later commits pile up into the next single wake-up. Each
wake-up costs the workers a transaction per projection whatever it brings, so under load the
gap is what sets their batch size (measured: bench/README.md). A lost wake-up only delays
the projections until beat's periodic catch-up.

Several processes commit to one log (the API's, the workers'), and each wake-up brings the
workers everything committed before they read, whoever sent it. So the gap can be one for them
all (`slot`: a shared clock, `workers.wake_slots`): a process sends only when no other sent
within the gap, and otherwise waits for the gap's end and asks again. Whoever sends next sends
after this process's commits, so they are never left behind; without a shared gap, each
process's wake-ups are as many as if it ran alone.
"""

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class CoalescingWaker:
    """Call `send(position)` in the background with the latest position, once per burst.

    `slot`, if given: the seconds until this process may send (0: the gap's slot is taken for
    this send). It is asked before every send; when it fails, the send goes ahead."""

    def __init__(self, send: Callable[[int], None], gap: float,
                 slot: Callable[[], float] | None = None) -> None:
        self._send = send
        self._gap = gap  # at least this long between two sends: bigger projection batches
        self._slot = slot
        self._ready = threading.Condition()
        self._latest: int | None = None
        self._closed = False
        self._thread: threading.Thread | None = None

    def __call__(self, position: int) -> None:
        with self._ready:
            if self._closed:  # the store may be gone: beat's catch-up covers this commit
                return
            self._latest = position if self._latest is None else max(self._latest, position)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="wake", daemon=True)
                self._thread.start()
            self._ready.notify()

    def close(self) -> None:
        """Stop sending: a send under way finishes first, a wake-up still waiting is dropped."""
        with self._ready:
            self._closed = True
            self._ready.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        while True:
            with self._ready:
                while self._latest is None and not self._closed:
                    self._ready.wait()
                if self._closed:
                    return
            wait = self._until_slot()
            if wait > 0:  # another process's wake-up is this gap's: ask again at its end
                with self._ready:
                    self._ready.wait_for(lambda: self._closed, timeout=wait)
                continue
            with self._ready:
                position, self._latest = self._latest, None
            # Only this thread clears `_latest`, and it saw it set: a position is there.
            assert position is not None  # noqa: S101
            try:
                self._send(position)
            except Exception:  # beat catches up; the next commit sends again
                log.exception("could not send the projection wake-up")
            with self._ready:  # the gap, cut short by close
                self._ready.wait_for(lambda: self._closed, timeout=self._gap)

    def _until_slot(self) -> float:
        if self._slot is None:
            return 0.0
        try:
            return self._slot()
        except Exception:  # the shared clock gone: this process's own gap still holds
            log.warning("could not ask for the wake-up's slot; sending anyway", exc_info=True)
            return 0.0
