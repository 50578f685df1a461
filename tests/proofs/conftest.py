"""Proof tests: the API fixtures (tests/fixtures/api.py), with a short signing schedule."""

import pytest


@pytest.fixture(autouse=True)
def hash_cheaply(cheap_hashing: None) -> None:
    """Every test here hashes passwords at a test's cost (tests/fixtures/api.py)."""


@pytest.fixture(autouse=True)
def heads_every_half_second(monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded signer's schedule, short: a proof waits for the next head, never signs."""
    monkeypatch.setenv("CHECKPOINT_INTERVAL_SECONDS", "0.5")
