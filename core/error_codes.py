"""Every error code the ledger answers with, once: its HTTP status and, where the API's
OpenAPI document explains it in a few words, that meaning.

The write side refuses commands with these codes (`commands.domain.errors`), the API answers
them (`query_api.service.errors`) and documents them (`query_api.service.openapi` and the
routes' `responses=`). Pure data, standard library only: the domain imports it.
"""

from typing import Self


class ErrorCode(str):
    """A stable machine-readable code with its HTTP status.

    A `str`, equal to the code itself: error bodies, metrics labels and callers comparing
    `exc.code == "SOLD_OUT"` see the plain code, while the status travels with it.
    """

    status: int
    meaning: str

    def __new__(cls, code: str, status: int, meaning: str = "") -> Self:
        made = super().__new__(cls, code)
        made.status = status
        made.meaning = meaning
        return made

    def __getnewargs__(self) -> tuple[str, int, str]:  # type: ignore[override]  # str's has one
        # An exception carrying a code may be pickled (a worker's answer): rebuilt whole.
        return str(self), self.status, self.meaning


# ----- refusals of the domain, and their kinds (`commands.domain.errors`) -------------------

DOMAIN_ERROR = ErrorCode("DOMAIN_ERROR", 400)
RULE_BROKEN = ErrorCode("RULE_BROKEN", 400)
NOT_FOUND = ErrorCode("NOT_FOUND", 404)
FORBIDDEN = ErrorCode("FORBIDDEN", 403, "the caller's role may not do this")
CONFLICT = ErrorCode("CONFLICT", 409)
BUSY = ErrorCode("BUSY", 503)

EVENT_NOT_FOUND = ErrorCode("EVENT_NOT_FOUND", 404)
EVENT_NOT_YET_CREATED = ErrorCode("EVENT_NOT_YET_CREATED", 404)
BOOKING_NOT_FOUND = ErrorCode("BOOKING_NOT_FOUND", 404)
TICKET_NOT_FOUND = ErrorCode("TICKET_NOT_FOUND", 404)
CO_ORGANIZER_NOT_FOUND = ErrorCode("CO_ORGANIZER_NOT_FOUND", 404)
INVITATION_NOT_FOUND = ErrorCode("INVITATION_NOT_FOUND", 404)
HOLD_NOT_FOUND = ErrorCode("HOLD_NOT_FOUND", 404)
PLACE_NOT_FOUND = ErrorCode("PLACE_NOT_FOUND", 404)
PERSON_NOT_FOUND = ErrorCode("PERSON_NOT_FOUND", 404, "no such person (a user account's id)")

NOT_EVENT_ORGANIZER = ErrorCode("NOT_EVENT_ORGANIZER", 403, "another organizer's event")
NOT_EVENT_OWNER = ErrorCode("NOT_EVENT_OWNER", 403,
                            "a co-organizer's, where only its organizer or an admin may")

