"""The chaos checker catches each anomaly kind: doctored histories and stores, each one wrong."""

from typing import Any

import pytest

from bench.chaos.checker import Evidence, Result, check
from bench.chaos.history import Op, outcome_type
from commands.application.idempotency import idempotent_booking_id

EVENT, USER = "e1", "u1"


def booking(key: str, status: int | None = 201, *, user: str = USER, t0: float = 1.0) -> Op:
    bid = str(idempotent_booking_id(user, key))
    op: Op = {"client": "c1", "kind": "book", "user": user, "key": key, "event": EVENT,
              "sent": {"category": "A", "quantity": 1}, "t0": t0, "t1": t0 + 0.01,
              "status": status, "type": outcome_type(status)}
    if status is None:
        op["error"] = "ServerDisconnectedError"
    if op["type"] == "ok":
        op["answer"] = {"id": bid}
    return op


def cancel(key: str, status: int = 200) -> Op:
    return {"client": "c1", "kind": "cancel", "user": USER, "t0": 2.0, "t1": 2.01,
            "booking": str(idempotent_booking_id(USER, key)), "status": status,
            "type": outcome_type(status)}


def booked(key: str, position: int, *, quantity: int = 1) -> dict[str, Any]:
    return {"position": position, "type": "SeatsBooked", "category": "A", "quantity": quantity,
            "booking_id": str(idempotent_booking_id(USER, key)), "user_id": USER}


def cancelled(key: str, position: int) -> dict[str, Any]:
    return {"position": position, "type": "BookingCancelled", "category": "A", "quantity": 1,
            "booking_id": str(idempotent_booking_id(USER, key))}


CREATED = {"position": 1, "type": "Created", "categories": [{"name": "A", "capacity": 2}]}
VERIFY_OK = {"ok": True, "chain": {"ok": True}, "snapshots": {"ok": True},
             "projections": {"bookings": {"ok": True}}}


def evidence(facts: list[dict[str, Any]], *, sold: int | None = None,
             feed: list[int] | None = None, seen: int | None = None,
             verify: dict[str, Any] | None = None) -> Evidence:
    """The store as `facts`; read tables, feed and stream agreeing with it unless told."""
    store = {EVENT: [CREATED, *facts]}
    positions = [f["position"] for f in store[EVENT]]
    true_sold = sum(f["quantity"] * (1 if f["type"] == "SeatsBooked" else -1)
                    for f in facts if "quantity" in f)
    sold = true_sold if sold is None else sold
    left = 2 - sold if seen is None else seen
    return Evidence(store=store, read={EVENT: {"A": {"capacity": 2, "sold": sold}}},
                    log=positions, feed=positions if feed is None else feed,
                    streams=[{"name": "sse0", "event": EVENT, "last": {"available_seats": left}}],
                    verify=VERIFY_OK if verify is None else verify)


def kinds(result: Result) -> set[str]:
    return {v["kind"] for v in result.violations}


def test_a_clean_run_passes() -> None:
    ops = [booking("k1"), booking("k2"), cancel("k2")]
    result = check(ops, evidence([booked("k1", 2), booked("k2", 3), cancelled("k2", 4)]))
    assert result.ok, result.violations
    assert result.counts["bookings answered 2xx"] == 2


def test_a_lost_201_is_reported() -> None:
    result = check([booking("k1"), booking("k2")], evidence([booked("k1", 2)]))
    assert kinds(result) == {"lost"}
    assert "answered 2xx is in the store 0 times" in result.violations[0]["message"]


def test_a_duplicate_booking_is_reported() -> None:
    result = check([booking("k1")], evidence([booked("k1", 2), booked("k1", 3)]))
    assert "duplicate" in kinds(result)
    assert "2 times, not once" in result.violations[0]["message"]


def test_a_key_answered_with_two_bookings_is_reported() -> None:
    first, retry = booking("k1"), booking("k1", t0=5.0)
    retry["answer"] = {"id": "another-booking"}
    result = check([first, retry], evidence([booked("k1", 2)]))
    assert kinds(result) == {"key-twice"}
    assert "Idempotency-Key k1" in result.violations[0]["message"]


def test_a_key_stored_twice_with_no_2xx_is_reported() -> None:
    result = check([booking("k1", None)], evidence([booked("k1", 2), booked("k1", 3)]))
    assert "key-twice" in kinds(result)


def test_a_booking_nobody_asked_for_is_reported() -> None:
    result = check([booking("k1")], evidence([booked("k1", 2), booked("ghost", 3)]))
    assert kinds(result) == {"unexplained"}
    assert "no client was answered for it" in result.violations[0]["message"]


def test_a_booking_refused_with_a_400_yet_stored_is_reported() -> None:
    result = check([booking("k1", 400)], evidence([booked("k1", 2)]))
    assert kinds(result) == {"unexplained"}


