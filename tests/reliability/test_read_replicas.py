"""Reads on a real PostgreSQL streaming replica (`query_api/reads/replicas.py`): a private
primary and a replica of it (`pg_basebackup -R`), a Celery worker projecting on the primary, an
API reading on the replica.

A client's own write is visible to its next read that names the write's position, with the
replica replaying two seconds behind; a stopped replica costs no read: its reads go to the
primary, and `/api/health` says it is down until it is back.
"""

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.chaos.services import PrivateReplica
from bench.measure import replica_reads
from tests.reliability.harness import System, create_event, system
from tests.reliability.services import PrivatePostgres, needed
from tests.stack import wait_ready
from tests.support.waiting import eventually

pytestmark = pytest.mark.scenario
REPLAY_DELAY_SECONDS = 2.0
CLIENTS = 8


class Replicated:
    """The system, its replica, and its API's base URL."""

    def __init__(self, stack: System, replica: PrivateReplica, url: str) -> None:
        self.stack, self.replica, self.url = stack, replica, url


@pytest.fixture(scope="module")
def replicated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicated]:
    primary = PrivatePostgres()
    primary.start()
    tmp = Path(tmp_path_factory.mktemp("replicas"))
    try:
        with system(primary, tmp) as stack:
            with needed():
                replica = PrivateReplica(primary)
            replica.start()
            try:
                # A read naming a position waits for the replica up to past its delay: those
                # reads are the replica's, and each must still see its client's write.
                stack.env |= {
                    "READ_DATABASE_URLS": json.dumps([replica.url(stack.env["API_DATABASE_URL"])]),
                    "READ_REPLICA_WAIT_SECONDS": str(REPLAY_DELAY_SECONDS + 3),
                    "READ_REPLICA_CHECK_SECONDS": "0.2",
                    "READ_REPLICA_MAX_LAG_SECONDS": "30",
                }
                wait_ready(stack.worker())
                _, url = stack.api(processes=1)  # one process: /metrics counts all its reads
                yield Replicated(stack, replica, url)
            finally:
                replica.destroy()
    finally:
        primary.destroy()


def health(url: str) -> dict[str, Any]:
    return dict(httpx.get(f"{url}/api/health", timeout=30).json())


async def book_then_read(client: httpx.AsyncClient, event_id: str,
                         customer: tuple[str, dict[str, str]], *, named: bool) -> bool:
    """Book a seat, then read one's bookings (at the booking's position when `named`): whether
    the read shows the booking."""
    user_id, headers = customer
    booked = await client.post(f"/api/events/{event_id}/book", json={"quantity": 1},
                               headers=headers)
    assert booked.status_code == 201, booked.text
    params = {"min_position": booked.headers["X-Position"]} if named else {}
    read = await client.get(f"/api/users/{user_id}/bookings", params=params, headers=headers)
    assert read.status_code == 200, read.text
    if named:
        assert int(read.headers["X-Projection-Position"]) >= int(booked.headers["X-Position"])
    return booked.json()["id"] in {b["id"] for b in read.json()["items"]}


async def each_books_then_reads(url: str, event_id: str,
                                customers: list[tuple[str, dict[str, str]]],
                                named: bool) -> list[bool]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        return list(await asyncio.gather(*(book_then_read(client, event_id, c, named=named)
                                           for c in customers)))


def an_event(replicated: Replicated) -> str:
    admin = replicated.stack.admin(replicated.url)
    starts = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    return create_event(replicated.url, admin, total_seats=1000, starts_at=starts,
                        max_tickets_per_user=10)


def test_a_clients_own_write_is_in_its_next_read_with_the_replica_two_seconds_behind(
    replicated: Replicated,
) -> None:
    event_id = an_event(replicated)
    assert eventually(lambda: health(replicated.url)["replicas"][0]["status"] == "ok",
                      timeout=30)
    replicated.replica.delay_replay(REPLAY_DELAY_SECONDS)
    try:
        before = replica_reads(replicated.url)
        customers = replicated.stack.customers(CLIENTS)
        for _ in range(2):
            seen = asyncio.run(each_books_then_reads(replicated.url, event_id, customers,
                                                     named=True))
            assert all(seen), f"a read at its write's position missed the write: {seen}"
        # Those reads were the replica's: it had replayed their positions when they began.
        assert replica_reads(replicated.url) - before >= 2 * CLIENTS
        lagging = health(replicated.url)["replicas"][0]
        assert lagging["status"] == "ok"
        assert lagging["lag_seconds"] is not None
    finally:
        replicated.replica.delay_replay(0)


def test_a_stopped_replica_costs_no_read_and_health_says_so(replicated: Replicated) -> None:
    event_id = an_event(replicated)
    customers = replicated.stack.customers(CLIENTS)
    replicated.replica.stop("fast")
    try:
        for named in (True, False, True):  # the first reads find it down; later ones know
            seen = asyncio.run(each_books_then_reads(replicated.url, event_id, customers,
                                                     named=named))
            if named:
                assert all(seen), f"a read at its write's position missed the write: {seen}"
        found = health(replicated.url)
        assert found["status"] == "ok", found  # a replica down costs capacity, not answers
        assert found["replicas"] == [{"name": "replica-1", "status": "down",
                                      "lag_seconds": None, "lag_events": None}]
        metrics = httpx.get(f"{replicated.url}/metrics", timeout=30).text
        assert 'ledger_read_replica_up{replica="replica-1"} 0.0' in metrics
    finally:
        replicated.replica.start()
    assert eventually(lambda: health(replicated.url)["replicas"][0]["status"] == "ok",
                      timeout=60)
    served = replica_reads(replicated.url)
    seen = asyncio.run(each_books_then_reads(replicated.url, event_id, customers, named=True))
    assert all(seen)
    assert replica_reads(replicated.url) > served  # back in service
