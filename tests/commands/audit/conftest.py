"""Verify, exports and time travel on a Ledger (tests/fixtures/ledgers.py), on SQLite and on
PostgreSQL."""

import pytest


@pytest.fixture(autouse=True)
def hash_cheaply(cheap_hashing: None) -> None:
    """Every test here hashes passwords at a test's cost (tests/fixtures/api.py)."""
