"""The `reading` dependency and the page cache decorator, on a small app of their own."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from core.settings import Settings
from query_api.reads import responses, waits
from query_api.reads.consistency import READ_HEADER, BookingsRead, EventsRead, Read
from query_api.reads.responses import PageCache


class Answer(BaseModel):
    position: int
    caught_up: bool


class Log:
    def __init__(self) -> None:
        self.routes = 0
        self.waits: list[tuple[int | None, tuple[str, ...]]] = []
        self.reads: list[Read] = []


@pytest.fixture
def log() -> Log:
    return Log()


@pytest.fixture
def client(sqlite_settings: Settings, log: Log, monkeypatch: pytest.MonkeyPatch) -> Iterator[
        TestClient]:
    async def wait_for(position: int | None, names: tuple[str, ...]) -> bool:
        log.waits.append((position, tuple(names)))
        return position is None or position < 100  # "100" is never reached in time

    monkeypatch.setattr(waits, "wait_for", wait_for)
    app = FastAPI()

    @app.get("/cached", response_model=Answer)
    @responses.cached
    def cached(read: EventsRead) -> Answer:
        log.routes += 1
        return Answer(position=read.position, caught_up=read.caught_up)

    @app.get("/plain")
    def plain(read: BookingsRead) -> Answer:
        log.reads.append(read)
        return Answer(position=read.position, caught_up=read.caught_up)

    @app.get("/failing")
    def failing(read: BookingsRead) -> Answer:
        log.reads.append(read)
        _ = read.session
        raise LookupError("the route failed mid-read")

    with TestClient(app) as test_client:
        yield test_client


def test_a_read_waits_for_min_position_on_its_projections_and_says_if_it_was_reached(
    client: TestClient, log: Log
) -> None:
    reached = client.get("/plain", params={"min_position": 3})
    late = client.get("/plain", params={"min_position": 100})
    assert log.waits == [(3, ("bookings",)), (100, ("bookings",))]
    assert reached.json() == {"position": 0, "caught_up": True}
    assert late.json() == {"position": 0, "caught_up": False}
    assert reached.headers[READ_HEADER] == "0"


def test_a_read_left_open_by_its_route_is_closed_before_the_answer(
    client: TestClient, log: Log
) -> None:
    client.get("/plain")
    (read,) = log.reads
    assert not read.is_open and read.position == 0
    with pytest.raises(RuntimeError):
        _ = read.session


def test_a_read_is_closed_even_when_its_route_fails(client: TestClient, log: Log) -> None:
    with pytest.raises(LookupError):
        client.get("/failing")
    (read,) = log.reads
    assert not read.is_open


def test_a_cached_answer_carries_its_position_as_etag_and_if_none_match_gets_a_304(
    client: TestClient, log: Log
) -> None:
    client.app.state.event_pages = PageCache(fresh_for=0)  # type: ignore[attr-defined]  # FastAPI
    first = client.get("/cached")
    assert first.status_code == 200 and first.json() == {"position": 0, "caught_up": True}
    assert first.headers["etag"] == '"p0"' and first.headers[READ_HEADER] == "0"
    held = client.get("/cached", headers={"If-None-Match": '"p0"'})
    assert held.status_code == 304 and held.content == b"" and held.headers["etag"] == '"p0"'
    other = client.get("/cached", headers={"If-None-Match": '"p7"'})
    assert other.status_code == 200 and other.json() == first.json()
    assert log.routes == 1  # the same position: the answer came from the cache


def test_a_fresh_answer_is_given_without_the_route_and_min_position_always_reads(
    client: TestClient, log: Log
) -> None:
    client.app.state.event_pages = PageCache(fresh_for=60)  # type: ignore[attr-defined]  # FastAPI
    first = client.get("/cached")
    again = client.get("/cached")
    assert again.json() == first.json() and again.headers[READ_HEADER] == "0"
    assert log.routes == 1
    client.get("/cached", params={"min_position": 0})
    assert log.routes == 1  # read again (the position), and the page was the cached one
    assert log.waits[-1] == (0, ("availability",))


def test_only_a_route_taking_a_read_can_be_cached() -> None:
    def no_read(limit: int) -> Answer:
        return Answer(position=limit, caught_up=True)

    with pytest.raises(TypeError, match="no Read"):
        responses.cached(no_read)
