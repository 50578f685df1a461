"""A read whose replica fails after the read began (its server stopped, restarted or cut the
connection) is read again on the primary: the client gets its answer, never a 503, and the
replica is out until a check reaches it again (found by the chaos soak: a list read in flight
as the replica stopped answered 503 STORE_UNAVAILABLE).

The replica here is the primary's own database under a second pool (a primary answers the
replicas' checks as a replica that trails by nothing); its connection is cut mid-read by the
server itself (`pg_terminate_backend`), as a replica's fast shutdown cuts its clients'.
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from query_api.reads import replicas
from query_api.reads.consistency import ReadRoute
from query_api.service.app import ROUTERS
from tests.distributed import DistributedStack
from tests.fixtures.api import Caller
from tests.support.waiting import eventually

pytestmark = pytest.mark.usefixtures("cheap_hashing")
CUT_OFF = "SELECT pg_terminate_backend(pg_backend_pid())"


@pytest.fixture
def read_replica(distributed_stack: DistributedStack, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked before the client: the app reads its replicas' setting when it starts."""
    monkeypatch.setenv("READ_DATABASE_URLS", json.dumps([distributed_stack.api_url]))
    monkeypatch.setenv("READ_REPLICA_CHECK_SECONDS", "0.2")


@pytest.fixture
def replica() -> Iterator[replicas.Replica]:
    found = replicas.read_replicas()
    assert found is not None
    yield found.replicas[0]


def cut_off_the_next_read(replica: replicas.Replica, instead: str = CUT_OFF) -> dict[str, int]:
    """The replica runs `instead` (by default: its server ends the connection) in place of the
    next read of the events' rows on it (a route's own read, past the projections' positions;
    not the monitor's checks): how many were replaced."""
    cut = {"count": 0}

    def cut_off(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                _many: bool) -> tuple[str, Any]:
        if cut["count"] == 0 and "FROM events" in statement:
            cut["count"] += 1
            return instead, {}
        return statement, parameters

    event.listen(replica.engine, "before_cursor_execute", cut_off, retval=True)
    return cut


@pytest.mark.parametrize("backend", ["distributed"], indirect=True)
@pytest.mark.usefixtures("read_replica")
def test_a_read_whose_replica_fails_midway_is_answered_from_the_primary(
    client: TestClient, alice: Caller, make_event: Callable[..., dict[str, Any]], book: Any,
    replica: replicas.Replica, caplog: pytest.LogCaptureFixture,
) -> None:
    made = make_event(name="Read again")
    assert eventually(lambda: replica.up, timeout=10)
    book(alice, made["id"], 2)  # a new position: the event's page is read, not served cached
    cut = cut_off_the_next_read(replica)
    read = client.get(f"/api/events/{made['id']}")
    assert cut["count"] == 1  # the replica's connection was cut during this read
    assert read.status_code == 200, read.text
    assert read.json()["name"] == "Read again" and read.json()["available_seats"] == 3
    # Read again with the replica taken out: on the primary, or on the replica once a check
    # reached it again (here at once, as it is the primary's own database).
    assert "read replica replica-1" in caplog.text and "is down" in caplog.text
    assert eventually(lambda: replica.up, timeout=10)
    assert client.get(f"/api/events/{made['id']}").status_code == 200


@pytest.mark.parametrize("backend", ["distributed"], indirect=True)
@pytest.mark.usefixtures("read_replica")
def test_a_read_that_fails_by_its_own_fault_on_a_replica_is_not_read_again(
    client: TestClient, alice: Caller, make_event: Callable[..., dict[str, Any]], book: Any,
    replica: replicas.Replica, caplog: pytest.LogCaptureFixture,
) -> None:
    """A statement the server refuses (here a division by zero) fails the same on any
    database: the replica stays in, and the read is not made twice."""
    made = make_event(name="Not again")
    assert eventually(lambda: replica.up, timeout=10)
    book(alice, made["id"], 1)
    wrong = cut_off_the_next_read(replica, instead="SELECT 1 / 0")
    read = client.get(f"/api/events/{made['id']}")
    assert wrong["count"] == 1
    assert read.status_code == 500, read.text
    assert read.json()["code"] == "INTERNAL_ERROR"
    assert replica.up and "is down" not in caplog.text


def test_read_routes_read_again_on_the_primary() -> None:
    """Every route that reads the projections (`reading`) is a `ReadRoute`: a route added
    without it would answer 503 when its replica fails mid-read."""
    reads = [route for router in ROUTERS for route in router.routes if _reads(route)]
    assert len(reads) >= 10, len(reads)
    assert all(isinstance(route, ReadRoute) for route in reads), [
        getattr(route, "path", route) for route in reads if not isinstance(route, ReadRoute)]


def _reads(route: Any) -> bool:
    dependant = getattr(route, "dependant", None)
    stack = list(dependant.dependencies) if dependant is not None else []
    while stack:
        dependency = stack.pop()
        if getattr(dependency.call, "__name__", "") == "wait_then_read":
            return True
        stack.extend(dependency.dependencies)
    return False
