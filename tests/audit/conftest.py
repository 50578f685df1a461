"""Audit fixtures: a Ledger on SQLite and PostgreSQL; the API fixtures are tests/fixtures/api.py."""

from collections.abc import Iterator

import pytest

from commands.ledger import Ledger
from core.settings import Settings


@pytest.fixture(autouse=True)
def hash_cheaply(cheap_hashing: None) -> None:
    """Every test here hashes passwords at a test's cost (tests/fixtures/api.py)."""


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.postgres)])
def any_ledger(request: pytest.FixtureRequest) -> Iterator[Ledger]:
    """A write side on the embedded SQLite system, and on PostgreSQL."""
    settings: Settings = request.getfixturevalue(f"{request.param}_settings")
    ledger = Ledger(settings)
    yield ledger
    ledger.close()


@pytest.fixture
def ledger(sqlite_settings: Settings) -> Iterator[Ledger]:
    """A write side on the embedded system (tests advance projections themselves)."""
    app = Ledger(sqlite_settings)
    yield app
    app.close()
