"""Read model "availability": events with their seat totals, organizer, venue time zone and
whether they are published (or drafts), categories with seats
sold, each event's co-organizers, and the invitations to co-organize not answered yet. Their
names are held opened, and forgotten with them (`PersonErased`).

Read by `query_api/reads/events.py` (the list and the detail) and
`query_api/reads/availability.py` (live seats left, for the SSE stream).
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Executable,
    Index,
    Integer,
    String,
    Text,
    Update,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import Uuid

from commands.domain.event import Event
from commands.domain.events import ACTIVE, CANCELLED, COMPLETED, DEFAULT_TIMEZONE, DETAIL_FIELDS
from commands.domain.lines import lines_of, seats_by_category
from core.models import Base, Money, UTCDateTime
from core.personal import ERASED
from projections.erasure import PERSON_ERASED, person_of
from projections.model import ReadModel, Tables, table_of
from projections.personal import name_of
from projections.unit_of_work import Batch


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (
        # The list's order and keyset cursor, alone or after a status filter.
        Index("ix_events_starts_at_id", "starts_at", "id"),
        Index("ix_events_status_starts_at_id", "status", "starts_at", "id"),
        Index("ix_events_organizer_starts_at_id", "organizer_id", "starts_at", "id"),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    max_tickets_per_user: Mapped[int | None] = mapped_column(Integer)
    hold_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: default
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)  # the venue's
    published: Mapped[bool] = mapped_column(Boolean, default=True)  # False: a draft, unlisted
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # scheduled
    # The payment methods its buyers may pay with, by name; None: every one the server has.
    payment_methods: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True),
                                                              nullable=True)
    # Its tax rules (`commands.domain.taxes`): name, rate (a decimal string), inclusive,
    # categories; None: none set.
    taxes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True),
                                                               nullable=True)
    # Its name and description per language where given: {language: {"name", "description"}};
    # None: none given.
    translations: Mapped[dict[str, dict[str, str]] | None] = mapped_column(
        JSON(none_as_null=True), nullable=True)
    total_seats: Mapped[int] = mapped_column(Integer)
    available_seats: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(BigInteger)
    # None: recorded before organizers (admins only; see Event.Created.upcast_v1_v2).
    organizer_id: Mapped[UUID | None] = mapped_column(Uuid, nullable=True)
    # Opened when folded (`projections.personal`): "erased" once the organizer is forgotten.
    organizer_name: Mapped[str | None] = mapped_column(String(200), nullable=True)


class EventOrganizerRow(Base):
    """A co-organizer of an event (its organizer is on the event's row); `name` opened."""

    __tablename__ = "event_organizers"
    __table_args__ = (Index("ix_event_organizers_user_id", "user_id"),)
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    user_id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class EventInvitationRow(Base):
    """An organizer invited to co-organize an event, until they answer (or it is withdrawn).

    Never public: the invitee's list of what awaits their answer.
    """

    __tablename__ = "event_invitations"
    __table_args__ = (Index("ix_event_invitations_user_id_invited_at", "user_id", "invited_at"),)
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    user_id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    invited_by: Mapped[UUID] = mapped_column(Uuid)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EventCategoryRow(Base):
    __tablename__ = "event_categories"
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Money)
    capacity: Mapped[int] = mapped_column(Integer)
    sold: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[int] = mapped_column(Integer, default=0)  # in holds not yet confirmed
    waitlisted: Mapped[int] = mapped_column(Integer, default=0)  # what its waitlist waits for
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)  # a voucher must unlock it



class VoucherReserveRow(Base):
    """A voucher that reserves seats of its one category for its holders: how many it keeps
    off general sale now (`commands.domain.seats.reserved`), its uses left while enabled."""

    __tablename__ = "voucher_reserves"
    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    category: Mapped[str] = mapped_column(String(100))
    left: Mapped[int] = mapped_column(Integer)


