"""The webhooks' routes through the whole app, embedded (SQLite) and on PostgreSQL, each with
Celery eager: the app's own scheduler fans out and sends, as the embedded default does."""

import pytest

from core.settings import Settings


@pytest.fixture(autouse=True)
def hash_cheaply(cheap_hashing: None) -> None:
    """Every test here hashes passwords at a test's cost (tests/fixtures/api.py)."""


@pytest.fixture
def backend(any_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The app on each backend, its scheduler's webhook tick frequent and retries quick."""
    monkeypatch.setenv("WEBHOOK_INTERVAL_SECONDS", "0.1")
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "0.05")
    monkeypatch.setenv("WEBHOOK_RETRY_MAX_SECONDS", "0.2")
    return any_settings


@pytest.fixture
def allow_private(monkeypatch: pytest.MonkeyPatch) -> None:
    """WEBHOOK_ALLOW_PRIVATE=true: the local receiver may be registered. Asked before the
    client."""
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE", "true")
