"""Audit bodies: stored events, pages of them, an event as it was, verify runs and their
report, revenue over a period."""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from query_api.proofs.schemas import TreeCheckOut
from query_api.schemas.bookings import BookedSeats, OrderLine
from query_api.schemas.box_office import TaxTotal
from query_api.schemas.common import Money, PersonName
from query_api.schemas.events import EventOut


class StoredEventOut(BaseModel):
    version: int
    type: str = Field(description="the domain event's class, e.g. SeatsBooked")
    recorded_at: datetime
    position: int = Field(description="global position in the store's log")
    payload: dict[str, Any] = Field(
        description="money as decimal strings, ISO times, UUIDs; ticket codes as "
                    "\"sha256:\" + hex digest"
    )
    chain: str | None = Field(description="sha256 chained to the previous event of the stream")
    form: Literal[1, 2] = Field(
        description="what `chain` covers: 2, the payload as shown; 1 (events sealed before "
                    "digests), the raw ticket codes instead"
    )


class HistoryPage(BaseModel):
    items: list[StoredEventOut]
    next_cursor: int | None = Field(description="pass as `after_version` for the next page")


class LogEventOut(StoredEventOut):
    stream: UUID = Field(description="the stream: an event's id, or a booking's (BookingRef)")
    aggregate_id: UUID = Field(description="the same as `stream`")
    aggregate_type: str = Field(description="Event, or BookingRef (a booking's own stream)")


class EventKindOut(BaseModel):
    """A kind of domain event, as it declares itself (`commands.domain.declared`)."""

    type: str = Field(description="its name in the log, e.g. SeatsBooked")
    label: str = Field(description="what auditors read for it")
    streams: list[Literal["event", "booking", "claim", "payment", "invoice_book",
                          "erasure"]] = Field(description="the streams that record it")
    webhook: str | None = Field(description="the webhook type it is sent as; null: never sent")


class EventKinds(BaseModel):
    items: list[EventKindOut]


class LogPage(BaseModel):
    items: list[LogEventOut]
    next_after: int = Field(
        description="pass as `after` for the next page: the last entry's position when the "
                    "page is full, else how far the log was read (past what the filters "
                    "skipped); stays put when caught up")
    next_cursor: int = Field(description="the same as `next_after` (its older name)")
    head: int = Field(description="the store's highest position when the page was read")


class StateBooking(BookedSeats):
    cancelled_at: datetime | None


class StateHold(BaseModel):
    """Seats held for one buyer then, out of sale until `expires_at` or its end is recorded."""

    id: UUID
    user_id: UUID
    user_name: PersonName
    category: str = Field(description="its first line's category (`lines` has them all)")
    quantity: int = Field(description="its seats, all lines'")
    lines: list[OrderLine]
    expires_at: datetime
    offer_for: UUID | None = Field(description="the waitlist place it was offered to (null: "
                                               "the buyer asked for it)")


class StatePlace(BaseModel):
    """A place on a category's waitlist then."""

    id: UUID
    rank: int = Field(description="on its category's waitlist, 1 for the next offered")
    user_id: UUID
    user_name: PersonName
    category: str
    quantity: int = Field(description="seats it waits for")
    joined_at: datetime


class StateVoucher(BaseModel):
    """A voucher then: its terms and the seats held or booked with it; its code as its digest,
    as the log shows it (a code is money off)."""

    code: str = Field(description="sha256: and the code's digest")
    discount: Literal["percent", "amount_off", "set_price"]
    value: Money
    max_uses: int
    used: int = Field(description="seats held or booked with it then")
    valid_from: datetime | None
    valid_until: datetime | None
    categories: list[str] | None
    label: str | None
    disabled: bool


class EventState(EventOut):
    version: int = Field(description="the stream version this state is at")
    recorded_at: datetime = Field(description="when that version was recorded")
    bookings: list[StateBooking] = Field(
        description="a page of the bookings then, in booking order (see bookings_next_offset)"
    )
    bookings_total: int = Field(description="bookings made up to this version")
    bookings_confirmed: int = Field(description="of them, still confirmed at this version")
    bookings_next_offset: int | None = Field(
        description="`bookings_offset` of the next page; null on the last"
    )
    holds: list[StateHold] = Field(description="the holds live then, in the order made")
    waitlist: list[StatePlace] = Field(
        description="the places waiting then, in the order they joined")
    vouchers: list[StateVoucher] = Field(
        default_factory=list, description="the vouchers made by then, in the order made")


class Problem(BaseModel):
    version: int
    position: int
    rule: str = Field(description="capacity, cancellation, user_limit, check_in, chain, ...")
    message: str


class Ownership(BaseModel):
    from_version: int
    organizer_id: UUID | None = Field(description="null: recorded before organizers (admins)")


class EventCheck(BaseModel):
    event_id: UUID
    ok: bool
    events: int = Field(description="domain events checked in this stream")
    problems: list[Problem]
    organizer_id: UUID | None = Field(default=None, description="who runs it at the head")
    co_organizers: list[UUID] = []
    ownership: list[Ownership] = Field(
        default=[], description="who organized it from which version on (creation, transfers)")


