"""Bookings committed in groups across events: locked, loaded, decided one by one, saved
in one append. Holds and their confirmations are bookings asked in two steps, committed so too
(`commands.application.book_request`: BOOK, HOLD, CONFIRM).

The committer's queues (`commands.store.group_commit`) hand a group here: every event queued
in a shard, so one event's requests always meet, and a spread load's requests for many events
meet too. A commit locks the events queued (in one round trip on PostgreSQL), brings their warm
aggregates up to date (one read), decides each booking on its event's aggregate, appends all of
them in one transaction (one round trip and one WAL flush, whatever the events), wakes the
projections once and answers each request on its own.

Each stream's version check still decides for its own bookings: when the group's save
conflicts (another writer got in, or a key was used on another event meanwhile), each event's
bookings are saved alone, and only the streams that conflict again are decided anew, on fresh
state, by the runner's bounded retries (`commands.application.runner`).
"""

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.application import book_request
from commands.application.answers import Outcome, booking_view
from commands.application.book_request import BOOK, HOLD, BookRequest
from commands.application.holds import earlier_hold, hold_view
from commands.application.idempotency import earlier_booking
from commands.application.runner import CommandRunner
from commands.domain.booking import registered
from commands.domain.claim import hold_claim
from commands.domain.errors import DomainError
from commands.domain.event import Event
from commands.domain.events import HOLD_ACTIVE
from commands.store.group_commit import Drain, Pending

MAX_GROUP = 256  # bookings per save: bounds one transaction and the wait of the last in line
Answers = list[tuple[Pending[BookRequest], Outcome | Exception]]
Decided = list[tuple[Pending[BookRequest], "UUID | Outcome | DomainError"]]


@dataclass
class Unit:
    """One event's part of a group: its requests decided on its aggregate, not yet saved."""

    event: Event
    version: int  # the aggregate's version before the group (exact again if nothing is saved)
    decided: Decided = field(default_factory=list)  # booking or hold id, replay or refusal
    refs: list[Any] = field(default_factory=list)  # the BookingRefs and ClaimRefs made
    views: dict[UUID, dict[str, Any]] = field(default_factory=dict)  # their answers, by id

    def answers(self, positions: dict[UUID, int]) -> Answers:
        return [(item, Outcome(self.views[d], positions.get(d)) if isinstance(d, UUID) else d)
                for item, d in self.decided]


