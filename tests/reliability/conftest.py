"""One private PostgreSQL cluster for the reliability tests (they stop and crash it)."""

from collections.abc import Iterator

import pytest

from tests.reliability.services import PrivatePostgres


@pytest.fixture(scope="session")
def private_pg() -> Iterator[PrivatePostgres]:
    pg = PrivatePostgres()
    try:
        pg.start()
        yield pg
    finally:
        pg.destroy()
