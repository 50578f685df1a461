"""Requests for seats committed in groups across events: locked, loaded, decided one by one,
saved in one append. A booking (`booking.SeatRequest`), a hold and its confirmation
(`holds.HoldRequest`, `holds.ConfirmRequest`) each decide themselves on their event's
aggregate (`seat_requests.SeatRequest`); the group never asks which kind it holds.

The committer's queues (`commands.store.group_commit`) hand a group here: every event queued
in a shard, so one event's requests always meet, and a spread load's requests for many events
meet too. A commit locks the events queued (in one round trip on PostgreSQL), brings their warm
aggregates up to date (one read), lets each request decide on its event's aggregate, appends
all of them in one transaction (one round trip and one WAL flush, whatever the events), wakes
the projections once and answers each request on its own.

Each stream's version check still decides for its own requests: when the group's save
conflicts (another writer got in, or a key was used on another event meanwhile), each event's
requests are saved alone, and only the streams that conflict again are decided anew, on fresh
state, by the runner's bounded retries (`commands.application.runner`).
"""

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from commands.application.runner import CommandRunner
from commands.application.seat_requests import Lookups, Made, SeatRequest
from commands.application.views import Outcome
from commands.domain.errors import DomainError
from commands.domain.event import Event
from commands.store.group_commit import Drain, Pending
from core.metrics import COMMIT_EVENTS, COMMIT_REQUESTS

MAX_GROUP = 256  # bookings per save: bounds one transaction and the wait of the last in line
Answers = list[tuple[Pending[SeatRequest], Outcome | Exception]]
Decided = list[tuple[Pending[SeatRequest], "UUID | Outcome | DomainError"]]


@dataclass
class Unit:
    """One event's part of a group: its requests decided on its aggregate, not yet saved."""

    event: Event
    version: int  # the aggregate's version before the group (exact again if nothing is saved)
    decided: Decided = field(default_factory=list)  # what it made (id), replay or refusal
    made: list[Made] = field(default_factory=list)  # the bookings' and claims' streams
    views: dict[UUID, dict[str, Any]] = field(default_factory=dict)  # their answers, by id

    def answers(self, positions: dict[UUID, int]) -> Answers:
        return [(item, Outcome(self.views[d], positions.get(d)) if isinstance(d, UUID) else d)
                for item, d in self.decided]


class RequestGroups:
    """Commits the groups of requests the committer's queues take: lock, load, decide, save."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner

    def commit(self, _shard: int, drain: Drain[SeatRequest]) -> Answers:
        """Lock the events queued; take their bookings; decide each; append all in one save;
        wake the projections; each request's answer, for the queue to deliver."""
        runner = self.runner
        events = list(dict.fromkeys(r.event_id for r in drain.pending()))
        locked = set(events)

        def ours(r: SeatRequest) -> bool:
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

    def _decide_all(self, group: list[Pending[SeatRequest]]) -> Answers:
        """Every request's outcome or refusal: all events' bookings saved in one transaction."""
        runner = self.runner
        by_event: dict[UUID, list[Pending[SeatRequest]]] = {}
        for item in group:
            by_event.setdefault(item.payload.event_id, []).append(item)
        COMMIT_REQUESTS.observe(len(group))
        COMMIT_EVENTS.observe(len(by_event))
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
        changed = [[u.event, *u.made] for u in units if u.made]
        saved = iter(self.runner.store.append_units(changed) if changed else [])
        return [next(saved) if u.made else {} for u in units]

    def _retry_alone(self, event_id: UUID, items: list[Pending[SeatRequest]]) -> Answers:
        answers: Answers = self.runner.retry_on_conflict(
            lambda _n: self._decide_alone(event_id, items), tried=1)  # the group's save
        return answers

    def _decide_alone(self, event_id: UUID, items: list[Pending[SeatRequest]]) -> Answers:
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

    def _decide(self, event: Event, items: list[Pending[SeatRequest]], *,
                careful: bool) -> Unit:
        """Each request's made stream (to save), replayed outcome or refusal, on `event`.

        `careful` (a retry) has every keyed request look its first answer up in the store: the
        usual path relies on the store's uniqueness (a key used before collides on its
        booking's or claim's stream, which sends the group here), since a warm aggregate holds
        no booking ids.
        """
        runner = self.runner
        unit = Unit(event, event.version)
        look = Lookups(find_ref=runner.store.find_ref, find_claim=runner.store.find_claim,
                       now=runner.clock(), made_in_group={}, careful=careful)
        for item in items:
            r = item.payload
            before = len(event.pending_events)
            try:
                earlier = r.earlier(event, look)
                if earlier is not None:
                    unit.decided.append((item, earlier))
                    continue
                made, view = r.decide(event, look)
            except DomainError as exc:
                if len(event.pending_events) != before:  # the aggregate must check first
                    raise RuntimeError("a refused request changed the aggregate") from None
                unit.decided.append((item, exc))
                continue
            look.made_in_group[made.id] = made
            unit.made.append(made)
            unit.views[made.id] = view
            unit.decided.append((item, made.id))
        return unit
