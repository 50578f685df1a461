"""A check-in of a code not projected yet waits for it on the event loop, holding no thread:
a burst of such check-ins at the door cannot take the thread pool from other requests."""

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from core.settings import get_settings
from projections import catch_up
from query_api.reads import waits
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller

MakeEvent = Callable[..., dict[str, Any]]
AT_THE_DOOR = 12


@pytest.fixture
def unprojected_codes(
    client: TestClient, alice: Caller, make_event: MakeEvent, book: Any
) -> Iterator[list[str]]:
    """Ticket codes of a booking that no projection reached (yet), as with a slow worker."""
    event = make_event(total_seats=AT_THE_DOOR)
    ledger = get_ledger()
    wake, ledger.on_commit = ledger.on_commit, None
    booking = book(alice, event["id"], AT_THE_DOOR).json()
    yield [ticket["code"] for ticket in booking["tickets"]]
    ledger.on_commit = wake


@pytest.mark.serial  # counts the threads in use
def test_check_ins_waiting_for_their_codes_hold_no_thread(
    client: TestClient, admin: Caller, unprojected_codes: list[str]
) -> None:
    get_settings().read_wait_max_seconds = 4.0
    portal = client.portal
    assert portal is not None
    threads: list[int] = []
    with ThreadPoolExecutor(AT_THE_DOOR) as door:
        answers = [door.submit(client.post, f"/api/tickets/{code}/check-in",
                               headers=admin.headers) for code in unprojected_codes]
        time.sleep(0.5)  # every check-in is waiting for its code now
        for _ in range(20):
            threads.append(portal.call(
                lambda: anyio.to_thread.current_default_thread_limiter().borrowed_tokens))
            time.sleep(0.02)
        assert not any(answer.done() for answer in answers)  # still waiting
        catch_up.advance_all(get_ledger().eventlog)  # the worker catches up: the codes appear
        statuses = [answer.result().status_code for answer in answers]
    assert max(threads) <= 1, threads  # the poller's hop, never one per check-in
    assert statuses == [200] * AT_THE_DOOR
    assert waits.places.taken == 0  # every waiting place given back


def test_an_unknown_code_still_answers_not_found_at_once(client: TestClient, admin: Caller) -> None:
    started = time.monotonic()
    response = client.post("/api/tickets/no-such-code/check-in", headers=admin.headers)
    assert response.status_code == 404 and response.json()["code"] == "TICKET_NOT_FOUND"
    assert time.monotonic() - started < 1.0  # every projection already at the store's head
