"""Live availability as server-sent events, for one event or for a page of the list.

Streams need no login, so they are capped: SSE_MAX_PER_CLIENT per client address (an IPv6
/64 counts as one, as for sign-in) and SSE_MAX_TOTAL per API process, 429 TOO_MANY_STREAMS
over either; and a stream follows only the ids that were events when it opened.
"""

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from commands.domain.errors import event_not_found
from core import error_codes as codes
from core.metrics import SSE_SUBSCRIBERS
from core.settings import get_settings
from query_api.auth.rate_limits import client_key
from query_api.live import sse_hub
from query_api.reads import waits
from query_api.reads.consistency import MinPosition, of_event
from query_api.service.errors import ApiError
from query_api.service.openapi import described, named

router = APIRouter(prefix="/events", tags=["events"])
HEARTBEAT_SECONDS = 15.0
RETRY_AFTER_SECONDS = 5
MAX_IDS = 100
STREAM: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "`event: availability` messages, each `data` a JSON object "
        "{event_id, status, total_seats, available_seats, categories: [{name, capacity, "
        "sold, held, waitlisted, available}], position} (`waiting`, deprecated: use "
        "waitlisted); first the current state, then every change; "
        "a comment line every 15 s keeps the connection alive",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    },
}
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def hub_of(app: FastAPI) -> sse_hub.Hub:
    """The app's hub, created on first use (one per API process)."""
    hub: sse_hub.Hub | None = getattr(app.state, "live_hub", None)
    if hub is None:
        hub = app.state.live_hub = sse_hub.Hub()
    return hub


async def stop_hub(app: FastAPI) -> None:
    """End every stream and the hub's listener (at shutdown)."""
    hub: sse_hub.Hub | None = getattr(app.state, "live_hub", None)
    if hub is not None:
        await hub.stop()


TOO_MANY: dict[int | str, dict[str, Any]] = {
    429: {"description": described(codes.TOO_MANY_STREAMS, note="Retry-After")},
}


@router.get(
    "/{event_id}/availability/stream",
    response_class=StreamingResponse,
    responses={**STREAM, 404: {"description": named(codes.EVENT_NOT_FOUND)}, **TOO_MANY},
)
async def stream_event_availability(
    event_id: UUID, request: Request, min_position: MinPosition = None
) -> StreamingResponse:
    """Seats left of one event, live: the current state, then each change."""
    # Read your own writes: of this event's partition only.
    await waits.wait_for(min_position, of_event(("availability",), event_id))
    return await _open(request, {event_id}, event_not_found(event_id))


@router.get(
    "/availability/stream",
    response_class=StreamingResponse,
    responses={**STREAM, 404: {"description": described(codes.EVENT_NOT_FOUND,
                                                         "none of the ids is an event")},
               **TOO_MANY},
)
async def stream_events_availability(
    request: Request,
    ids: Annotated[list[UUID], Query(min_length=1, max_length=MAX_IDS,
                                     description="the events to follow (e.g. a page of the list)")],
    min_position: MinPosition = None,
) -> StreamingResponse:
    """Seats left of several events, live. Ids that are no event when the stream opens are
    dropped (ask with `min_position` to include events just created); none: 404."""
    await waits.wait_for(min_position, ["availability"])
    none = event_not_found(message="None of these ids is an event")
    return await _open(request, set(ids), none)


async def _open(request: Request, ids: set[UUID], none_found: Exception) -> StreamingResponse:
    """Subscribe (under the caps), read the current views, follow only the events found."""
    hub = hub_of(request.app)
    settings = get_settings()
    # One subscriber holds a whole IPv6 /64: counted per address, it could open millions.
    client = client_key(request.client.host) if request.client else ""
    try:  # before reading: a change in between is not missed
        subscriber = hub.subscribe(ids, client, settings.sse_max_per_client,
                                   settings.sse_max_total)
    except sse_hub.StreamsFull as exc:
        raise ApiError(codes.TOO_MANY_STREAMS, str(exc),
                       {"Retry-After": str(RETRY_AFTER_SECONDS)}) from None
    SSE_SUBSCRIBERS.inc()
    try:
        current = await run_in_threadpool(sse_hub.read_views, ids)
        subscriber.follow_only(current)
        if not current:
            raise none_found
    except BaseException:
        _release(hub, subscriber)
        raise
    return LiveResponse(_events(subscriber, current), lambda: _release(hub, subscriber))


class LiveResponse(StreamingResponse):
    """A stream that gives its subscription back however it ends (even never started)."""

    def __init__(self, content: AsyncIterator[str], release: Callable[[], None]) -> None:
        super().__init__(content, media_type="text/event-stream", headers=SSE_HEADERS)
        self._release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()


def _release(hub: sse_hub.Hub, subscriber: sse_hub.Subscriber) -> None:
    if hub.unsubscribe(subscriber):
        SSE_SUBSCRIBERS.dec()


async def _events(
    subscriber: sse_hub.Subscriber, current: dict[UUID, sse_hub.View]
) -> AsyncIterator[str]:
    sent: dict[str, sse_hub.View] = {}
    yield "retry: 2000\n\n"
    for view in current.values():
        sent[view["event_id"]] = _unpositioned(view)
        yield sse_hub.sse(view)
    while not subscriber.closed:
        views = await subscriber.next(HEARTBEAT_SECONDS)
        if subscriber.closed:
            break
        fresh = [v for v in views if sent.get(v["event_id"]) != _unpositioned(v)]
        if not views:
            yield ": heartbeat\n\n"
        for view in fresh:
            sent[view["event_id"]] = _unpositioned(view)
            yield sse_hub.sse(view)


def _unpositioned(view: sse_hub.View) -> sse_hub.View:
    return {k: v for k, v in view.items() if k != "position"}
