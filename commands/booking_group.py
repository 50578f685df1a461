"""Bookings committed in groups: one event's queued bookings decided one by one, saved once.

All bookings of one event queued in this process (see `commands.group`) are decided one by one
on the event's warm aggregate, each answered on its own, and appended in one save. A
concurrent writer on the same stream makes the store raise IntegrityError; the group is then
retried on fresh state by the ledger's bounded retries.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NotRequired, Protocol, TypedDict, TypeVar, Unpack
from uuid import UUID, uuid4

from commands.aggregate import Event
from commands.booking_ref import BookingRef, fingerprint, idempotent_booking_id
from commands.errors import Conflict, DomainError
from commands.group import GroupCommitter, Pending
from commands.locks import EventLocks
from commands.snapshots import SnapshotSchedule, Write
from commands.views import Outcome, booking_view
from commands.warm import WarmAggregates

T = TypeVar("T")
MAX_GROUP = 256  # bookings per save: bounds one transaction and the wait of the last in line
Answers = list[tuple[Pending["BookRequest"], Outcome | DomainError]]


def new_ticket_code() -> str:
    """128 random bits from `secrets`, URL-safe, unguessable."""
    return secrets.token_urlsafe(16)


class BookFields(TypedDict):
    """A booking command's arguments."""

    user_id: UUID
    user_name: str
    category: str | None
    quantity: int
    idempotency_key: NotRequired[str | None]


@dataclass(frozen=True)
class BookRequest:
    """One booking asked for, as the group committer decides it.

    What does not depend on the event's state is made before its lock is taken: the ticket
    codes and the `BookingRef` to save with the booking (a retry after a conflict makes a new
    ref, since a failed save has taken the first one's pending event).
    """

    event_id: UUID
    booking_id: UUID
    keyed: bool
    digest: str
    user_id: str
    user_name: str
    category: str | None
    quantity: int
    ticket_codes: tuple[str, ...]
    ref: BookingRef = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ref", self.new_ref())

    def new_ref(self) -> BookingRef:
        return BookingRef(id=self.booking_id, event_id=self.event_id, user_id=self.user_id,
                          fingerprint=self.digest)


def book_request(event_id: UUID, **fields: Unpack[BookFields]) -> BookRequest:
    """The request, its booking id (derived from an idempotency key) and its ticket codes."""
    user, key = str(fields["user_id"]), fields.get("idempotency_key")
    category, quantity = fields["category"], fields["quantity"]
    return BookRequest(
        event_id=event_id,
        booking_id=idempotent_booking_id(user, key) if key else uuid4(),
        keyed=bool(key),
        digest=fingerprint({"event_id": event_id, "category": category, "quantity": quantity}),
        user_id=user,
        user_name=fields["user_name"],
        category=category,
        quantity=quantity,
        ticket_codes=tuple(new_ticket_code() for _ in range(max(quantity, 0))),
    )


class Host(Protocol):
    """What the committer needs of the application service (the ledger)."""

    clock: Callable[[], datetime]
    locks: EventLocks
    warm: WarmAggregates
    schedule: SnapshotSchedule

    def warm_event(self, event_id: UUID) -> Event: ...
    def event(self, event_id: UUID, version: int | None = None) -> Event: ...
    def find_ref(self, booking_id: UUID) -> BookingRef | None: ...
    def save_positions(self, *aggregates: Any) -> dict[UUID, int]: ...
    def on_conflict_retry(self, attempt: Callable[[int], T]) -> T: ...
    def wake(self, position: int | None) -> None: ...


