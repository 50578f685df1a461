"""The private PostgreSQL and Redis servers of `bench.chaos.services`, for the fault tests: a
binary this machine lacks fails the test in CI and skips it elsewhere."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.chaos import services
from tests.conftest import IN_CI


@contextmanager
def needed() -> Iterator[None]:
    try:
        yield
    except services.MissingTool as missing:
        if IN_CI:
            pytest.fail(str(missing))
        pytest.skip(str(missing))


class PrivatePostgres(services.PrivatePostgres):
    """A throwaway cluster in a temp dir on a port of its own; trust auth, user `postgres`."""

    def __init__(self) -> None:
        with needed():
            super().__init__(prefix="ledger-pg-", shared_buffers="64MB")


class PrivateRedis(services.PrivateRedis):
    """A `redis-server` on a port of its own, without persistence."""

    def __init__(self, log_dir: Path) -> None:
        with needed():
            super().__init__(log_dir)
