"""The one translation of a store that cannot be reached: `Busy` (503 STORE_UNAVAILABLE).

The library raises its own `OperationalError` and `InterfaceError` when the database is gone
or its connection broke mid-call; the write side answers every such failure the same way, and
only here.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import InterfaceError, OperationalError

from commands.domain.errors import Busy


@contextmanager
def busy_if_unreachable() -> Iterator[None]:
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        raise Busy("The event store cannot be reached", code="STORE_UNAVAILABLE") from exc
