"""Audit fixtures: the API suite's (run on both backends) and a Ledger on SQLite and PostgreSQL."""

from collections.abc import Iterator

import pytest

from commands.ledger import Ledger
from core.settings import Settings
from tests.api.conftest import (  # noqa: F401 - fixtures, used by name
    admin,
    alice,
    auditor,
    backend,
    bob,
    book,
    cheap_hashing,
    client,
    make_event,
    signup,
)
from tests.distributed import distributed_stack  # noqa: F401 - a fixture
from tests.pg import pg_settings  # noqa: F401 - a fixture, used by name


@pytest.fixture(params=["sqlite", "pg"])
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
