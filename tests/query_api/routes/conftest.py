"""HTTP routes through the whole app (tests/fixtures/api.py), on both backends."""

import pytest


@pytest.fixture(autouse=True)
def hash_cheaply(cheap_hashing: None) -> None:
    """Every test here hashes passwords at a test's cost (tests/fixtures/api.py)."""
