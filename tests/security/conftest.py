"""Security tests reuse the API suite's callers, on the embedded system (auth is backend-free)."""

from collections.abc import Iterator

import pytest

from core.settings import Settings
from tests.api.conftest import (  # noqa: F401 - fixtures
    admin,
    alice,
    auditor,
    bob,
    book,
    cheap_hashing,
    client,
    make_event,
    signup,
)


@pytest.fixture
def backend(sqlite_settings: Settings) -> Iterator[Settings]:
    """Who may do what does not depend on the store: the embedded system is enough here."""
    yield sqlite_settings
