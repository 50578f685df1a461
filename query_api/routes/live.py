"""Live availability as server-sent events, for one event or for a page of the list."""

from collections.abc import AsyncIterator
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from commands.errors import event_not_found
from core.metrics import SSE_SUBSCRIBERS
from core.settings import get_settings
from projections import runner
from query_api import live
from query_api.consistency import MinPosition

router = APIRouter(prefix="/events", tags=["events"])
HEARTBEAT_SECONDS = 15.0
MAX_IDS = 100
STREAM: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "`event: availability` messages, each `data` a JSON object "
        "{event_id, status, total_seats, available_seats, categories: [{name, capacity, "
        "sold, available}], position}; first the current state, then every change; "
        "a comment line every 15 s keeps the connection alive",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    },
}
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def hub_of(app: FastAPI) -> live.Hub:
    """The app's hub, created on first use (one per API process)."""
    hub: live.Hub | None = getattr(app.state, "live_hub", None)
    if hub is None:
        hub = app.state.live_hub = live.Hub()
    return hub


async def stop_hub(app: FastAPI) -> None:
    """End every stream and the hub's listener (at shutdown)."""
    hub: live.Hub | None = getattr(app.state, "live_hub", None)
    if hub is not None:
        await hub.stop()


@router.get(
    "/{event_id}/availability/stream",
    response_class=StreamingResponse,
    responses={**STREAM, 404: {"description": "EVENT_NOT_FOUND"}},
)
async def stream_event_availability(
    event_id: UUID, request: Request, min_position: MinPosition = None
) -> StreamingResponse:
    """Seats left of one event, live: the current state, then each change."""
    await _wait(min_position)
    if event_id not in await run_in_threadpool(live.read_views, [event_id]):
        raise event_not_found(event_id)
    return _stream(request, {event_id})


@router.get("/availability/stream", response_class=StreamingResponse, responses=STREAM)
async def stream_events_availability(
    request: Request,
    ids: Annotated[list[UUID], Query(min_length=1, max_length=MAX_IDS,
                                     description="the events to follow (e.g. a page of the list)")],
    min_position: MinPosition = None,
) -> StreamingResponse:
    """Seats left of several events, live (unknown ids are ignored)."""
    await _wait(min_position)
    return _stream(request, set(ids))


async def _wait(min_position: int | None) -> None:
    if min_position is not None:  # read your own writes, as every read does
        timeout = get_settings().read_wait_max_seconds
        await run_in_threadpool(runner.wait_for, min_position, ["availability"], timeout)


def _stream(request: Request, ids: set[UUID]) -> StreamingResponse:
    return StreamingResponse(_events(hub_of(request.app), ids), media_type="text/event-stream",
                             headers=SSE_HEADERS)


async def _events(hub: live.Hub, ids: set[UUID]) -> AsyncIterator[str]:
    subscriber = hub.subscribe(ids)  # before reading: a change in between is not missed
    SSE_SUBSCRIBERS.inc()
    sent: dict[str, live.View] = {}
    try:
        yield "retry: 2000\n\n"
        current = await run_in_threadpool(live.read_views, ids)
        for view in current.values():
            sent[view["event_id"]] = _unpositioned(view)
            yield live.sse(view)
        while not subscriber.closed:
            views = await subscriber.next(HEARTBEAT_SECONDS)
            if subscriber.closed:
                break
            fresh = [v for v in views if sent.get(v["event_id"]) != _unpositioned(v)]
            if not views:
                yield ": heartbeat\n\n"
            for view in fresh:
                sent[view["event_id"]] = _unpositioned(view)
                yield live.sse(view)
    finally:  # a client that went away cancels us here: nothing of it stays behind
        hub.unsubscribe(subscriber)
        SSE_SUBSCRIBERS.dec()


def _unpositioned(view: live.View) -> live.View:
    return {k: v for k, v in view.items() if k != "position"}
