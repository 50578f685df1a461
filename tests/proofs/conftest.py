"""Proof fixtures: a Ledger on PostgreSQL, and the API suite's callers."""

import pytest

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


@pytest.fixture(autouse=True)
def heads_every_half_second(monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded signer's schedule, short: a proof waits for the next head, never signs."""
    monkeypatch.setenv("CHECKPOINT_INTERVAL_SECONDS", "0.5")
