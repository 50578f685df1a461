"""The fan-out and the sender decide on the owner's rights as they are now: a delivery made
before a demotion is not sent after it, none is made while it lasts, and the endpoint is
sent to again, from where it stood, once the rights come back."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import update

from bench.scenario import book, new_event
from commands.ledger import Ledger
from core.db import session_scope
from core.settings import Settings
from query_api.auth.user_accounts import User
from tests.support.webhook_receiver import Receiver
from workers.webhooks import endpoints, fanout, sender


def set_role(user_id: object, role: str) -> None:
    with session_scope() as session:
        session.execute(update(User).where(User.id == user_id).values(role=role))


def test_a_pending_delivery_is_not_sent_once_its_owner_is_demoted_nor_any_made_meanwhile(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register(event_types=["booking.created"])
    event_id = new_event(writer)
    pending = book(writer, event_id)
    fanout.advance(writer.eventlog)  # made while its owner is an admin

    set_role(endpoint["owner_id"], "customer")
    during = book(writer, event_id)
    fanout.advance(writer.eventlog)
    for _ in range(3):
        sender.send_due(hook_settings)

    assert receiver.received == []
    endpoint_id = UUID(str(endpoint["id"]))
    shown = endpoints.found(endpoint_id)
    assert shown is not None and shown["suspended"] is True
    log = endpoints.delivery_log(endpoint_id, 10, None, None)
    assert [d["status"] for d in log] == ["pending"]

    set_role(endpoint["owner_id"], "admin")
    got = receiver.wait_for(1, tick=lambda: sender.send_due(hook_settings))
    assert [r.document["data"]["booking_id"] for r in got] == [str(pending["id"])]
    assert str(during["id"]) not in {r.document["data"]["booking_id"] for r in got}