INVALID_EVENT = ErrorCode("INVALID_EVENT", 400)
STARTS_IN_PAST = ErrorCode("STARTS_IN_PAST", 400)
INVALID_CATEGORY = ErrorCode("INVALID_CATEGORY", 400)
INVALID_PRICE = ErrorCode("INVALID_PRICE", 400)
INVALID_CAPACITY = ErrorCode("INVALID_CAPACITY", 400)
LIMIT_BELOW_HELD = ErrorCode("LIMIT_BELOW_HELD", 400)
CAPACITY_BELOW_SOLD = ErrorCode("CAPACITY_BELOW_SOLD", 400)
CATEGORY_REQUIRED = ErrorCode("CATEGORY_REQUIRED", 400)
UNKNOWN_CATEGORY = ErrorCode("UNKNOWN_CATEGORY", 400)
EVENT_IN_PAST = ErrorCode("EVENT_IN_PAST", 400)
EVENT_NOT_STARTED = ErrorCode("EVENT_NOT_STARTED", 400)
EVENT_CANCELLED = ErrorCode("EVENT_CANCELLED", 400)
EVENT_COMPLETED = ErrorCode("EVENT_COMPLETED", 400)
INVALID_QUANTITY = ErrorCode("INVALID_QUANTITY", 400)
SOLD_OUT = ErrorCode("SOLD_OUT", 400)
NOT_ENOUGH_SEATS = ErrorCode("NOT_ENOUGH_SEATS", 400)
USER_LIMIT_EXCEEDED = ErrorCode("USER_LIMIT_EXCEEDED", 400)
ALREADY_CANCELLED = ErrorCode("ALREADY_CANCELLED", 400)
TICKET_ALREADY_USED = ErrorCode("TICKET_ALREADY_USED", 400)
TICKET_CANCELLED = ErrorCode("TICKET_CANCELLED", 400)
TICKET_NOT_CHECKED_IN = ErrorCode("TICKET_NOT_CHECKED_IN", 400)
TICKET_OF_ANOTHER_EVENT = ErrorCode("TICKET_OF_ANOTHER_EVENT", 400)
ALREADY_ORGANIZER = ErrorCode("ALREADY_ORGANIZER", 400)
ALREADY_CO_ORGANIZER = ErrorCode("ALREADY_CO_ORGANIZER", 400)
ALREADY_INVITED = ErrorCode("ALREADY_INVITED", 400)
NOT_A_CO_ORGANIZER = ErrorCode("NOT_A_CO_ORGANIZER", 400)
TOO_MANY_CO_ORGANIZERS = ErrorCode("TOO_MANY_CO_ORGANIZERS", 400)
IS_ORGANIZER = ErrorCode("IS_ORGANIZER", 400)

DUPLICATE_BOOKING = ErrorCode("DUPLICATE_BOOKING", 409)
EVENT_NOT_PUBLISHED = ErrorCode("EVENT_NOT_PUBLISHED", 409,
                                "the event is a draft: nothing is on sale until it is published")
INVALID_TIMEZONE = ErrorCode("INVALID_TIMEZONE", 422, "not an IANA time zone name")
EVENT_TIME_OUT_OF_RANGE = ErrorCode(
    "EVENT_TIME_OUT_OF_RANGE", 422,
    "an event's start or end before 2000-01-01 or after 2100-12-31 (UTC)")
ALREADY_PUBLISHED = ErrorCode("ALREADY_PUBLISHED", 409,
                              "on sale already: a publication can no longer be scheduled")
PUBLISH_AT_INVALID = ErrorCode("PUBLISH_AT_INVALID", 400,
                               "a publication scheduled in the past or after the event starts")
EVENT_STARTED = ErrorCode("EVENT_STARTED", 409,
                          "the event has started: only an admin may cancel it, with a reason")
REASON_REQUIRED = ErrorCode("REASON_REQUIRED", 422,
                            "an admin's or organizer's cancellation needs a reason")
IDEMPOTENCY_KEY_REUSED = ErrorCode("IDEMPOTENCY_KEY_REUSED", 409)
HOLD_EXPIRED = ErrorCode("HOLD_EXPIRED", 410, "the hold expired: its seats went back on sale")
HOLD_ENDED = ErrorCode("HOLD_ENDED", 409, "the hold was confirmed or released already")
TOO_MANY_HOLDS = ErrorCode("TOO_MANY_HOLDS", 409,
                           "a buyer's active holds, or seats held and waited for, on one event")
HOLD_TOO_SOON = ErrorCode("HOLD_TOO_SOON", 409,
                          "the buyer's last hold on the event lapsed a moment ago")
NOT_SOLD_OUT = ErrorCode("NOT_SOLD_OUT", 409, "the seats are on sale: book or hold them")
ALREADY_IN_LINE = ErrorCode("ALREADY_IN_LINE", 409)
PERSON_ALREADY_ERASED = ErrorCode("PERSON_ALREADY_ERASED", 409,
                                  "the person is erased already: nothing of theirs is kept")
PERSON_HAS_UNPAID_ORDERS = ErrorCode("PERSON_HAS_UNPAID_ORDERS", 409,
                                     "orders of the person are still owed: paid or cancelled "
                                     "first (`bookings` names them)")
PERSON_NOT_ERASED = ErrorCode("PERSON_NOT_ERASED", 409,
                              "the person is not erased: their invoices keep their details")