def test_a_stored_booking_whose_request_timed_out_is_indeterminate_not_wrong() -> None:
    result = check([booking("k1", None), booking("k2", 503) | {"code": "STORE_UNAVAILABLE"}],
                   evidence([booked("k1", 2), booked("k2", 3)]))
    assert result.ok, result.violations
    assert len(result.indeterminate) == 2


def test_an_oversell_is_reported_at_its_position() -> None:
    ops = [booking("k1"), booking("k2")]
    result = check(ops, evidence([booked("k1", 2), booked("k2", 3, quantity=2)]))
    assert "oversell" in kinds(result)
    assert "3 sold of 2 at position 3" in result.violations[0]["message"]


def test_a_cancellation_answered_200_but_not_stored_is_reported() -> None:
    ops = [booking("k1"), cancel("k1")]
    result = check(ops, evidence([booked("k1", 2)]))
    assert kinds(result) == {"cancel-lost"}


def test_a_cancellation_whose_seats_did_not_come_back_is_reported() -> None:
    ops = [booking("k1"), cancel("k1")]
    result = check(ops, evidence([booked("k1", 2), cancelled("k1", 3)], sold=1, seen=2))
    assert "seats-not-back" in kinds(result)
    assert "shows 1 sold in the read tables, the store 0" in str(result.violations)


def test_read_tables_that_differ_from_a_replay_are_reported() -> None:
    drift = VERIFY_OK | {"projections": {"revenue": {"ok": False, "difference_count": 3}}}
    result = check([booking("k1")], evidence([booked("k1", 2)], verify=drift))
    assert kinds(result) == {"read-tables"}
    assert "projection revenue differs from a fresh replay: 3 differences" in str(result.violations)


def test_a_skipped_feed_position_is_reported() -> None:
    result = check([booking("k1"), booking("k2")],
                   evidence([booked("k1", 2), booked("k2", 3)], feed=[1, 3]))
    assert kinds(result) == {"feed"}
    assert "missed 1 positions, first [2]" in result.violations[0]["message"]


def test_a_repeated_feed_position_is_reported() -> None:
    result = check([booking("k1")], evidence([booked("k1", 2)], feed=[1, 2, 2]))
    assert kinds(result) == {"feed"}
    assert "got position 2 again" in result.violations[0]["message"]


def test_an_sse_subscriber_left_behind_is_reported() -> None:
    result = check([booking("k1")], evidence([booked("k1", 2)], seen=2))
    assert kinds(result) == {"sse"}
    assert "last seats left 2, the projection 1" in result.violations[0]["message"]


@pytest.mark.parametrize(("status", "code"), [(500, "INTERNAL"), (503, None), (502, None)])
def test_a_500_or_a_503_without_a_code_is_reported(status: int, code: str | None) -> None:
    op = booking("k1", status) | {"code": code}
    result = check([op], evidence([booked("k1", 2)]))
    assert kinds(result) == {"server-error"}


def test_a_503_with_a_code_is_allowed() -> None:
    op = booking("k1", 503) | {"code": "STORE_UNAVAILABLE"}
    assert check([op], evidence([])).ok


def test_verify_not_ok_is_reported() -> None:
    broken = VERIFY_OK | {"ok": False, "chain": {"ok": False}}
    result = check([booking("k1")], evidence([booked("k1", 2)], verify=broken))
    assert kinds(result) == {"verify"}
    assert "(chain)" in result.violations[0]["message"]


def read(status: int, t0: float, code: str | None = None) -> Op:
    return {"client": "r1", "kind": "list", "sent": {"limit": "20"}, "t0": t0, "t1": t0 + 0.5,
            "status": status, "type": outcome_type(status), "code": code}


REPLICA_STOP = {"kind": "replica-stop", "target": "replica :5433", "start": 10.0, "end": 20.0}


def test_a_read_lost_to_a_stopped_replica_is_reported() -> None:
    # In flight as it stopped, and answered 503 (found by the ten-minute soak).
    lost = read(503, 9.7, "STORE_UNAVAILABLE")
    facts = evidence([])
    facts.faults = [REPLICA_STOP]
    result = check([read(200, 9.0), lost, read(200, 15.0)], facts)
    assert kinds(result) == {"replica-read"}
    assert "1 reads failed as replica :5433 stopped" in result.violations[0]["message"]


def test_reads_failing_away_from_a_replica_stop_are_not_its_doing() -> None:
    facts = evidence([])
    facts.faults = [REPLICA_STOP]
    result = check([read(503, 2.0, "STORE_UNAVAILABLE"), read(503, 40.0, "STORE_UNAVAILABLE"),
                    read(200, 12.0)], facts)
    assert result.ok, result.violations
