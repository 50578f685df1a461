"""Endpoint secrets at rest: sealed in the database, opened only to sign; keys rotate, secrets
stored before sealing are still sent and get sealed, and a secret no key opens fails its
delivery's attempt with a clear error, never the sender."""

import sys
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select, update

from bench.scenario import new_event
from commands.ledger import Ledger
from core.db import read_scope, session_scope
from core.settings import Settings, get_settings
from ops import migrate, webhook_secrets
from tests.support.webhook_receiver import Receiver
from tests.workers.webhooks.test_delivery import log_of, tick
from workers.webhooks import secret_box
from workers.webhooks.tables import endpoints

OLD, NEW = secret_box.new_key(), secret_box.new_key()


def stored_secret(endpoint_id: Any) -> str:
    with read_scope() as session:
        found: str = session.execute(select(endpoints.c.secret)
                                     .where(endpoints.c.id == endpoint_id)).scalar_one()
    return found


def store(endpoint_id: Any, secret: str) -> None:
    with session_scope() as session:
        session.execute(update(endpoints).where(endpoints.c.id == endpoint_id)
                        .values(secret=secret))


def keyed(settings: Settings, *keys: str) -> Settings:
    return settings.model_copy(update={"webhook_secret_keys": list(keys)})


def test_a_secret_is_kept_sealed_and_given_out_once_as_it_is(
    hook_settings: Settings, register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register()
    kept = stored_secret(endpoint["id"])

    assert str(endpoint["secret"]).startswith("whsec_")
    assert kept.startswith("fernet:") and str(endpoint["secret"]) not in kept
    assert secret_box.unseal(kept, hook_settings) == endpoint["secret"]


def test_keys_rotate_by_putting_a_new_one_first_and_resealing(
    hook_settings: Settings, register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register()
    store(endpoint["id"], secret_box.seal(str(endpoint["secret"]), keyed(hook_settings, OLD)))
    rotating = keyed(hook_settings, NEW, OLD)
    assert secret_box.unseal(stored_secret(endpoint["id"]), rotating) == endpoint["secret"]

    assert secret_box.reseal(rotating) == (1, 0)
    assert secret_box.reseal(rotating) == (0, 0)  # each under the first key already

    kept = stored_secret(endpoint["id"])
    assert secret_box.unseal(kept, keyed(hook_settings, NEW)) == endpoint["secret"]
    with pytest.raises(secret_box.SecretUnreadable):
        secret_box.unseal(kept, keyed(hook_settings, OLD))


def test_a_secret_stored_before_sealing_is_sent_signed_then_sealed_by_a_reseal(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register(event_types=["event.created"])
    store(endpoint["id"], str(endpoint["secret"]))  # as registrations stored it before
    new_event(writer)

    receiver.wait_for(1, tick=tick(writer, hook_settings))

    assert receiver.bad_signatures == []
    assert secret_box.reseal(hook_settings) == (1, 0)
    assert stored_secret(endpoint["id"]).startswith("fernet:")


def test_a_secret_no_key_opens_fails_the_attempt_and_says_why(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register(event_types=["event.created"])
    store(endpoint["id"], secret_box.seal(str(endpoint["secret"]), keyed(hook_settings, OLD)))
    new_event(writer)

    tick(writer, keyed(hook_settings, NEW))()

    [row] = log_of(endpoint["id"])
    assert (row["status"], row["attempts"], row["last_status_code"]) == ("pending", 1, None)
    assert "WEBHOOK_SECRET_KEYS" in row["last_error"]
    assert receiver.received == []  # nothing unsigned or wrongly signed went out
    assert secret_box.reseal(keyed(hook_settings, NEW)) == (0, 1)  # left as it is


def test_a_key_too_short_to_be_random_is_refused_at_startup_without_echoing_it(
    hook_settings: Settings,
) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(**{**hook_settings.model_dump(), "webhook_secret_keys": [NEW, "not-a-key"]})
    assert "not-a-key" not in str(refused.value)
    assert "ops.webhook_secrets new-key" in str(refused.value)


def test_the_operators_commands_make_a_key_and_seal_what_was_stored_before(
    register: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    endpoint = register()
    store(endpoint["id"], str(endpoint["secret"]))  # as registrations stored it before
    monkeypatch.setattr(sys, "argv", ["ops.webhook_secrets", "new-key"])
    assert webhook_secrets.main() == 0
    key = capsys.readouterr().out.strip()
    Settings(webhook_secret_keys=[key])  # a key the settings take

    migrate.seal_webhook_secrets(get_settings())  # as `python -m ops.migrate` ends

    assert stored_secret(endpoint["id"]).startswith("fernet:")
    monkeypatch.setattr(sys, "argv", ["ops.webhook_secrets", "reseal"])
    assert webhook_secrets.main() == 0
    assert capsys.readouterr().out.strip() == "resealed 0; unreadable with these keys: 0"
