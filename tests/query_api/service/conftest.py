"""The app around the routes: errors, middleware, OpenAPI, the UI, startup (the API fixtures:
tests/fixtures/api.py)."""

import pytest


@pytest.fixture(autouse=True)
def hash_cheaply(cheap_hashing: None) -> None:
    """Every test here hashes passwords at a test's cost (tests/fixtures/api.py)."""
