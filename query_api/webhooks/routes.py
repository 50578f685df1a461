"""Webhooks: organizers (for events they run) and admins (for any event, or all) register
endpoints, read their delivery logs and replay them; an owner who lost that role still sees and
deletes their own (suspended: nothing is sent to them). The sending is the workers'
(`workers/webhooks/`)."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from core import error_codes as codes
from query_api.auth.user_loader import Caller
from query_api.reads import pagination
from query_api.reads.pagination import Cursor, Limit
from query_api.service.deps import CurrentUser, LedgerDep, OrganizerUser, SettingsDep
from query_api.service.errors import ApiError
from query_api.service.openapi import described, named
from query_api.webhooks.schemas import (
    DeliveryOut,
    DeliveryPage,
    DeliveryStatus,
    EventTypes,
    ReplayIn,
    ReplayOut,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
    WebhookPage,
)
from workers.webhooks import address_guard, endpoints
from workers.webhooks.event_types import EVENT_TYPES

router = APIRouter(tags=["webhooks"])
ADMIN = "admin"
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": named(codes.WEBHOOK_NOT_FOUND)}}


@router.post(
    "/webhooks", status_code=201,
    responses={
        403: {"description": f"{described(codes.FORBIDDEN)}; "
                             f"{described(codes.NOT_EVENT_ORGANIZER)}"},
        404: {"description": named(codes.EVENT_NOT_FOUND)},
        409: {"description": described(codes.TOO_MANY_WEBHOOKS)},
        422: {"description": "; ".join(described(code) for code in (
            codes.WEBHOOK_EVENT_TYPE_UNKNOWN, codes.WEBHOOK_URL_INVALID,
            codes.WEBHOOK_ADDRESS_REFUSED, codes.WEBHOOK_EVENT_REQUIRED))},
    },
)
def create_webhook(body: WebhookIn, user: OrganizerUser, ledger: LedgerDep,
                   settings: SettingsDep) -> WebhookCreated:
    """Register an endpoint for `event_types` (of `event_id`, or of every event: admins only).

    The answer holds the endpoint's signing secret (Standard Webhooks, `whsec_…`), shown this
    once. The endpoint gets the events the log records from now on, each signed, in the log's
    order (docs/webhooks.md).
    """
    unknown = sorted(set(body.event_types) - set(EVENT_TYPES))
    if unknown:
        raise ApiError(codes.WEBHOOK_EVENT_TYPE_UNKNOWN,
                       f"Unknown event types {', '.join(unknown)}; known: "
                       f"{', '.join(EVENT_TYPES)}")
    if body.event_id is None and user.role != ADMIN:
        raise ApiError(codes.WEBHOOK_EVENT_REQUIRED,
                       "Name one of your events in event_id: only admins receive every event's")
    if body.event_id is not None:
        runs = ledger.runs(body.event_id, str(user.id))  # EVENT_NOT_FOUND for no such event
        if not runs and user.role != ADMIN:
            raise ApiError(codes.NOT_EVENT_ORGANIZER,
                           "Only the event's organizers or an admin may register its webhooks")
    try:
        target = address_guard.check(body.url, settings)
    except address_guard.AddressRefused as exc:
        raise ApiError(codes.WEBHOOK_ADDRESS_REFUSED, str(exc)) from None
    except address_guard.UrlInvalid as exc:
        raise ApiError(codes.WEBHOOK_URL_INVALID, str(exc)) from None
    asked = endpoints.Registration(
        owner_id=user.id, owner_role=user.role, url=target.url.geturl(),
        event_types=[t for t in EVENT_TYPES if t in body.event_types],
        event_id=body.event_id, description=body.description)
    bound = settings.webhook_max_endpoints_per_owner
    try:
        made = endpoints.register(asked, ledger.eventlog.head(), bound)
    except endpoints.TooManyEndpoints:
        raise ApiError(codes.TOO_MANY_WEBHOOKS,
                       f"You have {bound} active webhooks, the most allowed: delete one "
                       "first") from None
    return WebhookCreated.model_validate(made)


@router.get("/webhooks")
def get_webhooks(user: CurrentUser, limit: Limit = 20, cursor: Cursor = None) -> WebhookPage:
    """Your endpoints, oldest first (an admin's: everyone's), without their secrets; each says
    whether it is suspended (its owner no longer has the rights it needs), and why."""
    after = pagination.decode_time_id(cursor) if cursor is not None else None
    rows = endpoints.listed(None if user.role == ADMIN else user.id, limit + 1, after)
    page, next_cursor = pagination.split_page(rows, limit, lambda r: (r["created_at"], r["id"]))
    return WebhookPage(items=[WebhookOut.model_validate(r) for r in page],
                       next_cursor=next_cursor)


# Declared before "/webhooks/{webhook_id}", which would otherwise take "event-types" for an id.
@router.get("/webhooks/event-types")
def get_webhook_event_types(_: CurrentUser) -> EventTypes:
    """The event types an endpoint may subscribe to (docs/webhooks.md names each one's domain
    events)."""
    return EventTypes(items=list(EVENT_TYPES))


@router.get("/webhooks/{webhook_id}", responses=NOT_FOUND)
def get_webhook(webhook_id: UUID, user: CurrentUser) -> WebhookOut:
    """One of your endpoints, without its secret."""
    return WebhookOut.model_validate(_visible(webhook_id, user))


@router.delete("/webhooks/{webhook_id}", responses=NOT_FOUND)
def delete_webhook(webhook_id: UUID, user: CurrentUser) -> WebhookOut:
    """Deactivate an endpoint: nothing more is sent to it; its delivery log stays readable."""
    _visible(webhook_id, user)
    endpoints.deactivate(webhook_id)
    return WebhookOut.model_validate(_visible(webhook_id, user))


@router.get("/webhooks/{webhook_id}/deliveries", responses=NOT_FOUND)
def get_webhook_deliveries(
    webhook_id: UUID, user: CurrentUser, limit: Limit = 20, cursor: Cursor = None,
    status: Annotated[DeliveryStatus | None, Query(description="only these")] = None,
) -> DeliveryPage:
    """The endpoint's deliveries, latest log position first: status, attempts, the last
    answer or error, when the next attempt is due."""
    _visible(webhook_id, user)
    before = _position_cursor(cursor) if cursor is not None else None
    rows = endpoints.delivery_log(webhook_id, limit + 1, before, status)
    page, next_cursor = pagination.split_page(rows, limit, lambda r: (str(r["position"]),))
    return DeliveryPage(items=[DeliveryOut.model_validate(r) for r in page],
                        next_cursor=next_cursor)


@router.post("/webhooks/{webhook_id}/replay", responses={
    403: {"description": described(codes.WEBHOOK_SUSPENDED)},
    404: {"description": described(codes.WEBHOOK_NOT_FOUND, "no such endpoint, or deactivated")},
    429: {"description": described(codes.TOO_MANY_REPLAYS)}})
def replay_webhook(webhook_id: UUID, body: ReplayIn, user: CurrentUser,
                   settings: SettingsDep) -> ReplayOut:
    """Send the endpoint's deliveries at `from_position` and after again, in the log's order,
    under their own `webhook-id`s (a receiver that kept them can tell); at most
    WEBHOOK_MAX_REPLAYS_PER_HOUR times an hour per endpoint."""
    endpoint = _visible(webhook_id, user)
    if not endpoint["active"]:
        raise ApiError(codes.WEBHOOK_NOT_FOUND, f"Webhook {webhook_id} was deactivated")
    if endpoint["suspended"]:
        raise ApiError(codes.WEBHOOK_SUSPENDED,
                       f"Webhook {webhook_id} is suspended: {endpoint['suspended_reason']}")
    bound = settings.webhook_max_replays_per_hour
    try:
        endpoints.count_replay(webhook_id, body.from_position, user.id, bound)
    except endpoints.TooManyReplays as exc:
        raise ApiError(codes.TOO_MANY_REPLAYS,
                       f"Webhook {webhook_id} was replayed {bound} times within the hour; "
                       f"try again in {exc.retry_after} s",
                       {"Retry-After": str(exc.retry_after)}) from None
    return ReplayOut(replayed=endpoints.replay(webhook_id, body.from_position))


def _visible(webhook_id: UUID, user: Caller) -> dict[str, object]:
    """The endpoint, if the caller registered it or is an admin (else 404, as for none)."""
    found = endpoints.found(webhook_id)
    if found is None or (user.role != ADMIN and found["owner_id"] != user.id):
        raise ApiError(codes.WEBHOOK_NOT_FOUND, f"Webhook {webhook_id} not found")
    return found


def _position_cursor(cursor: str) -> int:
    text = pagination.decode_text(cursor)
    if not text.isdigit():
        raise pagination.bad_cursor()
    return int(text)