INVOICE_DETAILS_ALREADY_FORGOTTEN = ErrorCode("INVOICE_DETAILS_ALREADY_FORGOTTEN", 409,
                                              "the person's invoice details are forgotten "
                                              "already")
PERSON_BUYS_FROM_OTHERS = ErrorCode("PERSON_BUYS_FROM_OTHERS", 409,
                                    "the person also bought for events other organizers run: "
                                    "an admin erases them")
PERSON_IS_STAFF = ErrorCode("PERSON_IS_STAFF", 409,
                            "the account is an organizer's, admin's or auditor's, not only a "
                            "buyer's: an admin erases it")
PLACE_ENDED = ErrorCode("PLACE_ENDED", 409, "no longer waiting: offered seats, or left")
PAYMENT_REQUIRED = ErrorCode("PAYMENT_REQUIRED", 409,
                             "seats of a paid category are booked by paying for a hold")
NOTHING_TO_PAY = ErrorCode("NOTHING_TO_PAY", 409, "the hold is free: confirm it")
PAYMENT_DECLINED = ErrorCode("PAYMENT_DECLINED", 402,
                             "the payment provider declined the payment method")
PAYMENT_IN_PROGRESS = ErrorCode("PAYMENT_IN_PROGRESS", 409,
                                "the hold's payment is being made or has succeeded")
PAYMENTS_OFF = ErrorCode("PAYMENTS_OFF", 409, "no payment provider is set up")
PAYMENT_NOT_FOUND = ErrorCode("PAYMENT_NOT_FOUND", 404)
PROVIDER_NOT_FOUND = ErrorCode("PROVIDER_NOT_FOUND", 404,
                               "no payment provider of that name is set up")
PROVIDER_UNAVAILABLE = ErrorCode("PROVIDER_UNAVAILABLE", 503,
                                 "the payment provider did not answer: try again")
INVALID_SIGNATURE = ErrorCode("INVALID_SIGNATURE", 400,
                              "the provider's webhook signature does not verify")
TICKET_NAMED_TWICE = ErrorCode("TICKET_NAMED_TWICE", 422,
                               "a refund names the same ticket more than once")
CATEGORY_NAMED_TWICE = ErrorCode("CATEGORY_NAMED_TWICE", 422,
                                 "an order names the same category on two lines")
TOO_MANY_LINES = ErrorCode("TOO_MANY_LINES", 422, "an order has 1 to 20 lines")
TICKET_ALREADY_REFUNDED = ErrorCode("TICKET_ALREADY_REFUNDED", 409,
                                    "the ticket was refunded (cancelled) already")
REFUND_EXCEEDS_PAYMENT = ErrorCode("REFUND_EXCEEDS_PAYMENT", 409,
                                   "more than what the payment took and has not given back")
AMOUNT_TOO_SMALL = ErrorCode("AMOUNT_TOO_SMALL", 409,
                             "below the smallest payment the provider takes")
ALREADY_PAID = ErrorCode("ALREADY_PAID", 409, "the booking's payment is recorded already")
VOUCHER_NOT_FOUND = ErrorCode("VOUCHER_NOT_FOUND", 422, "no voucher of that code on this event")
VOUCHER_NOT_YET_VALID = ErrorCode("VOUCHER_NOT_YET_VALID", 409,
                                  "the voucher's validity begins later")
VOUCHER_EXPIRED = ErrorCode("VOUCHER_EXPIRED", 409, "the voucher's validity has ended")
VOUCHER_DISABLED = ErrorCode("VOUCHER_DISABLED", 409,
                             "the event's organizers disabled the voucher")
VOUCHER_EXHAUSTED = ErrorCode("VOUCHER_EXHAUSTED", 409,
                              "the voucher has fewer uses left than the seats asked")
VOUCHER_WRONG_CATEGORY = ErrorCode("VOUCHER_WRONG_CATEGORY", 422,
                                   "the voucher applies to none of the order's categories")
VOUCHER_CODE_TAKEN = ErrorCode("VOUCHER_CODE_TAKEN", 409,
                               "a voucher of that code exists on the event")
