"""The messages' machinery on each backend: a writer whose commits are projected at once, real
accounts to mail, and settings that send to the test's SMTP server (aiosmtpd)."""

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest

from commands.ledger import Ledger
from core.db import session_scope
from core.languages import Language
from core.settings import Settings
from query_api.auth.user_accounts import add_user
from tests.support.smtp_server import SmtpServer
from workers.mail import sender, subscriber


@pytest.fixture
def writer(ledgers: Callable[..., Ledger]) -> Ledger:
    return ledgers()


@pytest.fixture
def smtp_settings(any_settings: Settings, smtp_server: SmtpServer) -> Settings:
    return any_settings.model_copy(update={
        "smtp_host": smtp_server.host, "smtp_port": smtp_server.port, "smtp_tls": "none",
        "smtp_timeout_seconds": 5.0, "mail_from": "Tickets <tickets@ledger.test>"})


@pytest.fixture
def buyer() -> Callable[[str], dict[str, Any]]:
    """An account to mail (its messages in `language`): its id, e-mail and name, and what a
    command asks with."""

    def make(name: str, language: Language = "en") -> dict[str, Any]:
        email = f"{name.lower()}-{uuid4().hex[:8]}@example.com"
        with session_scope() as session:
            user_id: UUID = add_user(session, email=email, password_hash="unused", name=name,
                                     phone=None, role="customer", language=language).id
        return {"id": user_id, "email": email, "name": name,
                "asks": {"user_id": user_id, "user_name": name}}

    return make


@pytest.fixture
def mail_tick(writer: Ledger) -> Callable[[Settings], int]:
    """One tick of the mail job on these settings: the log's new messages, then sending."""

    def tick(settings: Settings) -> int:
        subscriber.advance(writer.eventlog)
        return sender.send_due(settings)

    return tick
