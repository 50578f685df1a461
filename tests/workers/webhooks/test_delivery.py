"""Webhooks sent from the real log: every body signed (checked with `standardwebhooks`), each
endpoint's in log order, through a receiver's outage, given up on after the bounded attempts,
replayed from a position, never two senders at one endpoint, fanned out exactly once."""

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from bench.scenario import book, new_event
from commands.ledger import Ledger
from core.db import read_scope
from core.settings import Settings
from tests.support.webhook_receiver import Receiver
from workers.webhooks import endpoints, fanout, jobs, sender, signing
from workers.webhooks.tables import deliveries


def tick(writer: Ledger, settings: Settings) -> Callable[[], int]:
    def once() -> int:
        fanout.advance(writer.eventlog)
        return sender.send_due(settings)
    return once


def log_of(endpoint_id: Any) -> list[dict[str, Any]]:
    return list(reversed(endpoints.delivery_log(endpoint_id, 1000, None, None)))


def assert_in_order(receiver: Receiver) -> None:
    """Every request in log order: an endpoint's later event never before an earlier one was
    acknowledged (a retry repeats the same position)."""
    positions = [r.position for r in receiver.received]
    assert positions == sorted(positions)
    assert receiver.bad_signatures == []


def test_every_event_is_sent_signed_in_log_order_without_ticket_codes(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register()
    event_id = new_event(writer)
    booked = [book(writer, event_id, quantity=2) for _ in range(3)]
    writer.cancel_booking(booked[1]["id"])

    got = receiver.wait_for(5, tick=tick(writer, hook_settings))

    assert [r.document["type"] for r in got] == [
        "event.created", "booking.created", "booking.created", "booking.created",
        "booking.cancelled"]
    assert_in_order(receiver)
    rows = log_of(endpoint["id"])
    assert [r["status"] for r in rows] == ["delivered"] * 5
    assert [r["position"] for r in rows] == [r.position for r in got]
    assert [r.headers["webhook-id"] for r in got] == [signing.message_id(r["id"]) for r in rows]
    first_booking = got[1].document["data"]
    assert first_booking["event_id"] == str(event_id)
    assert first_booking["booking_id"] == str(booked[0]["id"])
    codes = [t["code"] for t in booked[0]["tickets"]]
    assert all(code not in got[1].body.decode() for code in codes)
    assert all(c.startswith("sha256:") for c in first_booking["ticket_codes"])
    assert got[1].document["timestamp"].endswith("Z")


def test_an_endpoint_gets_only_its_types_and_its_event_from_its_registration_on(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    before = new_event(writer)
    book(writer, before)
    mine, other = new_event(writer), new_event(writer)
    endpoint = register(event_types=["booking.created"], event_id=mine)
    book(writer, other)
    booked = book(writer, mine)
    book(writer, before)

    got = receiver.wait_for(1, tick=tick(writer, hook_settings))
    tick(writer, hook_settings)()

    assert [r.document["data"]["booking_id"] for r in receiver.received] == [str(booked["id"])]
    assert len(log_of(endpoint["id"])) == 1
    assert got[0].document["type"] == "booking.created"


def test_a_checkout_confirmed_is_a_booking_and_to_a_holds_only_endpoint_the_hold_s_end(
    writer: Ledger, register: Callable[..., dict[str, Any]],
) -> None:
    both = register(event_types=["booking.created", "hold.created", "hold.confirmed"])
    holds_only = register(event_types=["hold.created", "hold.confirmed"])
    event_id = new_event(writer)
    hold_id = writer.hold(event_id, user_id=UUID(int=7), user_name="Ann", category=None,
                          quantity=2).view["id"]
    booking = writer.confirm_hold(hold_id).view

    fanout.advance(writer.eventlog)

    assert [r["event_type"] for r in log_of(both["id"])] == ["hold.created", "booking.created"]
    assert [r["event_type"] for r in log_of(holds_only["id"])] == ["hold.created",
                                                                   "hold.confirmed"]
    with read_scope() as session:
        sent = session.execute(select(deliveries.c.event_type, deliveries.c.payload)
                                .where(deliveries.c.endpoint_id == holds_only["id"])
                                .order_by(deliveries.c.position)).all()
    data = json.loads(sent[1].payload)["data"]
    assert (data["hold_id"], data["booking_id"]) == (str(hold_id), str(booking["id"]))


def test_a_receiver_down_for_a_while_then_gets_every_delivery_in_order(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register()
    event_id = new_event(writer)
    receiver.answer = lambda _: 503  # up, but failing
    book(writer, event_id)
    run = tick(writer, hook_settings)
    while len(receiver.received) < 3:
        run()
    head = log_of(endpoint["id"])[0]
    assert (head["status"], head["last_status_code"]) == ("pending", 503)
    assert head["attempts"] >= 2 and head["last_error"].startswith("HTTP 503")
    assert {r.position for r in receiver.received} == {head["position"]}  # the rest waited

    receiver.stop()  # not listening at all
    book(writer, event_id)
    for _ in range(3):
        run()
    refused = log_of(endpoint["id"])[0]
    assert refused["status"] == "pending" and refused["last_status_code"] is None
    assert "ConnectError" in refused["last_error"]

    receiver.answer = lambda _: 200
    receiver.start()  # back, on the same port
    book(writer, event_id)
    got = receiver.wait_for(4, tick=run)

    assert [r.document["type"] for r in got] == ["event.created"] + ["booking.created"] * 3
    assert_in_order(receiver)
    assert [r["status"] for r in log_of(endpoint["id"])] == ["delivered"] * 4


def test_a_delivery_refused_every_time_is_marked_failed_and_the_next_ones_follow_in_order(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    settings = hook_settings.model_copy(update={"webhook_max_attempts": 3})
    endpoint = register()
    event_id = new_event(writer)
    receiver.answer = lambda doc: 500 if doc["type"] == "booking.cancelled" else 204
    booked = book(writer, event_id)
    writer.cancel_booking(booked["id"])
    book(writer, event_id)

    got = receiver.wait_for(3, tick=tick(writer, settings))

    rows = log_of(endpoint["id"])
    assert [(r["event_type"], r["status"], r["attempts"]) for r in rows] == [
        ("event.created", "delivered", 1), ("booking.created", "delivered", 1),
        ("booking.cancelled", "failed", 3), ("booking.created", "delivered", 1)]
    assert rows[2]["next_attempt_at"] is None and rows[2]["last_status_code"] == 500
    assert [r.position for r in got] == [rows[0]["position"], rows[1]["position"],
                                          rows[3]["position"]]
    assert_in_order(receiver)


def test_backoff_doubles_from_the_base_up_to_the_cap(hook_settings: Settings) -> None:
    settings = hook_settings.model_copy(update={"webhook_retry_base_seconds": 1.0,
                                                "webhook_retry_max_seconds": 300.0})
    assert [sender.backoff(n, settings) for n in (1, 2, 3, 4, 9, 10, 50)] == [
        1, 2, 4, 8, 256, 300, 300]


def test_a_replay_sends_from_a_position_on_again_in_order_under_the_same_ids(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register()
    event_id = new_event(writer)
    for _ in range(3):
        book(writer, event_id)
    run = tick(writer, hook_settings)
    first = receiver.wait_for(4, tick=run)

    replayed = endpoints.replay(endpoint["id"], first[2].position)
    again = receiver.wait_for(6, tick=run)[4:]

    assert replayed == 2
    assert [r.position for r in again] == [first[2].position, first[3].position]
    assert [r.headers["webhook-id"] for r in again] == [
        r.headers["webhook-id"] for r in first[2:]]
    assert receiver.bad_signatures == []
    assert [r["status"] for r in log_of(endpoint["id"])] == ["delivered"] * 4


def test_two_senders_at_once_never_send_to_one_endpoint_together(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    register()
    event_id = new_event(writer)
    for _ in range(4):
        book(writer, event_id)
    fanout.advance(writer.eventlog)
    receiver.delay = 0.05
    start = threading.Barrier(3)

    def send() -> int:
        start.wait(timeout=10)
        return sender.send_due(hook_settings)

    with ThreadPoolExecutor(3) as pool:
        sent = list(pool.map(lambda _: send(), range(3)))

    assert receiver.most_in_flight == 1
    receiver.wait_for(5, tick=lambda: sender.send_due(hook_settings))
    assert sum(sent) <= 5
    assert len(receiver.received) == 5  # none sent twice
    assert_in_order(receiver)


def test_the_fan_out_inserts_each_delivery_once_however_many_run_it(
    writer: Ledger, any_settings: Settings, register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register(event_types=["booking.created"])
    event_id = new_event(writer)
    for _ in range(6):
        book(writer, event_id)
    start = threading.Barrier(3)

    def run(_: int) -> int:
        start.wait(timeout=10)
        return fanout.advance(writer.eventlog, batch_size=2)

    with ThreadPoolExecutor(3) as pool:
        read = list(pool.map(run, range(3)))
    fanout.advance(writer.eventlog)

    with read_scope() as session:
        rows = session.scalar(select(func.count()).select_from(deliveries)
                              .where(deliveries.c.endpoint_id == endpoint["id"]))
    assert rows == 6
    assert sum(read) <= writer.eventlog.last()  # no entry read by two of them
    assert fanout.position() == writer.eventlog.last()


def test_with_no_endpoint_the_fan_out_moves_on_without_keeping_the_past(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    event_id = new_event(writer)
    book(writer, event_id)
    jobs.tick(writer.eventlog)
    assert fanout.position() == writer.eventlog.last()
    register()
    booked = book(writer, event_id)

    got = receiver.wait_for(1, tick=tick(writer, hook_settings))

    assert [r.document["data"]["booking_id"] for r in got] == [str(booked["id"])]


def test_an_address_refused_at_send_time_is_not_contacted(
    writer: Ledger, any_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register()  # its host resolved to a public address then, say; now it is local
    book(writer, new_event(writer))
    refusing = any_settings.model_copy(update={"webhook_allow_private": False})

    fanout.advance(writer.eventlog)
    sender.send_due(refusing)

    assert receiver.received == []
    head = log_of(endpoint["id"])[0]
    assert head["status"] == "pending" and head["attempts"] == 1
    assert "resolves to a loopback address" in head["last_error"]


def test_a_deactivated_endpoint_is_sent_nothing_more(
    writer: Ledger, hook_settings: Settings, receiver: Receiver,
    register: Callable[..., dict[str, Any]],
) -> None:
    endpoint = register()
    event_id = new_event(writer)
    run = tick(writer, hook_settings)
    receiver.wait_for(1, tick=run)
    endpoints.deactivate(UUID(str(endpoint["id"])))
    book(writer, event_id)
    for _ in range(3):
        run()
    assert len(receiver.received) == 1
