"""Servers die: a worker mid-batch, Redis, PostgreSQL, an API process mid-request. Nothing is
lost, nothing is counted twice, and the system comes back by itself.

Every server here is private to the test (see services.py): the shared ones are never stopped.
"""

import asyncio
import math
import os
import signal
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import psycopg
import pytest

from commands.application.idempotency import idempotent_booking_id
from commands.domain.booking import Booking
from commands.store.locks import advisory_key
from core.db import libpq_url
from tests.reliability.harness import (
    create_event,
    gather_limited,
    sold_in_store,
    stream_quantities,
    system,
)
from tests.reliability.services import PrivatePostgres
from tests.support.verify_runs import verify_report
from tests.support.waiting import eventually

pytestmark = [pytest.mark.scenario, pytest.mark.postgres]
STORE_DOWN = {"STORE_UNAVAILABLE", "EVENT_BUSY", "WRITE_CONFLICT"}


PROCESS_MANAGERS = ("waitlist_offers", "invoice_settlements")


def _head(url: str, admin: dict[str, str]) -> tuple[int, dict[str, int]]:
    rows = httpx.get(f"{url}/api/projections", headers=admin, timeout=30).json()
    # The read models and the tree; the process managers (the lines' offers, the invoices'
    # settlements) move only on beat's schedule.
    return max(r["head"] for r in rows), {r["name"]: r["position"] for r in rows
                                          if r["name"] not in PROCESS_MANAGERS}


def _caught_up(url: str, admin: dict[str, str]) -> bool:
    try:
        head, positions = _head(url, admin)
    except (httpx.HTTPError, ValueError, KeyError):
        return False
    return all(p >= head for p in positions.values())


def _verify_ok(url: str, admin: dict[str, str]) -> None:
    with httpx.Client(base_url=url, timeout=30) as http:
        report = verify_report(http, admin)
    assert report["ok"] is True, report
    assert all(p["ok"] and p["difference_count"] == 0 for p in report["projections"].values())


def _book(url: str, headers: dict[str, str], event_id: str, key: str | None = None,
          quantity: int = 1) -> httpx.Response:
    extra = {"Idempotency-Key": key} if key else {}
    return httpx.post(f"{url}/api/events/{event_id}/book", json={"quantity": quantity},
                      headers=headers | extra, timeout=60)


def _available(url: str, event_id: str, position: int) -> int:
    r = httpx.get(f"{url}/api/events/{event_id}", params={"min_position": position}, timeout=30)
    return int(r.json()["available_seats"])


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    return tmp_path


def test_worker_killed_mid_batch_loses_and_doubles_nothing(
    private_pg: PrivatePostgres, tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with system(private_pg, tmp) as stack:
        worker = stack.worker("first")
        _, url = stack.api(processes=1)
        admin = stack.admin(url)
        event_id = create_event(url, admin, total_seats=1000, price="10.00")
        [(_, alice)] = stack.customers(1)
        assert eventually(lambda: _caught_up(url, admin), 30), worker.tail()
        # A backlog the worker has not seen: written with no wake-ups, and no beat runs.
        with stack.ledger(monkeypatch) as ledger:
            for _ in range(300):
                ledger.book(uuid.UUID(event_id), user_id=uuid.uuid4(), user_name="Quiet",
                            category=None, quantity=1)
        _, before = _head(url, admin)
        with psycopg.connect(libpq_url(stack.database_url)) as blocker:
            # Hold the event's availability row: the worker's batch stops on it, half done.
            blocker.execute("SELECT 1 FROM events WHERE id = %s FOR UPDATE", (event_id,))
            assert _book(url, alice, event_id).status_code == 201  # its wake-up starts the batch
            with psycopg.connect(libpq_url(stack.database_url), autocommit=True) as probe:
                waiting = eventually(lambda: probe.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND pid <> %s",
                    (blocker.info.backend_pid,)).fetchone() == (1,), 30)
                assert waiting, worker.tail()
                probe.execute("SET lock_timeout = '200ms'")
                with pytest.raises(psycopg.errors.LockNotAvailable):  # the batch holds it
                    probe.execute("SELECT 1 FROM projection_tracking WHERE name = "
                                  "'availability' FOR UPDATE")
            os.killpg(worker.proc.pid, signal.SIGKILL)  # kill -9, mid-batch
            worker.proc.wait(timeout=10)
            blocker.rollback()
        time.sleep(1)
        _, after_kill = _head(url, admin)
        assert after_kill["availability"] == before["availability"]  # nothing half-committed
        stack.worker("second")
        assert _book(url, alice, event_id).status_code == 201  # wakes the new worker
        assert eventually(lambda: _caught_up(url, admin), 60)
        head, _ = _head(url, admin)
        assert _available(url, event_id, head) == 1000 - 302
        _verify_ok(url, admin)