class BookingCommitter:
    """Per-event queues of bookings, each group decided on the warm aggregate, saved once."""

    def __init__(self, host: Host, *, wait: float, threads: int,
                 max_group: int = MAX_GROUP) -> None:
        self._host = host
        self.queues: GroupCommitter[BookRequest] = GroupCommitter(
            self._commit, max_group=max_group, wait=wait, threads=threads)

    def submit(self, request: BookRequest) -> Outcome:
        """Queue the booking and wait for its group's answer (or raise its refusal)."""
        outcome: Outcome = self.queues.submit(request.event_id, request)
        return outcome

    async def submit_async(self, request: BookRequest) -> Outcome:
        """`submit` for an async route: its task awaits the group commit without a thread."""
        outcome: Outcome = await self.queues.submit_async(request.event_id, request)
        return outcome

    def close(self) -> None:
        self.queues.close()

    def _commit(self, event_id: UUID, drain: Callable[[], list[Pending[BookRequest]]]) -> None:
        """Take the queued bookings once the lock is held; decide each; append all in one save."""
        host = self._host
        with host.locks.hold(event_id):
            group = drain()
            # A conflict: another writer got in, or a key was used on another event meanwhile.
            answers = host.on_conflict_retry(
                lambda n: self._decide(event_id, group, careful=n > 0))
        # Once per group, outside the lock and before anyone is answered (embedded: the
        # projections run here, so each answer finds its booking in the read tables).
        host.wake(max((a.position for _, a in answers
                       if isinstance(a, Outcome) and a.position is not None), default=None))
        for item, answer in answers:
            if isinstance(answer, BaseException):
                item.answer(error=answer)
            else:
                item.answer(answer)

    def _decide(self, event_id: UUID, group: list[Pending[BookRequest]], *,
                careful: bool) -> Answers:
        """Every request's outcome or refusal, after one save of all the accepted ones.

        `careful` (a retry) looks every keyed booking up in the store first: the usual path
        only does when the warm aggregate already holds that booking id, and relies on the
        store's uniqueness for a key used on another event in the meantime.
        """
        host = self._host
        event = host.warm_event(event_id)
        decided: list[tuple[Pending[BookRequest], UUID | Outcome | DomainError]] = []
        fresh: dict[UUID, BookRequest] = {}
        refs: list[BookingRef] = []
        snapshots: list[Write] = []
        with host.warm.cooling(event):
            for item in group:
                r = item.payload
                try:
                    earlier = self._earlier(event, r, fresh, careful=careful)
                    if earlier is not None:
                        decided.append((item, earlier))
                        continue
                    self._book(event, r)
                except DomainError as exc:
                    decided.append((item, exc))
                    continue
                fresh[r.booking_id] = r
                if host.schedule.due(event.version - 1, event.version):
                    snapshots.append(host.schedule.of(event))  # as it is at this version
                refs.append(r.new_ref() if careful else r.ref)
                decided.append((item, r.booking_id))
            with host.schedule.taken_here(event.id):  # taken above, at their exact versions
                positions = host.save_positions(event, *refs) if refs else {}
        host.warm.keep(event)
        for write in snapshots:
            host.schedule.owed.owe(write)
        return [
            (item, Outcome(booking_view(event, d), positions.get(d)) if isinstance(d, UUID) else d)
            for item, d in decided
        ]

    def _book(self, event: Event, r: BookRequest) -> None:
        """Let the aggregate decide one booking; a refusal must leave it unchanged."""
        before = len(event.pending_events)
        try:
            event.book(booking_id=r.booking_id, user_id=r.user_id, user_name=r.user_name,
                       category=r.category, quantity=r.quantity,
                       ticket_codes=list(r.ticket_codes), now=self._host.clock())
        except DomainError:
            if len(event.pending_events) != before:  # the aggregate must check first
                raise RuntimeError("a refused booking changed the aggregate") from None
            raise

    def _earlier(self, event: Event, r: BookRequest, fresh: dict[UUID, BookRequest], *,
                 careful: bool) -> Outcome | None:
        """The first booking for a repeated Idempotency-Key (409 if its request differed)."""
        if not r.keyed:
            return None
        same_group = fresh.get(r.booking_id)
        if same_group is not None:
            digest = same_group.digest
        elif careful or str(r.booking_id) in event.bookings:
            ref = self._host.find_ref(r.booking_id)
            if ref is None:
                return None
            digest = ref.fingerprint
            if ref.event_id != event.id:
                if digest != r.digest:
                    raise key_reused()
                return Outcome(booking_view(self._host.event(ref.event_id), r.booking_id),
                               None, True)
        else:
            return None
        if digest != r.digest:
            raise key_reused()
        return Outcome(booking_view(event, r.booking_id), None, replayed=True)


def key_reused() -> Conflict:
    return Conflict(
        "This Idempotency-Key was used for a different request", code="IDEMPOTENCY_KEY_REUSED"
    )
