"""Signing keys, the tree and its verify, the `ledger` proof commands, with a short signing
schedule (tests/fixtures/api.py)."""

import pytest


@pytest.fixture(autouse=True)
def hash_cheaply(cheap_hashing: None) -> None:
    """Every test here hashes passwords at a test's cost (tests/fixtures/api.py)."""


@pytest.fixture(autouse=True)
def heads_every_half_second(frequent_heads: None) -> None:
    """The embedded signer's schedule, short: a proof waits for the next head, never signs."""