_OWNERS = (Event.OrganizerTransferred, Event.CoOrganizerAdded, Event.CoOrganizerRemoved,
           Event.CoOrganizerInvited, Event.CoOrganizerAccepted, Event.CoOrganizerDeclined,
           Event.CoOrganizerInvitationWithdrawn)
_JOINS = (Event.CoOrganizerAdded, Event.CoOrganizerAccepted)  # named on the event from then on
_STAMPED = {Event.DetailsUpdated, Event.PaymentMethodsChosen, Event.TaxesSet, Event.SeatsBooked,
            Event.BookingCancelled, Event.TicketsCancelled, Event.TicketCheckedIn,
            Event.TicketCheckInUndone, Event.EventCancelled,
            Event.EventCompleted, Event.EventPublished, Event.PublicationScheduled, *_OWNERS}
_SEATS = (Event.SeatsBooked, Event.BookingCancelled, Event.TicketsCancelled)
_STATUS = {Event.EventCancelled: CANCELLED, Event.EventCompleted: COMPLETED}
_CATEGORIES = (Event.CategoryAdded, Event.CategoryChanged)
_HOLD_ENDS = (Event.HoldConfirmed, Event.HoldReleased, Event.HoldExpired)
_LINE = (Event.WaitlistJoined, Event.WaitlistLeft)
# A draft's publication and the payment methods chosen: the columns each of their events sets.
_COLUMNS: dict[type, Callable[[Any], dict[str, Any]]] = {
    Event.EventPublished: lambda _: {"published": True},
    Event.PublicationScheduled: lambda e: {"publish_at": e.publish_at},
    Event.PaymentMethodsChosen: lambda e: {"payment_methods": list(e.methods)},
    Event.TaxesSet: lambda e: {"taxes": [{**r, "rate": str(r["rate"])} for r in e.rules]
                               or None},
}


def fold(b: Batch, e: Any, position: int) -> None:
    """One domain event into the batch's changes: the seats vouchers reserve, then the events'
    and their categories'; a person forgotten, from the events they organize."""
    if type(e) is PERSON_ERASED:
        _forget_organizer(b, e)
        return
    if type(e) in _RESERVES:
        _reserved(b, e)
    _events_and_categories(b, e, position)


def _events_and_categories(b: Batch, e: Any, position: int) -> None:
    """One domain event into the batch's `events` and `event_categories` changes."""
    events, categories = b["events"], b["event_categories"]
    kind = type(e)
    if kind is Event.Created:
        events.insert(event_row(e, position))
        for row in category_rows(e):
            categories.insert(row)
        return
    if kind is Event.SeatsHeld or kind in _HOLD_ENDS or kind in _LINE:
        _held(b, e)
        return
    if kind not in _STAMPED and kind not in _CATEGORIES:
        return
    key = (e.originator_id,)
    events.set(key, stamp(e, position))
    if kind in _CATEGORIES:
        # Seat totals move by the old capacity, read in SQL: additions, so in any order.
        b.run(_category_statements(e, b.tables))
    elif kind in _SEATS:
        confirming = kind is Event.SeatsBooked and e.hold_id is not None
        by_category = sold(e)
        if not confirming:  # held seats become sold: out of sale already
            events.add(key, {"available_seats": -sum(by_category.values())})
        for name, n in by_category.items():
            categories.add((e.originator_id, name),
                           {"sold": n, "held": -n} if confirming else {"sold": n})
    elif kind is Event.DetailsUpdated:
        events.set(key, {k: v for k, v in e.changes.items() if k in DETAIL_FIELDS})
    elif kind in _STATUS:
        events.set(key, {"status": _STATUS[kind]})
    elif kind in _COLUMNS:
        events.set(key, _COLUMNS[kind](e))
    elif kind in _OWNERS:
        _owners(b, e)


# What moves the seats vouchers reserve: made, disabled, used by a hold or a booking outright,
# given back by a hold released or expired. A voucher that reserves none has no row: its
# changes update nothing.
_RESERVES = (Event.VouchersCreated, Event.VoucherDisabled, Event.SeatsHeld, Event.SeatsBooked,
             Event.HoldReleased, Event.HoldExpired)


