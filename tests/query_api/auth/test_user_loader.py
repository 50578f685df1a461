"""Signed-in users are read in batches per event loop, each by a query started after it asked."""

import asyncio
import threading
from typing import Any
from uuid import UUID, uuid4

import pytest

from query_api.auth import user_loader


class Reads:
    """A stand-in for the users table that records each query and can hold one open."""

    def __init__(self) -> None:
        self.queries: list[list[UUID]] = []
        self.roles: dict[UUID, str] = {}
        self.release = threading.Event()
        self.release.set()

    def __call__(self, ids: list[UUID]) -> dict[UUID, Any]:
        self.queries.append(sorted(ids))
        answer = {i: type("Row", (), {"role": self.roles[i]})() for i in ids if i in self.roles}
        self.release.wait(5)
        return answer


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    fake = Reads()
    monkeypatch.setattr(user_loader, "read_users", fake)
    return fake


def test_requests_waiting_together_share_one_query(reads: Reads) -> None:
    users = [uuid4() for _ in range(20)]
    reads.roles = dict.fromkeys(users, "customer")

    async def all_at_once() -> list[Any]:
        loader = user_loader.UserLoader.of_running_loop()
        return await asyncio.gather(*(loader.load(u) for u in users + users[:5]))

    rows = asyncio.run(all_at_once())
    assert all(r.role == "customer" for r in rows)
    assert reads.queries == [sorted(users)]  # one query, each id once


def test_a_request_arriving_during_a_query_waits_for_the_next_one(reads: Reads) -> None:
    """It must not take the answer of a query that started before it asked (a role changed
    in between would be missed)."""
    user = uuid4()
    reads.roles = {user: "admin"}

    async def scenario() -> tuple[Any, Any]:
        loader = user_loader.UserLoader.of_running_loop()
        reads.release.clear()
        first = asyncio.create_task(loader.load(user))
        while not reads.queries:  # the first query is running (held open)
            await asyncio.sleep(0.001)
        reads.roles[user] = "customer"  # demoted while it runs
        second = asyncio.create_task(loader.load(user))
        await asyncio.sleep(0.01)
        reads.release.set()
        return await first, await second

    before, after = asyncio.run(scenario())
    assert (before.role, after.role) == ("admin", "customer")
    assert len(reads.queries) == 2


def test_an_unknown_user_is_none_and_a_failed_query_fails_only_its_batch(
    reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> tuple[Any, BaseException | None, Any]:
        loader = user_loader.UserLoader.of_running_loop()
        missing = await loader.load(uuid4())
        monkeypatch.setattr(user_loader, "read_users", _failing)
        try:
            await loader.load(uuid4())
            failed = None
        except ConnectionError as exc:
            failed = exc
        monkeypatch.setattr(user_loader, "read_users", reads)
        user = uuid4()
        reads.roles[user] = "auditor"
        return missing, failed, await loader.load(user)

    missing, failed, later = asyncio.run(scenario())
    assert missing is None and isinstance(failed, ConnectionError) and later.role == "auditor"


def _failing(ids: list[UUID]) -> dict[UUID, Any]:
    raise ConnectionError("the database went away")