INVALID_VOUCHER = ErrorCode("INVALID_VOUCHER", 422, "a voucher's terms are not valid")
INVALID_SELLER = ErrorCode("INVALID_SELLER", 422,
                           "a seller's details are not valid (a VAT ID failing its check)")
INVALID_BUYER = ErrorCode("INVALID_BUYER", 422,
                          "an invoice's buyer details are not valid (a VAT ID failing its check)")
INVOICES_NOT_OFFERED = ErrorCode("INVOICES_NOT_OFFERED", 409,
                                 "the event's organizer has set no seller's details")
INVOICE_NOT_FOUND = ErrorCode("INVOICE_NOT_FOUND", 404)
SELLER_NOT_FOUND = ErrorCode("SELLER_NOT_FOUND", 404, "no seller's details are set")
INVALID_TAX = ErrorCode("INVALID_TAX", 422, "an event's tax rules are not valid")
PAYMENT_METHOD_NOT_ACCEPTED = ErrorCode(
    "PAYMENT_METHOD_NOT_ACCEPTED", 409,
    "the event does not accept this payment method: pay with one it lists")
UNKNOWN_PAYMENT_METHOD = ErrorCode(
    "UNKNOWN_PAYMENT_METHOD", 422,
    "no payment method of that name is set up on this server (GET /api/payments/methods)")
NO_PAYMENT_METHOD = ErrorCode("NO_PAYMENT_METHOD", 422,
                              "an event accepts at least one payment method")
PAYMENT_METHOD_NEEDED = ErrorCode(
    "PAYMENT_METHOD_NEEDED", 422,
    "this method takes the buyer's payment method (`payment_method`), made in the browser")
OTHER_METHOD_STARTED = ErrorCode(
    "OTHER_METHOD_STARTED", 409,
    "the hold's payment was begun with another method: pay with that one")
NO_REFUND_OWED = ErrorCode("NO_REFUND_OWED", 409,
                           "the booking's payment has no refund waiting to be given back")
REFUND_IN_PROGRESS = ErrorCode("REFUND_IN_PROGRESS", 409,
                               "a refund of this payment is being made: ask again once it is")

STORE_UNAVAILABLE = ErrorCode("STORE_UNAVAILABLE", 503)
EVENT_BUSY = ErrorCode("EVENT_BUSY", 503)
WRITE_CONFLICT = ErrorCode("WRITE_CONFLICT", 503)

# ----- accounts, sign-in and tokens -------------------------------------------------------

NOT_AUTHENTICATED = ErrorCode("NOT_AUTHENTICATED", 401)
INVALID_TOKEN = ErrorCode("INVALID_TOKEN", 401)
TOKEN_EXPIRED = ErrorCode("TOKEN_EXPIRED", 401)
TOKEN_LIFETIME_EXCEEDED = ErrorCode("TOKEN_LIFETIME_EXCEEDED", 401)
TOKEN_REVOKED = ErrorCode("TOKEN_REVOKED", 401)
INVALID_CREDENTIALS = ErrorCode("INVALID_CREDENTIALS", 401)
INVALID_METRICS_TOKEN = ErrorCode("INVALID_METRICS_TOKEN", 401)
WRONG_PASSWORD = ErrorCode("WRONG_PASSWORD", 403, "the current password is not the account's")
EMAIL_TAKEN = ErrorCode("EMAIL_TAKEN", 409)
USER_NOT_FOUND = ErrorCode("USER_NOT_FOUND", 404)
CANNOT_CHANGE_OWN_ROLE = ErrorCode("CANNOT_CHANGE_OWN_ROLE", 409,
                                   "an admin cannot change their own role")
UNSUPPORTED_LANGUAGE = ErrorCode("UNSUPPORTED_LANGUAGE", 422,
                                 "not one of the languages offered (`core.languages`)")