def _reserved(b: Batch, e: Any) -> None:
    reserves = b["voucher_reserves"]
    if isinstance(e, Event.VouchersCreated):
        if e.reserve and e.categories:  # one category, as the domain wants of such vouchers
            for code in e.codes:
                reserves.insert({"event_id": e.originator_id, "code": code,
                                 "category": e.categories[0], "left": e.max_uses})
    elif isinstance(e, Event.VoucherDisabled):
        reserves.set((e.originator_id, e.code), {"left": 0})
    elif e.voucher is not None and not (isinstance(e, Event.SeatsBooked) and e.hold_id):
        # A confirmed hold used them when it was made.
        used = sum(line["quantity"] for line in lines_of(e) if "list_price" in line)
        sign = -1 if isinstance(e, Event.SeatsHeld | Event.SeatsBooked) else 1
        reserves.add((e.originator_id, e.voucher), {"left": sign * used})


def _held(b: Batch, e: Any) -> None:
    """Seats held move in and out of sale; the waitlisted seats move with joins, leaves, offers.
    A `HoldConfirmed` (as recorded before confirmations were one `SeatsBooked`) puts them back,
    and the `SeatsBooked` that follows it sells them."""
    key, category = (e.originator_id,), (e.originator_id, e.category)
    if isinstance(e, _LINE):
        n = e.quantity if isinstance(e, Event.WaitlistJoined) else -e.quantity
        b["event_categories"].add(category, {"waitlisted": n})
        return
    sign = 1 if isinstance(e, Event.SeatsHeld) else -1
    b["events"].add(key, {"available_seats": -sign * e.quantity})
    for line in lines_of(e):  # an order across categories holds seats of each
        b["event_categories"].add((e.originator_id, line["category"]),
                                  {"held": sign * line["quantity"]})
    if isinstance(e, Event.SeatsHeld) and e.offer_for is not None:  # off the waitlist
        wanted = e.waited_for if e.waited_for is not None else e.quantity  # all it waited for
        b["event_categories"].add(category, {"waitlisted": -wanted})


def _forget_organizer(b: Batch, e: Any) -> None:
    """The erased person's name on the events they organize or co-organize, and on their
    invitations, overwritten with "erased" (`projections.erasure`), after the changes the batch
    holds before it: a transfer to them sets the name it opened, which a process that still
    kept their key opened in the clear."""
    person = person_of(e)
    if person is None:
        return
    t = b.tables
    b.seal()
    b.run([update(t["events"]).where(t["events"].c.organizer_id == person)
           .values(organizer_name=ERASED),
           *[update(t[name]).where(t[name].c.user_id == person).values(name=ERASED)
             for name in ("event_organizers", "event_invitations")]])


def _owners(b: Batch, e: Any) -> None:
    """Ownership changes: rare, so plain statements, in the stream's order."""
    co, invited = b.tables["event_organizers"], b.tables["event_invitations"]
    if isinstance(e, Event.OrganizerTransferred):
        b["events"].set((e.originator_id,), {"organizer_id": UUID(e.organizer_id),
                                             "organizer_name": name_of(e.organizer_name)})
    user = UUID(e.user_id if not isinstance(e, Event.OrganizerTransferred) else e.organizer_id)
    if isinstance(e, Event.CoOrganizerInvited):
        b.run([insert(invited).values(event_id=e.originator_id, user_id=user,
                                      name=name_of(e.user_name), invited_by=UUID(e.by),
                                      invited_at=e.timestamp)])
        return
    # Whatever else happens to the user here answers an invitation of theirs, if any.
    statements: list[Executable] = [delete(invited).where(
        (invited.c.event_id == e.originator_id) & (invited.c.user_id == user))]
    if isinstance(e, _JOINS):
        statements.append(insert(co).values(event_id=e.originator_id, user_id=user,
                                            name=name_of(e.user_name)))
    elif isinstance(e, (Event.CoOrganizerRemoved, Event.OrganizerTransferred)):
        # removed, or made the organizer (one role)
        statements.append(delete(co).where((co.c.event_id == e.originator_id)
                                           & (co.c.user_id == user)))
    b.run(statements)


