"""Receivers that are slow or keep failing cost only their own endpoint: an attempt ends at the
deadline however slowly the answer comes, a stalled endpoint never holds another's deliveries,
the delivery log keeps a status and a short reason (never the answer's body), failures back
the endpoint off as a whole, and an endpoint failing for too long is disabled with a reason."""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import pytest

from bench.scenario import book, new_event
from commands.ledger import Ledger
from core.settings import Settings
from tests.support.trickling_receiver import TricklingReceiver
from tests.support.webhook_receiver import Receiver
from workers.webhooks import endpoints, fanout, sender

DEADLINE = 2.0
# Endpoints stalling at once, fewer than a tick's senders: beyond `sender.SENDERS` first-time
# stalls a healthy endpoint waits for the next tick, by which the stalled ones are backed off.
STALLED = 20


@pytest.fixture
def patient(hook_settings: Settings) -> Settings:
    """Each read may take longer than the trickle's pace: only the attempt's deadline ends it.
    A failed endpoint waits a minute before its next attempt."""
    return hook_settings.model_copy(update={"webhook_timeout_seconds": 5.0,
                                            "webhook_deadline_seconds": DEADLINE,
                                            "webhook_retry_base_seconds": 60.0,
                                            "webhook_retry_max_seconds": 600.0})


def head_of(endpoint_id: Any) -> dict[str, Any]:
    return endpoints.delivery_log(endpoint_id, 1000, None, None)[-1]


def timed_tick(settings: Settings, limit: float) -> float:
    """One sending tick, in a thread: how long it took (failing past `limit`)."""
    started = time.monotonic()
    pool = ThreadPoolExecutor(1)
    try:
        pool.submit(sender.send_due, settings).result(timeout=limit)
    finally:
        pool.shutdown(wait=False)  # a tick past its limit ends when the receivers stop
    return time.monotonic() - started


def test_an_attempt_at_a_trickling_receiver_fails_at_the_deadline_with_a_clear_error(
    writer: Ledger, patient: Settings, trickler: TricklingReceiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register(url=trickler.url())
    book(writer, new_event(writer))
    fanout.advance(writer.eventlog)

    took = timed_tick(patient, limit=DEADLINE * 3)

    assert DEADLINE - 0.1 <= took < DEADLINE * 2
    head = head_of(endpoint["id"])
    assert (head["status"], head["attempts"], head["last_status_code"]) == ("pending", 1, None)
    assert head["last_error"] == f"no complete answer within {DEADLINE:g} s"


def test_stalled_endpoints_do_not_hold_up_another_endpoint_s_deliveries(
    writer: Ledger, patient: Settings, trickler: TricklingReceiver, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    assert STALLED < sender.SENDERS
    for n in range(STALLED):
        register(url=trickler.url(f"/hook/{n}"))
    register()
    event_id = new_event(writer)
    book(writer, event_id)
    fanout.advance(writer.eventlog)

    pool = ThreadPoolExecutor(1)
    try:
        tick = pool.submit(sender.send_due, patient)
        healthy = receiver.wait_for(2, timeout=DEADLINE * 5)
        tick.result(timeout=DEADLINE * 3)  # nor does the tick wait for them past the deadline
    finally:
        pool.shutdown(wait=False)
    # Not after the stalled ones: before the first stalled attempt had reached its deadline
    # (compared with when it began, not with a time from here, which a loaded machine moves).
    assert trickler.connections
    assert max(r.arrived for r in healthy) < min(trickler.connections) + DEADLINE

    book(writer, event_id)
    fanout.advance(writer.eventlog)
    assert timed_tick(patient, limit=DEADLINE * 3) < DEADLINE  # the stalled ones wait: backed off
    assert len(receiver.wait_for(3, timeout=1)) == 3


def test_the_delivery_log_keeps_the_status_and_a_reason_not_the_answer(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register()
    receiver.answer = lambda _: 500
    fanout.advance(writer.eventlog)
    new_event(writer)
    fanout.advance(writer.eventlog)

    sender.send_due(hook_settings)

    head = head_of(endpoint["id"])
    assert (head["last_status_code"], head["last_error"]) == (500, "HTTP 500")


def test_a_failing_endpoint_is_backed_off_as_a_whole_not_delivery_by_delivery(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    settings = hook_settings.model_copy(update={"webhook_max_attempts": 1,
                                                "webhook_retry_base_seconds": 60.0,
                                                "webhook_retry_max_seconds": 600.0})
    endpoint = register()
    receiver.answer = lambda _: 503
    event_id = new_event(writer)
    for _ in range(3):
        book(writer, event_id)
    fanout.advance(writer.eventlog)

    for _ in range(3):
        sender.send_due(settings)

    assert len(receiver.received) == 1  # the first failure made the endpoint wait
    rows = endpoints.delivery_log(endpoint["id"], 1000, None, None)
    assert [r["status"] for r in reversed(rows)] == ["failed", "pending", "pending", "pending"]
    shown = endpoints.found(UUID(str(endpoint["id"])))
    assert shown is not None and shown["failing_since"] is not None
    assert shown["disabled_at"] is None and shown["disabled_reason"] is None


def test_an_endpoint_failing_for_the_bounded_time_is_disabled_with_its_reason(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    settings = hook_settings.model_copy(update={"webhook_disable_after_seconds": 0.5})
    endpoint = register()
    endpoint_id = UUID(str(endpoint["id"]))
    receiver.answer = lambda _: 503
    new_event(writer)
    fanout.advance(writer.eventlog)

    deadline = time.monotonic() + 10
    while (shown := endpoints.found(endpoint_id)) and shown["disabled_at"] is None:
        assert time.monotonic() < deadline, "never disabled"
        sender.send_due(settings)
        time.sleep(0.05)

    assert shown is not None and shown["active"] is True  # not deleted: its owner decides
    assert shown["disabled_reason"].startswith("every attempt failed for ")
    assert shown["disabled_reason"].endswith("the last: HTTP 503")
    sent = len(receiver.received)
    receiver.answer = lambda _: 204
    for _ in range(3):
        sender.send_due(settings)
    assert len(receiver.received) == sent  # nothing more sent to it

    endpoints.replay(endpoint_id, 0)  # its owner asks again: it is enabled again
    receiver.wait_for(1, tick=lambda: sender.send_due(settings))
    shown = endpoints.found(endpoint_id)
    assert shown is not None and (shown["disabled_at"], shown["failing_since"]) == (None, None)