ORGANIZER_NOT_FOUND = ErrorCode("ORGANIZER_NOT_FOUND", 404)
NOT_AN_ORGANIZER = ErrorCode("NOT_AN_ORGANIZER", 400)
NOT_THE_INVITEE = ErrorCode("NOT_THE_INVITEE", 403, "another organizer's invitation")
AUTH_BUSY = ErrorCode("AUTH_BUSY", 503, "too many password hashes at once")
TOO_MANY_AUTH_REQUESTS = ErrorCode("TOO_MANY_AUTH_REQUESTS", 429,
                                   "too many requests to /api/auth from this address")
TOO_MANY_SIGNUPS = ErrorCode("TOO_MANY_SIGNUPS", 429)
TOO_MANY_LOGIN_ATTEMPTS = ErrorCode(
    "TOO_MANY_LOGIN_ATTEMPTS", 429,
    "too many wrong passwords for this account from this address")

# ----- reads: cursors, waiting for a position, live streams, audit ------------------------

INVALID_CURSOR = ErrorCode("INVALID_CURSOR", 422)
POSITION_BEYOND_HEAD = ErrorCode("POSITION_BEYOND_HEAD", 400,
                                 "min_position is past the store's last position")
TOO_MANY_WAITERS = ErrorCode("TOO_MANY_WAITERS", 503, "too many reads wait for a position")
TOO_MANY_STREAMS = ErrorCode(
    "TOO_MANY_STREAMS", 429,
    "this client's live streams are at SSE_MAX_PER_CLIENT, or the server's at SSE_MAX_TOTAL")
STATE_QUERY_INVALID = ErrorCode("STATE_QUERY_INVALID", 422)
PERIOD_INVALID = ErrorCode("PERIOD_INVALID", 422,
                           "the period ends before it starts, or is longer than allowed")
UNKNOWN_EVENT_TYPE = ErrorCode("UNKNOWN_EVENT_TYPE", 422, "no domain event has this type")
VERIFY_RUN_NOT_FOUND = ErrorCode("VERIFY_RUN_NOT_FOUND", 404)
VERIFY_RUNNING = ErrorCode("VERIFY_RUNNING", 409,
                           "a verify run is under way (its id in the message): one at a time")
TOO_MANY_VERIFY_RUNS = ErrorCode("TOO_MANY_VERIFY_RUNS", 429,
                                 "the caller started VERIFY_RUNS_PER_USER_PER_HOUR runs within "
                                 "the hour")
TOO_MANY_RECONCILIATION_RUNS = ErrorCode("TOO_MANY_RECONCILIATION_RUNS", 429,
                                         "the caller started "
                                         "RECONCILIATION_RUNS_PER_USER_PER_HOUR runs within "
                                         "the hour")
RECONCILIATION_RUN_NOT_FOUND = ErrorCode("RECONCILIATION_RUN_NOT_FOUND", 404)
RECONCILIATION_RUNNING = ErrorCode(
    "RECONCILIATION_RUNNING", 409,
    "a reconciliation run is under way (its id in the message): one at a time")
TOO_MANY_EXPORTS = ErrorCode(
    "TOO_MANY_EXPORTS", 429,
    "the caller's exports streaming are at EXPORTS_MAX_PER_USER, or the server's at "
    "EXPORTS_MAX_TOTAL")

# ----- proofs ----------------------------------------------------------------------------

CHECKPOINT_NOT_FOUND = ErrorCode("CHECKPOINT_NOT_FOUND", 404)
LEAF_NOT_IN_STORE = ErrorCode("LEAF_NOT_IN_STORE", 409)
LEAF_AFTER_HEAD = ErrorCode("LEAF_AFTER_HEAD", 409)
LEAF_NOT_YET_IN_TREE = ErrorCode("LEAF_NOT_YET_IN_TREE", 409)
PROOF_NOT_YET_SIGNED = ErrorCode("PROOF_NOT_YET_SIGNED", 409)
PROOF_QUERY_INVALID = ErrorCode("PROOF_QUERY_INVALID", 422)
SIGNER_UNAVAILABLE = ErrorCode("SIGNER_UNAVAILABLE", 503)

# ----- operations -------------------------------------------------------------------------

PROJECTION_NOT_FOUND = ErrorCode("PROJECTION_NOT_FOUND", 404)
REBUILD_IN_PROGRESS = ErrorCode("REBUILD_IN_PROGRESS", 409)
BROKER_UNAVAILABLE = ErrorCode("BROKER_UNAVAILABLE", 503)

