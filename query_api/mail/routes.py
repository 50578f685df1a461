"""Messages to buyers: a booking's confirmation sent again (its holder, its event's organizers,
admins), an event's messages with their status (its organizers, admins), and the bounces an
MTA posts (admins, MAIL_BOUNCE_TOKEN)."""

from uuid import UUID

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from commands.domain.errors import booking_not_found, event_not_found
from commands.domain.events import CANCELLED
from core import error_codes as codes
from query_api.auth.user_loader import Caller
from query_api.mail.bounce_access import BounceReporter
from query_api.mail.schemas import BounceOut, MessageOut, MessagePage
from query_api.reads import pagination
from query_api.reads.pagination import Cursor, Limit
from query_api.service.deps import BookerUser, LedgerDep, OrganizerUser, SessionDep, SettingsDep
from query_api.service.errors import ApiError
from query_api.service.openapi import described, named
from workers.mail import bounces, message_log, resends
from workers.mail.compose import domain
from workers.mail.dsn import NotABounce, ReportTooLarge
from workers.mail.tables import MailMessage

router = APIRouter(tags=["messages"])
ADMIN = "admin"


@router.post("/bookings/{booking_id}/resend-email", status_code=202, responses={
    400: {"description": described(codes.ALREADY_CANCELLED, "the booking is cancelled: it has "
                                                             "no tickets to send")},
    404: {"description": f"{named(codes.BOOKING_NOT_FOUND)}; "
                         f"{described(codes.USER_NOT_FOUND, 'its holder has no account now')}"},
    429: {"description": described(codes.TOO_MANY_RESENDS)}})
def resend_booking_email(booking_id: UUID, user: BookerUser, ledger: LedgerDep,
                         settings: SettingsDep) -> MessageOut:
    """Queue the booking's confirmation again, with its tickets as they stand, to its holder's
    address now; at most MAIL_RESENDS_PER_HOUR times an hour per booking. To anyone but its
    holder, its event's organizers and admins the booking is not found."""
    booking = ledger.booking(booking_id)
    if not _may_resend(user, booking, ledger):
        raise booking_not_found(booking_id)  # the same answer as for an unknown id
    if booking["status"] == CANCELLED:
        raise ApiError(codes.ALREADY_CANCELLED,
                       f"Booking {booking_id} is cancelled: it has no tickets to send")
    bound = settings.mail_resends_per_hour
    try:
        row = resends.queue_confirmation(booking, user.id, bound)
    except resends.TooManyResends as exc:
        raise ApiError(codes.TOO_MANY_RESENDS,
                       f"Booking {booking_id}'s confirmation was sent again {bound} times "
                       f"within the hour; try again in {exc.retry_after} s",
                       {"Retry-After": str(exc.retry_after)}) from None
    except resends.RecipientGone:
        raise ApiError(codes.USER_NOT_FOUND,
                       f"Booking {booking_id}'s holder has no account now") from None
    return MessageOut.model_validate(row | {"sent_at": None, "last_error": None})


def _may_resend(user: Caller, booking: dict[str, object], ledger: LedgerDep) -> bool:
    """Its holder, its event's organizers (as the write side knows them now), admins."""
    if user.role == ADMIN or booking["user_id"] == user.id:
        return True
    return user.role == "organizer" and ledger.runs(UUID(str(booking["event_id"])),
                                                     str(user.id))


@router.get("/events/{event_id}/messages",
            responses={404: {"description": named(codes.EVENT_NOT_FOUND)}})
def get_event_messages(  # noqa: PLR0913 - the page, and the write side that authorizes it
    event_id: UUID, user: OrganizerUser, ledger: LedgerDep, session: SessionDep,
    limit: Limit = 20, cursor: Cursor = None,
) -> MessagePage:
    """The event's messages to buyers, newest first: kind, recipient, status, attempts, the
    server's refusal, times. Another organizer gets the 404 of an unknown event."""
    runs = ledger.runs(event_id, str(user.id))  # EVENT_NOT_FOUND for no such event
    if not runs and user.role != ADMIN:
        raise event_not_found(event_id)
    rows, next_cursor = pagination.rows_by_time(
        session, message_log.of_event(event_id), MailMessage.created_at, MailMessage.id,
        limit=limit, cursor=cursor, newest_first=True)
    return MessagePage(items=[MessageOut.model_validate(message_log.shown(r)) for r in rows],
                       next_cursor=next_cursor)


REPORT_TYPE = "message/rfc822"


@router.post("/mail/bounces", status_code=202, openapi_extra={"requestBody": {
    "required": True, "content": {REPORT_TYPE: {"schema": {"type": "string",
                                                           "format": "binary"}}}}},
    responses={
        401: {"description": named(codes.NOT_AUTHENTICATED, codes.INVALID_TOKEN,
                                   codes.TOKEN_EXPIRED, codes.TOKEN_REVOKED)},
        403: {"description": described(codes.FORBIDDEN, "neither an admin nor "
                                                         "MAIL_BOUNCE_TOKEN")},
        413: {"description": f"{described(codes.REPORT_TOO_LARGE)}; "
                             f"{described(codes.PAYLOAD_TOO_LARGE)}"},
        415: {"description": described(codes.UNSUPPORTED_MEDIA_TYPE, "not message/rfc822")},
        422: {"description": f"{described(codes.NOT_A_BOUNCE)}; "
                             f"{described(codes.UNKNOWN_MESSAGE)}"}})
async def record_mail_bounce(request: Request, reporter: BounceReporter,
                             settings: SettingsDep) -> BounceOut:
    """Record a bounce that arrived after sending: the delivery status report (RFC 3464) whole,
    as `message/rfc822`, about a message of ours (its Message-ID of MAIL_FROM's domain) and its
    recipient. A failure makes its message `bounced`, the receiving server's words in
    `last_error`; a delay notes the words and leaves it `sent`; the same report again changes
    nothing. A report over 256 KiB, nested deeper or in more parts than a report is refused
    before it is read. For an operator's MTA (MAIL_BOUNCE_TOKEN) and admins."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != REPORT_TYPE:
        raise ApiError(codes.UNSUPPORTED_MEDIA_TYPE,
                       f"A bounce is posted whole, as {REPORT_TYPE}")
    raw = await request.body()
    try:
        found = await run_in_threadpool(bounces.record_report, raw, domain(settings.mail_from))
    except ReportTooLarge as exc:
        raise ApiError(codes.REPORT_TOO_LARGE, f"Nothing recorded: {exc}") from None
    except NotABounce as exc:
        raise ApiError(codes.NOT_A_BOUNCE, f"Nothing recorded: {exc}") from None
    except bounces.UnknownMessage as exc:
        raise ApiError(codes.UNKNOWN_MESSAGE, f"Nothing recorded: {exc}") from None
    return BounceOut.model_validate({
        "message_id": found.message_id, "status": found.status, "action": found.bounce.action,
        "status_code": found.bounce.status, "reason": found.bounce.words(),
        "changed": found.changed})
