"""The webhooks' machinery on each backend: a ledger writing real events, an admin's endpoint
registered to a local receiver, and settings that allow its loopback address and retry fast."""

from collections.abc import Callable, Iterator
from uuid import uuid4

import pytest

from commands.ledger import Ledger
from core.db import session_scope
from core.settings import Settings
from query_api.auth.user_accounts import add_user
from tests.support.webhook_receiver import Receiver
from workers.webhooks import endpoints
from workers.webhooks.event_types import EVENT_TYPES


@pytest.fixture
def hook_settings(any_settings: Settings) -> Settings:
    """Loopback allowed (the receiver is local), retries after a few hundredths of a second."""
    return any_settings.model_copy(update={
        "webhook_allow_private": True, "webhook_retry_base_seconds": 0.02,
        "webhook_retry_max_seconds": 0.1, "webhook_timeout_seconds": 2.0})


@pytest.fixture
def writer(any_settings: Settings) -> Iterator[Ledger]:
    ledger = Ledger(any_settings)
    yield ledger
    ledger.close()


@pytest.fixture
def register(writer: Ledger, receiver: Receiver) -> Callable[..., dict[str, object]]:
    """Register an admin's endpoint at the receiver (every type unless told), its secret given
    to the receiver. The admin is a real account: an endpoint is sent to while its owner's
    role allows (`workers.webhooks.rights`)."""

    def make(**fields: object) -> dict[str, object]:
        with session_scope() as session:
            owner = add_user(session, email=f"admin-{uuid4().hex}@example.com",
                             password_hash="unused", name="Admin", phone=None, role="admin").id
        asked = endpoints.Registration(
            owner_id=owner, owner_role="admin", url=str(fields.get("url", receiver.url)),
            event_types=list(fields.get("event_types", EVENT_TYPES)),  # type: ignore[call-overload]
            event_id=fields.get("event_id"),  # type: ignore[arg-type]
            description=None)
        row = endpoints.register(asked, writer.eventlog.head(), max_per_owner=10)
        receiver.secret = str(row["secret"])
        return row

    return make