class BrokenLink(BaseModel):
    stream: UUID
    version: int
    position: int
    reason: str
    expected: str | None
    found: str | None
    previous_version: int


class ChainCheck(BaseModel):
    ok: bool
    broken: list[BrokenLink]


class Difference(BaseModel):
    table: str
    key: dict[str, Any]
    expected: dict[str, Any] | None = Field(description="from the replay; null: no such row")
    found: dict[str, Any] | None = Field(description="in the live table; null: row missing")


class ProjectionCheck(BaseModel):
    ok: bool
    position: int = Field(description="the live projection's position, replayed up to")
    difference_count: int
    differences: list[Difference]


class BadSnapshot(BaseModel):
    event_id: UUID = Field(description="the stream the snapshot claims to summarise")
    version: int
    problem: str = Field(description="e.g. its state differs from its events replayed")


class SnapshotCheck(BaseModel):
    ok: bool
    checked: int = Field(description="stored snapshots compared with their streams replayed")
    unsealed: int = Field(
        description="of them, not sealed with this SECRET_KEY: never used to load (older, or "
        "forged), even when faithful"
    )
    bad: list[BadSnapshot]


class VerifyReport(BaseModel):
    ok: bool
    checked_events: int
    checked_streams: int
    events: list[EventCheck]
    chain: ChainCheck
    snapshots: SnapshotCheck
    projections: dict[str, ProjectionCheck]
    proofs: TreeCheckOut = Field(description="the store against every signed tree head")


class VerifyRunOut(BaseModel):
    id: UUID
    status: Literal["running", "finished", "failed"] = Field(
        description="finished: `ok` says whether problems were found; failed: the run itself "
                    "stopped (`error` says why; a run whose process died reads as failed)")
    started_at: datetime
    started_by: str = Field(description="the email of who started it")
    checked: int = Field(description="the log's position the pass reached")
    total: int = Field(description="the log's last position (it grows while events arrive)")
    problems: int = Field(description="problems found (GET .../problems pages them)")
    finished_at: datetime | None
    ok: bool | None = Field(description="null until the run finishes")
    error: str | None = Field(default=None, description="why a failed run stopped")
    report: VerifyReport | None = Field(
        default=None,
        description="a finished run's report: every verdict and count; the events with "
                    "problems, and each list, cut to their first 100 entries")


class VerifyRunPage(BaseModel):
    items: list[VerifyRunOut] = Field(description="latest first")
    next_cursor: str | None


class VerifyProblemOut(BaseModel):
    kind: str = Field(description="chain, a broken rule (capacity, cancellation, user_limit, "
                                  "check_in, booking_stream, ...), snapshot, projection, proof")
    stream: str | None = Field(description="the stream it concerns, if one")
    version: int | None
    position: int | None
    message: str


class VerifyProblemPage(BaseModel):
    items: list[VerifyProblemOut]
    total: int = Field(description="problems kept for the run, in the order found")


class RevenueFigures(BaseModel):
    currency: str
    revenue: Money = Field(description="of the bookings made in the period")
    tickets_sold: int = Field(description="tickets of the bookings made in the period")
    bookings: int = Field(description="bookings made in the period")
    cancellations: int = Field(description="bookings cancelled in the period")
    refunded: Money = Field(description="what the period's cancellations, of bookings and of "
                                        "tickets one by one, gave back")
    net: Money = Field(description="revenue less refunded")
    collected: Money = Field(description="money the period's payments took (through the "
                                         "provider, or marked paid by hand), from their events")
    returned: Money = Field(description="money the period's refunds gave back, from their events")
    collected_net: Money = Field(description="collected less returned")


class RevenueRow(RevenueFigures):
    key: str = Field(description="the event's id, the organizer's id (empty: recorded before "
                                 "organizers), or `total`")
    name: str


class RevenuePoint(BaseModel):
    day: date = Field(description="a UTC day")
    currency: str
    revenue: Money
    tickets_sold: int


class RevenueTax(TaxTotal):
    """What seats of one tax rule and rate sold for and what was refunded, in one currency,
    over the UTC days that begin within the period; seats of no rule under `name` null."""

    currency: str


class RevenueReport(BaseModel):
    from_: datetime = Field(alias="from", description="the period's start (included)")
    to: datetime = Field(description="the period's end (excluded)")
    group: Literal["event", "organizer", "total"]
    rows: list[RevenueRow] = Field(description="a page of rows, by name; an organizer's, one "
                                               "per currency they sold in")
    next_offset: int | None = Field(description="`offset` of the next page of rows; null on "
                                                "the last")
    totals: list[RevenueFigures] = Field(
        description="over every row, one per currency: never summed across currencies")
    series: list[RevenuePoint] = Field(description="per day and currency: the sales chart")
    taxes: list[RevenueTax] = Field(
        default_factory=list, description="per currency, tax rule and rate: net, tax and "
                                          "gross, over the UTC days that begin within the "
                                          "period")
