"""A write side on a throw-away SQLite file, for the few unit tests that need the store."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from commands.ledger import Ledger
from core.db import reset_singletons
from core.settings import Settings
from tests.conftest import configure

LedgerFactory = Callable[..., Ledger]


@pytest.fixture
def store_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    settings = configure(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'ledger.db'}",
                         SNAPSHOT_INTERVAL="10")
    Ledger(settings, create_tables=True).close()
    yield settings
    reset_singletons()


@pytest.fixture
def make_ledger(store_settings: Settings) -> Iterator[LedgerFactory]:
    """Ledgers on the same store file, each as a separate writer would have it."""
    made: list[Ledger] = []

    def make(**kwargs: Any) -> Ledger:
        ledger = Ledger(store_settings, **kwargs)
        made.append(ledger)
        return ledger

    yield make
    for ledger in made:
        ledger.close()


@pytest.fixture
def ledger(make_ledger: LedgerFactory) -> Ledger:
    return make_ledger()
