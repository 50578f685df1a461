"""The events' answer cache: a burst of requests after it goes stale makes one read."""

import asyncio

from starlette.requests import Request

from query_api.reads.responses import STALE_SECONDS, Answer, PageCache


def test_requests_wait_for_the_read_in_flight_instead_of_reading_each() -> None:
    pages = PageCache()
    reads: list[str] = []

    async def request(name: str) -> str:
        if await pages.after_reading():
            return f"{name}: joined"
        with pages.reading():
            reads.append(name)
            await asyncio.sleep(0.01)  # the read's thread hop
            return f"{name}: read"

    async def burst() -> list[str]:
        return await asyncio.gather(*(request(f"r{i}") for i in range(10)))

    answers = asyncio.run(burst())
    assert reads == ["r0"]
    assert answers == ["r0: read"] + [f"r{i}: joined" for i in range(1, 10)]


def test_nothing_in_flight_means_nothing_to_wait_for_even_after_a_failed_read() -> None:
    pages = PageCache()

    async def scenario() -> tuple[bool, bool]:
        before = await pages.after_reading()
        try:
            with pages.reading():
                raise ConnectionError("the database went away")
        except ConnectionError:
            pass
        return before, await pages.after_reading()

    assert asyncio.run(scenario()) == (False, False)


def request(path: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": path, "query_string": b"",
                    "headers": [], "server": ("testserver", 80), "scheme": "http"})


def test_while_a_read_is_in_flight_the_last_answer_is_given_at_once_for_a_second() -> None:
    pages = PageCache(fresh_for=0)  # every answer goes stale at once
    events, other = request("/api/events"), request("/api/events/x")
    pages.put(pages.key(events, 7), Answer(b"[7]"))

    async def scenario() -> list[object]:
        seen: list[object] = [pages.fresh(events), pages.refreshing()]
        with pages.reading():
            seen += [pages.refreshing(), pages.fresh(events, stale=True),
                     pages.fresh(other, stale=True)]  # never read: it waits for the read
            when, position = pages._latest
            pages._latest = (when - STALE_SECONDS - 0.1, position)
            seen.append(pages.fresh(events, stale=True))  # too old to give even meanwhile
        return [*seen, pages.refreshing()]

    assert asyncio.run(scenario()) == [None, False, True, (7, b"[7]", None), None, None,
                                    False]
