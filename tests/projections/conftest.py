"""Fixtures for the projection tests: a Ledger on each backend."""

from collections.abc import Iterator

import pytest

from commands.ledger import Ledger
from core.settings import Settings


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.postgres)])
def any_settings(request: pytest.FixtureRequest) -> Settings:
    """The same test on the embedded SQLite system and on PostgreSQL."""
    settings: Settings = request.getfixturevalue(f"{request.param}_settings")
    return settings


@pytest.fixture
def ledger(sqlite_settings: Settings) -> Iterator[Ledger]:
    """A write side that sends no wake-ups: tests advance projections themselves."""
    app = Ledger(sqlite_settings)
    yield app
    app.close()


@pytest.fixture
def any_ledger(any_settings: Settings) -> Iterator[Ledger]:
    app = Ledger(any_settings)
    yield app
    app.close()


@pytest.fixture
def pg_ledger(pg_settings: Settings) -> Iterator[Ledger]:
    app = Ledger(pg_settings)
    yield app
    app.close()