def test_bookings_go_on_while_redis_is_down_and_projections_catch_up(
    private_pg: PrivatePostgres, tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with system(private_pg, tmp) as stack:
        worker = stack.worker()
        stack.beat()
        _, url = stack.api(processes=2)
        admin = stack.admin(url)
        event_id = create_event(url, admin, total_seats=100, price="10.00")
        users = stack.customers(10)
        assert eventually(lambda: _caught_up(url, admin), 30)
        with psycopg.connect(libpq_url(stack.database_url)) as blocker:
            # A projection task in flight (unacknowledged) when Redis dies: the worker's
            # broker connection drops with a message to put back.
            blocker.execute("SELECT 1 FROM events WHERE id = %s FOR UPDATE", (event_id,))
            assert _book(url, users[0][1], event_id).status_code == 201
            time.sleep(1)
            stack.redis.stop()
            time.sleep(1)
            blocker.rollback()
        started = time.perf_counter()
        results = [_book(url, users[i % 10][1], event_id) for i in range(20)]
        elapsed = time.perf_counter() - started
        assert [r.status_code for r in results] == [201] * 20, [r.text for r in results]
        print(f"\n20 bookings with Redis down in {elapsed:.1f}s")
        health = httpx.get(f"{url}/api/health", timeout=30).json()
        assert health["broker"] == "down" and health["status"] == "degraded"
        assert httpx.get(f"{url}/api/events/{event_id}", timeout=30).status_code == 200
        with stack.ledger(monkeypatch) as ledger:
            assert sold_in_store(ledger, event_id)[0] == 21  # the store is the truth
        stack.redis.start()  # same port: workers and beat reconnect by themselves
        assert eventually(lambda: _caught_up(url, admin), 90), worker.tail()
        assert worker.proc.poll() is None, worker.tail()  # it survived the broker's loss
        head, _ = _head(url, admin)
        assert _available(url, event_id, head) == 79
        _verify_ok(url, admin)


async def _load(url: str, users: list[dict[str, str]], event_id: str, seconds: float,
                outcomes: list[tuple[str, int, str | None]],
                senders: dict[str, dict[str, str]]) -> None:
    """Bookings with keys from 8 clients for `seconds`: (key, status or -1, code), and who
    sent each key (a key is the client's own: the same key from another user is another
    booking)."""
    deadline = time.monotonic() + seconds

    async def client_loop(headers: dict[str, str]) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            while time.monotonic() < deadline:
                key = uuid.uuid4().hex
                senders[key] = headers
                try:
                    r = await client.post(f"/api/events/{event_id}/book", json={"quantity": 1},
                                          headers=headers | {"Idempotency-Key": key})
                    code = r.json().get("code") if r.status_code >= 400 else None
                    outcomes.append((key, r.status_code, code))
                except httpx.TransportError:
                    outcomes.append((key, -1, None))
                # A polite client backs off while the service says it is unavailable.
                await asyncio.sleep(0.05 if outcomes[-1][1] == 201 else 0.3)

    await asyncio.gather(*(client_loop(h) for h in users))


async def _retry_keys(url: str, event_id: str,
                      keys: list[tuple[str, dict[str, str]]]) -> list[httpx.Response]:
    """Book again with each key, as the client that sent it, 8 at a time; as a client does,
    a 503 (the service still recovering) is retried after a pause, a few times."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        async def until_answered(key: str, headers: dict[str, str]) -> httpx.Response:
            for _ in range(3):
                r = await client.post(f"/api/events/{event_id}/book", json={"quantity": 1},
                                      headers=headers | {"Idempotency-Key": key})
                if r.status_code != 503:
                    break
                await asyncio.sleep(1)
            return r

        return await gather_limited([until_answered(*sent) for sent in keys], 8)


def test_postgres_restart_under_load_answers_503_and_resumes(
    private_pg: PrivatePostgres, tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with system(private_pg, tmp) as stack:
        stack.worker()
        stack.beat()
        _, url = stack.api(processes=2)
        admin = stack.admin(url)
        event_id = create_event(url, admin, total_seats=5000, price="10.00")
        customers = stack.customers(8)
        users = dict(customers)
        outcomes: list[tuple[str, int, str | None]] = []
        senders: dict[str, dict[str, str]] = {}

        async def scenario() -> None:
            load = asyncio.create_task(
                _load(url, list(users.values()), event_id, 14, outcomes, senders))
            await asyncio.sleep(3)
            await asyncio.to_thread(private_pg.stop, "immediate")  # a crash, not a clean stop
            await asyncio.sleep(4)
            await asyncio.to_thread(private_pg.start)
            await load

        asyncio.run(scenario())
        statuses = Counter(s for _, s, _ in outcomes)
        codes = Counter(c for _, s, c in outcomes if s >= 400)
        print(f"\nPostgreSQL crashed and restarted under load: {dict(statuses)} {dict(codes)}")
        # Never 200 (a replay) nor 409: each key is sent once here. The store's client retries
        # an insert whose commit went through but whose answer the crash cut off; the retry
        # finds the booking's own rows and answers it as made (201), or gives up (503).
        assert set(statuses) <= {201, 503}, (statuses, codes)
        assert statuses[503] > 0 and set(codes) <= STORE_DOWN, codes
        # It came back by itself: bookings go through again (each probe keyed and counted).
        def books_again() -> bool:
            key = uuid.uuid4().hex
            senders[key] = next(iter(users.values()))
            r = _book(url, senders[key], event_id, key)
            outcomes.append((key, r.status_code, r.json().get("code") if r.is_error else None))
            return r.status_code == 201

        assert eventually(books_again, 30, every=0.5), outcomes[-8:]
        print(f"last 8 answers of the load: {[s for _, s, _ in outcomes[-9:-1]]}")
        assert httpx.get(f"{url}/api/health", timeout=30).status_code == 200
        # Whatever failed is retried with its key, by its client: booked at most once, whatever
        # happened (a 503 may answer a commit whose answer the crash cut off; its retry is a
        # replay). Another user's retry with the same key would be another booking.
        retried = asyncio.run(_retry_keys(url, event_id, [
            (key, senders[key]) for key, status, _ in outcomes if status != 201]))
        assert {r.status_code for r in retried} <= {200, 201}, [
            r.text for r in retried if r.status_code >= 300]
        booked_keys = {key for key, _, _ in outcomes}
        with stack.ledger(monkeypatch) as ledger:
            sold, per_user, _ = sold_in_store(ledger, event_id)
            booked, cancelled = stream_quantities(ledger, event_id)
            event = ledger.event(uuid.UUID(event_id))
            # Nothing half-written: every booking has its own stream, and nothing else exists.
            for booking_id in event.bookings:
                ref: object = ledger.store.repository.get(uuid.UUID(booking_id))
                assert isinstance(ref, Booking)
        with psycopg.connect(libpq_url(stack.database_url)) as conn:
            refs = conn.execute("SELECT count(*) FROM ledger_events "
                                "WHERE topic LIKE '%Booking%'").fetchone()
        assert refs == (len(event.bookings),)
        first_user = next(iter(users))
        own_keys = {k for k, s, _ in outcomes if s == 201}
        # Every key was answered 201 or retried to 200/201 by its client: each booked once.
        assert sold == booked - cancelled == len(booked_keys)
        assert sold >= len(own_keys)
        assert per_user[first_user] >= 1
        assert eventually(lambda: _caught_up(url, admin), 60)
        _verify_ok(url, admin)


def test_api_killed_mid_request_then_the_retry_books_once(
    private_pg: PrivatePostgres, tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with system(private_pg, tmp) as stack:
        stack.worker()
        victim, url_a = stack.api(processes=1, name="api-a")
        _, url_b = stack.api(processes=1, name="api-b")
        admin = stack.admin(url_b)
        event_id = create_event(url_b, admin, total_seats=1000, price="10.00")
        customers = stack.customers(40)
        n = 120
        keys = [uuid.uuid4().hex for _ in range(n)]

        burst, every = 8, 0.16  # bursts of 8 bookings, 0.16 s apart: 2.4 s in all

        async def storm() -> list[httpx.Response | BaseException]:
            limits = httpx.Limits(max_connections=n)
            async with httpx.AsyncClient(base_url=url_a, timeout=60, limits=limits) as client:
                loop = asyncio.get_running_loop()
                start = loop.time()

                async def one(i: int) -> httpx.Response:
                    await asyncio.sleep(start + i // burst * every - loop.time())
                    return await client.post(
                        f"/api/events/{event_id}/book", json={"quantity": 1},
                        headers=customers[i % 40][1] | {"Idempotency-Key": keys[i]})

                tasks = [asyncio.create_task(one(i)) for i in range(n)]
                while sum(t.done() for t in tasks) < 10:
                    await asyncio.sleep(0.005)
                # The event's lock, taken between two groups: the next burst's bookings reach
                # the API and wait for it (a booking takes milliseconds, so without it a kill
                # at any moment often found none in flight). Then kill -9, mid-request.
                with psycopg.connect(libpq_url(stack.database_url), autocommit=True) as holder:
                    await asyncio.to_thread(holder.execute, "SELECT pg_advisory_lock(%s)",
                                            (advisory_key(uuid.UUID(event_id)),))
                    next_burst = start + math.ceil((loop.time() - start) / every) * every
                    await asyncio.sleep(next_burst + 0.05 - loop.time())
                    os.killpg(victim.proc.pid, signal.SIGKILL)
                return list(await asyncio.gather(*tasks, return_exceptions=True))

        first = asyncio.run(storm())
        lost = [i for i, r in enumerate(first) if not isinstance(r, httpx.Response)]
        mid_request = [i for i in lost if not isinstance(first[i], httpx.ConnectError)]
        assert mid_request, "the kill came when no request was in flight"

        async def retry_lost() -> list[httpx.Response]:
            async with httpx.AsyncClient(base_url=url_b, timeout=60) as client:
                return await gather_limited([client.post(
                    f"/api/events/{event_id}/book", json={"quantity": 1},
                    headers=customers[i % 40][1] | {"Idempotency-Key": keys[i]})
                    for i in lost], 16)

        retried = asyncio.run(retry_lost())
        assert {r.status_code for r in retried} <= {200, 201}, [
            r.text for r in retried if r.status_code >= 300]
        replays = sum(r.status_code == 200 for r in retried)
        print(f"\nAPI killed: {len(mid_request)} requests cut mid-way, "
              f"{len(lost) - len(mid_request)} refused after; on retry {replays} were found "
              "booked already (replayed), the rest booked once")
        with stack.ledger(monkeypatch) as ledger:
            sold, _, _ = sold_in_store(ledger, event_id)
            event = ledger.event(uuid.UUID(event_id))
        assert sold == n  # every request booked, none twice
        expected_ids = {str(idempotent_booking_id(customers[i % 40][0], keys[i]))
                        for i in range(n)}
        assert set(event.bookings) == expected_ids
