"""The operations tests: the `ledger` command, scripts, the benchmarks' smoke runs, the pinned
dependencies; the API fixtures (tests/fixtures/api.py) are at hand."""

import pytest


@pytest.fixture(autouse=True)
def hash_cheaply(cheap_hashing: None) -> None:
    """Every test here hashes passwords at a test's cost (tests/fixtures/api.py)."""
