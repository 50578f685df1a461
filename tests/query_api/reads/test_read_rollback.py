"""A read that fails is rolled back, not committed: on a connection PostgreSQL dropped, a commit
raises PendingRollbackError in place of the store's error, answered 500 instead of 503 (found by
the chaos soak, bench/chaos)."""

from types import TracebackType
from typing import Any, cast

import pytest
from fastapi import Request, Response
from sqlalchemy.exc import OperationalError

from query_api.reads.consistency import Read

# Passwords hashed at a test's cost (tests/fixtures/api.py).
pytestmark = pytest.mark.usefixtures("cheap_hashing")


class Scope:
    """Stands for `read_scope()`: records how it was left."""

    def __init__(self) -> None:
        self.left: list[type[BaseException] | None] = []

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.left.append(kind)


def opened(scope: Scope) -> Read:
    read = Read(cast(Request, None), Response(), ("availability",), caught_up=True)
    read._scope = cast(Any, scope)  # as if its session had been opened
    return read


def test_a_read_left_by_an_error_is_rolled_back_with_that_error() -> None:
    scope = Scope()
    lost = OperationalError("SELECT 1", {}, Exception("server closed the connection"))
    with pytest.raises(OperationalError), opened(scope):
        raise lost
    assert scope.left == [OperationalError]


def test_a_read_that_went_well_is_ended_plainly() -> None:
    scope = Scope()
    with opened(scope):
        pass
    assert scope.left == [None]