class BookingGroups:
    """Commits the groups of bookings the committer's queues take: lock, load, decide, save."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner

    def commit(self, _shard: int, drain: Drain[BookRequest]) -> Answers:
        """Lock the events queued; take their bookings; decide each; append all in one save;
        wake the projections; each request's answer, for the queue to deliver."""
        runner = self.runner
        events = list(dict.fromkeys(r.event_id for r in drain.pending()))
        locked = set(events)

        def ours(r: BookRequest) -> bool:
            return r.event_id in locked

        try:
            with runner.locks.hold_all(events):
                # Everything queued for these events by now, also what came while waiting.
                answers = self._decide_all(drain(ours))
        except BaseException:
            if not drain.drained:  # the lock failed: these events' requests hear it, no other
                drain(ours)
            raise
        # Once per group, outside the locks and before anyone is answered (embedded: the
        # projections run here, so each answer finds its booking in the read tables).
        runner.wake(max((a.position for _, a in answers
                       if isinstance(a, Outcome) and a.position is not None), default=None))
        return answers

    def _decide_all(self, group: list[Pending[BookRequest]]) -> Answers:
        """Every request's outcome or refusal: all events' bookings saved in one transaction."""
        runner = self.runner
        by_event: dict[UUID, list[Pending[BookRequest]]] = {}
        for item in group:
            by_event.setdefault(item.payload.event_id, []).append(item)
        answers: Answers = []
        units: list[Unit] = []
        try:
            for event_id, event in runner.cache.take_all(list(by_event)).items():
                if isinstance(event, DomainError):  # e.g. no such event
                    answers += [(item, event) for item in by_event[event_id]]
                else:
                    units.append(self._decide(event, by_event[event_id], careful=False))
            saved = self._save(units)
        except BaseException:
            for unit in units:  # nothing saved: only the unchanged stay warm
                if unit.event.version == unit.version:
                    runner.cache.keep(unit.event)
            raise
        for unit, positions in zip(units, saved, strict=True):
            if positions is None:  # its stream conflicted: decided anew, on fresh state
                items = [item for item, _ in unit.decided]
                try:
                    answers += self._retry_alone(unit.event.id, items)
                except Exception as exc:  # its own requests' answer: the others are saved
                    answers += [(item, exc) for item in items]
            else:
                runner.cache.keep(unit.event)
                answers += unit.answers(positions)
        return answers

    def _save(self, units: list[Unit]) -> list[dict[UUID, int] | None]:
        """Save the units' bookings; per unit, its positions (None: its stream conflicted)."""
        changed = [[u.event, *u.refs] for u in units if u.refs]
        saved = iter(self.runner.store.append_units(changed) if changed else [])
        return [next(saved) if u.refs else {} for u in units]

    def _retry_alone(self, event_id: UUID, items: list[Pending[BookRequest]]) -> Answers:
        answers: Answers = self.runner.retry_on_conflict(
            lambda _n: self._decide_alone(event_id, items), tried=1)  # the group's save
        return answers

    def _decide_alone(self, event_id: UUID, items: list[Pending[BookRequest]]) -> Answers:
        """One event's bookings decided carefully on fresh state and saved on their own."""
        runner = self.runner
        event = runner.aggregate(event_id)
        with runner.cache.cooling(event):
            unit = self._decide(event, items, careful=True)
            [positions] = self._save([unit])
            if positions is None:
                raise IntegrityError("another writer got in again")  # `retry_on_conflict`
        runner.cache.keep(event)
        return unit.answers(positions)

    def _decide(self, event: Event, items: list[Pending[BookRequest]], *,
                careful: bool) -> Unit:
        """Each request's booking or hold id (to save), replayed outcome or refusal, on `event`.

        `careful` (a retry) looks every keyed request up in the store first: the usual path
        relies on the store's uniqueness (a key used before collides on its `BookingRef` or
        `ClaimRef`, which sends the group here), since a warm aggregate holds no booking ids.
        """
        unit = Unit(event, event.version)
        fresh: dict[UUID, Any] = {}  # the refs and claims decided here, by id
        for item in items:
            r = item.payload
            try:
                earlier = self._earlier(event, r, fresh, careful=careful)
                if earlier is not None:
                    unit.decided.append((item, earlier))
                    continue
                made, view = self._apply(event, r)
            except DomainError as exc:
                unit.decided.append((item, exc))
                continue
            fresh[made.id] = made
            unit.refs.append(made)
            unit.views[made.id] = view
            unit.decided.append((item, made.id))
        return unit

    def _earlier(self, event: Event, r: BookRequest, fresh: dict[UUID, Any], *,
                 careful: bool) -> Outcome | None:
        """The answer a retry gets (the first booking or hold of its key, the booking a hold
        became); None: decide it."""
        store = self.runner.store
        if r.kind == BOOK:
            return earlier_booking(event, r.booking_id, r.digest, in_group=fresh,
                                   careful=careful, find_ref=store.find_ref) if r.keyed else None
        if r.kind == HOLD:
            return earlier_hold(event, r, in_group=fresh, careful=careful,
                                find_claim=store.find_claim, find_ref=store.find_ref,
                                now=self.runner.clock()) if r.keyed else None
        if r.claim is None or str(r.claim.id) in event.holds:  # a confirmation still to do
            return None
        first = fresh.get(r.booking_id) or store.find_ref(r.booking_id)
        return Outcome(booking_view(first), None, replayed=True) if first is not None else None

    def _apply(self, event: Event, r: BookRequest) -> tuple[Any, dict[str, Any]]:
        """Let the aggregate decide one request: what it made to save, and its answer. A
        refusal must leave the aggregate unchanged."""
        before = len(event.pending_events)
        now = self.runner.clock()
        try:
            if r.kind == BOOK:
                event.book(booking_id=r.booking_id, user_id=r.user_id, user_name=r.user_name,
                           category=r.category, quantity=r.quantity,
                           ticket_codes=list(r.ticket_codes), now=now)
                ref = registered(event.pending_events[-1], event.id, r.digest)
                return ref, booking_view(ref)
            if r.kind == HOLD:
                state = event.hold(hold_id=r.booking_id, user_id=r.user_id,
                                   user_name=r.user_name, category=r.category,
                                   quantity=r.quantity, now=now)
                claim = hold_claim(event.pending_events[-1], event.id, r.digest)
                return claim, hold_view(claim, event.id, state, status=HOLD_ACTIVE)
            if r.claim is None:
                raise ValueError("a confirmation names its hold's claim")
            held = event.holds.get(str(r.claim.id))
            codes = [book_request.new_ticket_code() for _ in range(held["quantity"] if held else 0)]
            event.confirm_hold(r.claim, booking_id=r.booking_id, ticket_codes=codes, by=r.actor,
                               now=now)
            ref = registered(event.pending_events[-1], event.id, r.claim.fingerprint)
            return ref, booking_view(ref)
        except DomainError:
            if len(event.pending_events) != before:  # the aggregate must check first
                raise RuntimeError("a refused request changed the aggregate") from None
            raise
