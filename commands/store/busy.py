"""The store's refusals, each made one way: a store that cannot be reached, an event whose
lock or queue stays taken, a write that keeps conflicting: `Busy` (503), to be tried again.

The library raises its own `OperationalError` and `InterfaceError` when the database is gone
or its connection broke mid-call, SQLAlchemy its `DBAPIError` on the lock connections; the
write side answers each the same way, and only from here.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import InterfaceError, OperationalError

from commands.domain.errors import Busy
from core import error_codes as codes

log = logging.getLogger(__name__)


def store_unreachable() -> Busy:
    return Busy("The event store cannot be reached", code=codes.STORE_UNAVAILABLE)


def event_busy() -> Busy:
    return Busy("The event is busy; try again", code=codes.EVENT_BUSY)


def write_conflicts(attempts: int) -> Busy:
    return Busy(f"Gave up after {attempts} concurrent-write conflicts; try again",
                code=codes.WRITE_CONFLICT)


@contextmanager
def busy_if_unreachable() -> Iterator[None]:
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        # The caller gets a 503 and no detail: the operator's log says what the database said
        # (a server gone, or SQLite's own refusal under concurrent writers).
        log.warning("the event store refused a call: %r (from %r)", exc, exc.__cause__)
        raise store_unreachable() from exc