# ----- webhooks ---------------------------------------------------------------------------

WEBHOOK_NOT_FOUND = ErrorCode("WEBHOOK_NOT_FOUND", 404)
WEBHOOK_EVENT_TYPE_UNKNOWN = ErrorCode("WEBHOOK_EVENT_TYPE_UNKNOWN", 422,
                                       "an event type no webhook is sent as")
WEBHOOK_URL_INVALID = ErrorCode(
    "WEBHOOK_URL_INVALID", 422,
    "not an http(s) URL with a host that resolves, or it holds credentials")
WEBHOOK_ADDRESS_REFUSED = ErrorCode(
    "WEBHOOK_ADDRESS_REFUSED", 422,
    "the host resolves to a private, loopback, link-local, site-local, multicast, reserved or "
    "unspecified address (allowed only by WEBHOOK_ALLOW_PRIVATE=true)")
WEBHOOK_EVENT_REQUIRED = ErrorCode("WEBHOOK_EVENT_REQUIRED", 422,
                                   "an organizer's webhook names one of their events")
WEBHOOK_SUSPENDED = ErrorCode(
    "WEBHOOK_SUSPENDED", 403,
    "the owner no longer has the role or runs the event the endpoint needs")
TOO_MANY_WEBHOOKS = ErrorCode("TOO_MANY_WEBHOOKS", 409,
                              "the owner's active endpoints are at WEBHOOK_MAX_ENDPOINTS_PER_OWNER")
TOO_MANY_REPLAYS = ErrorCode("TOO_MANY_REPLAYS", 429,
                             "the endpoint was replayed WEBHOOK_MAX_REPLAYS_PER_HOUR times "
                             "within the hour")

# ----- messages to buyers -------------------------------------------------------------------

TOO_MANY_RESENDS = ErrorCode("TOO_MANY_RESENDS", 429,
                             "the booking's confirmation was sent again MAIL_RESENDS_PER_HOUR "
                             "times within the hour")
NOT_A_BOUNCE = ErrorCode("NOT_A_BOUNCE", 422,
                         "not a delivery status report (RFC 3464), one of no failure nor delay, "
                         "or one nested deeper or in more parts than a report: nothing recorded")
UNKNOWN_MESSAGE = ErrorCode("UNKNOWN_MESSAGE", 422,
                            "a report about no message this ledger sent (a Message-ID of "
                            "another domain), or about another recipient than the message's: "
                            "nothing recorded")
REPORT_TOO_LARGE = ErrorCode("REPORT_TOO_LARGE", 413,
                             "larger than a delivery report is read at: nothing recorded")

# ----- HTTP itself: bodies, methods, validation, the unexpected -----------------------------

BAD_REQUEST = ErrorCode("BAD_REQUEST", 400, "the body could not be parsed")
METHOD_NOT_ALLOWED = ErrorCode("METHOD_NOT_ALLOWED", 405)
NOT_ACCEPTABLE = ErrorCode("NOT_ACCEPTABLE", 406)
PAYLOAD_TOO_LARGE = ErrorCode("PAYLOAD_TOO_LARGE", 413, "the body is over MAX_BODY_BYTES")
UNSUPPORTED_MEDIA_TYPE = ErrorCode("UNSUPPORTED_MEDIA_TYPE", 415)
TOO_MANY_REQUESTS = ErrorCode("TOO_MANY_REQUESTS", 429)
VALIDATION_ERROR = ErrorCode("VALIDATION_ERROR", 422)
MALFORMED_JSON = ErrorCode("MALFORMED_JSON", 422)
INTERNAL_ERROR = ErrorCode("INTERNAL_ERROR", 500)

ALL: tuple[ErrorCode, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, ErrorCode))
_BY_CODE = {str(code): code for code in ALL}


def by_code(code: str) -> ErrorCode:
    """The registered `ErrorCode` for `code` (LookupError if it is none of ours)."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise LookupError(f"{code!r} is not an error code of core.error_codes") from None
