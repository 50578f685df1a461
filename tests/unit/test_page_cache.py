"""The events' answer cache: a burst of requests after it goes stale makes one read."""

import asyncio

from query_api.etag import PageCache


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
