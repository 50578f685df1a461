"""Security tests: the API fixtures (tests/fixtures/api.py), on the embedded system alone."""

from collections.abc import Iterator

import pytest

from core.settings import Settings


@pytest.fixture(autouse=True)
def hash_cheaply(cheap_hashing: None) -> None:
    """Every test here hashes passwords at a test's cost (tests/fixtures/api.py)."""


@pytest.fixture
def backend(sqlite_settings: Settings) -> Iterator[Settings]:
    """Who may do what does not depend on the store: the embedded system is enough here."""
    yield sqlite_settings
