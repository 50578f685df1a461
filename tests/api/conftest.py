"""The API suite; its fixtures (backend, client, admin, signup...) are tests/fixtures/api.py."""

import pytest


@pytest.fixture(autouse=True)
def hash_cheaply(cheap_hashing: None) -> None:
    """Every test here hashes passwords at a test's cost (tests/fixtures/api.py)."""