def stamp(e: Any, position: int) -> dict[str, Any]:
    """What every change of an event sets on its row."""
    return {"version": e.originator_version, "position": position, "updated_at": e.timestamp}


def sold(e: Any) -> dict[str, int]:
    """Seats a booking takes per category (negative: a cancellation, of it or of some
    tickets, frees them), through its lines (`commands.domain.lines`)."""
    sign = 1 if isinstance(e, Event.SeatsBooked) else -1
    return {name: sign * n for name, n in seats_by_category(lines_of(e)).items()}


def event_row(e: Any, position: int) -> dict[str, Any]:
    """The `events` row an Event.Created makes."""
    total = sum(int(c["capacity"]) for c in e.categories)
    return {
        "id": e.originator_id, "name": e.name, "description": e.description, "venue": e.venue,
        "starts_at": e.starts_at, "ends_at": e.ends_at, "currency": e.currency,
        "status": ACTIVE, "max_tickets_per_user": e.max_tickets_per_user,
        "hold_seconds": e.hold_seconds, "timezone": e.timezone, "published": e.published,
        "publish_at": None, "payment_methods": None, "taxes": None, "translations": None,
        "total_seats": total, "available_seats": total,
        "created_at": e.timestamp,  # what the write side shows as the event's `created_on`
        "updated_at": e.timestamp, "version": e.originator_version, "position": position,
        "organizer_id": UUID(e.organizer_id) if e.organizer_id is not None else None,
        "organizer_name": None if e.organizer_name is None else name_of(e.organizer_name),
    }


def category_rows(e: Any) -> list[dict[str, Any]]:
    return [{"event_id": e.originator_id, "name": c["name"], "ordinal": i,
             "price": Decimal(c["price"]), "capacity": int(c["capacity"]), "sold": 0,
             "held": 0, "waitlisted": 0, "hidden": bool(c.get("hidden"))}
            for i, c in enumerate(e.categories)]


def _category_statements(e: Any, t: Tables) -> list[Executable]:
    """A category added or changed: what depends on rows the batch may not hold, in SQL."""
    ev, cats = t["events"], t["event_categories"]
    seats = update(ev).where(ev.c.id == e.originator_id)
    if isinstance(e, Event.CategoryAdded):
        this = cats.c.event_id == e.originator_id
        ordinal = select(func.coalesce(func.max(cats.c.ordinal) + 1, 0)).where(this)
        added = select(literal(e.originator_id, Uuid()), literal(e.name),
                       ordinal.scalar_subquery(), literal(e.price, cats.c.price.type),
                       literal(e.capacity), literal(0), literal(0), literal(0),
                       literal(e.hidden, Boolean()))
        cols = ["event_id", "name", "ordinal", "price", "capacity", "sold", "held", "waitlisted",
                "hidden"]
        return [_seats(seats, ev, e.capacity), insert(cats).from_select(cols, added)]
    this = (cats.c.event_id == e.originator_id) & (cats.c.name == e.name)
    delta = e.capacity - select(cats.c.capacity).where(this).scalar_subquery()
    return [_seats(seats, ev, delta),  # before the category row changes: its old capacity
            update(cats).where(this).values(price=e.price, capacity=e.capacity,
                                            hidden=e.hidden)]


def _seats(row: Update, ev: Any, delta: Any) -> Update:
    return row.values(total_seats=ev.c.total_seats + delta,
                      available_seats=ev.c.available_seats + delta)


MODEL = ReadModel(
    "availability",
    (table_of(EventRow), table_of(EventCategoryRow), table_of(EventOrganizerRow),
     table_of(EventInvitationRow), table_of(VoucherReserveRow)), fold,
    frozenset(_STAMPED | {Event.Created, Event.SeatsHeld, *_CATEGORIES, *_HOLD_ENDS, *_LINE,
                          *_RESERVES, PERSON_ERASED}),
    by_event=True)
