"""Drafts and venue time zones.

Given an event created as a draft (`published=False`): nothing is sold, held or waited for
on it (409 EVENT_NOT_PUBLISHED) until its organizers or an admin publish it, which records
`EventPublished` once; publishing again records nothing. Every event has its venue's IANA zone,
UTC for one recorded before zones; an unknown zone is refused (INVALID_TIMEZONE).
"""

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from uuid import uuid4

import pytest

from commands.domain import snapshot
from commands.domain.actor import Actor
from commands.domain.errors import Conflict, DomainError, Forbidden
from commands.domain.event import Event
from commands.domain.organizers import require_manager
from tests.commands.given import NOW, STARTS, book, given, new_event, new_events, refused, types

ORGANIZER = Actor("org-1")
STRANGER = Actor("org-2")


def draft(then: Callable[[Event], object] = lambda _: None) -> Event:
    """A draft of ORGANIZER's, after `then` happened to it, with nothing pending."""
    event = new_event(published=False, organizer_id=ORGANIZER.id, organizer_name="Org",
                      timezone="Europe/London")
    then(event)
    return given(event)


class TestADraft:
    def test_refuses_bookings(self) -> None:
        event = draft()
        refused(event, lambda: book(event, "alice"), "EVENT_NOT_PUBLISHED", Conflict)

    def test_refuses_holds(self) -> None:
        event = draft()
        refused(event, lambda: event.hold(hold_id=uuid4(), user_id="alice", user_name="Alice",
                                          quantity=1, now=NOW),
                "EVENT_NOT_PUBLISHED", Conflict)

    def test_refuses_places_on_a_waitlist(self) -> None:
        event = draft()
        refused(event, lambda: event.join_waitlist(place_id=uuid4(), user_id="alice",
                                                   user_name="Alice", category=None,
                                                   quantity=1, now=NOW),
                "EVENT_NOT_PUBLISHED", Conflict)

    def test_published_records_event_published_and_then_sells(self) -> None:
        event = draft()

        assert event.publish(now=NOW, by=ORGANIZER) is True

        recorded = new_events(event)
        assert types(recorded) == ["EventPublished"]
        assert recorded[0].by == ORGANIZER.id
        assert event.published
        book(event, "alice")
        assert event.categories["General"]["sold"] == 1

    def test_publishing_again_records_nothing(self) -> None:
        event = draft(lambda e: e.publish(now=NOW))

        assert event.publish(now=NOW) is False
        assert new_events(event) == []

    def test_cannot_be_published_once_it_started(self) -> None:
        event = draft()
        refused(event, lambda: event.publish(now=STARTS + timedelta(minutes=1)),
                "EVENT_IN_PAST")

    def test_cannot_be_published_once_cancelled(self) -> None:
        event = draft(lambda e: e.cancel(now=NOW, bookings=[]))
        refused(event, lambda: event.publish(now=NOW), "EVENT_CANCELLED")

    def test_is_published_only_by_those_who_run_it(self) -> None:
        # The use case asks `require_manager` before `publish` (`EventCommands.publish`).
        with pytest.raises(Forbidden):
            require_manager(draft(), STRANGER)
        require_manager(draft(), ORGANIZER)

    def test_replays_to_the_same_state(self) -> None:
        event = draft(lambda e: (e.publish(now=NOW), book(e, "alice")))
        assert event.published and event.booked_by_user == {"alice": 1}


class TestAnEventCreatedOnSale:
    def test_is_published_at_once(self) -> None:
        event = new_event()
        assert event.published
        assert new_events(event)[0].published is True


class TestVenueTimeZones:
    def test_the_zone_is_kept_and_changed_with_the_details(self) -> None:
        assert draft().timezone == "Europe/London"

        event = draft(lambda e: e.update_details({"timezone": "America/New_York"}, now=NOW))

        assert event.timezone == "America/New_York"
        assert event.version == 2

    def test_an_unknown_zone_is_refused_on_creation(self) -> None:
        with pytest.raises(DomainError) as refusal:
            new_event(timezone="Mars/Olympus_Mons")
        assert refusal.value.code == "INVALID_TIMEZONE"
        assert "timezone" in str(refusal.value)

    def test_an_unknown_zone_is_refused_on_update(self) -> None:
        event = draft()
        refused(event, lambda: event.update_details({"timezone": "Nowhere"}, now=NOW),
                "INVALID_TIMEZONE", DomainError)

    def test_an_event_recorded_before_zones_and_drafts_decodes_as_utc_and_published(
            self) -> None:
        created = new_events(new_event())[0]
        stored = {k: v for k, v in vars(created).items() if k not in ("timezone", "published")}
        old = object.__new__(type(created))
        old.__dict__.update(stored)  # as the store's mapper decodes a stored event

        event = old.mutate(None)

        assert isinstance(event, Event)
        assert (event.timezone, event.published) == ("UTC", True)
        assert "timezone" not in vars(old)  # not in what its hash covered

    def test_a_snapshot_taken_before_zones_and_drafts_upcasts_to_utc_published_unscheduled(
            self) -> None:
        state: dict[str, object] = {}
        snapshot.upcast_v6_v7(state)
        assert state == {"timezone": "UTC", "published": True, "publish_at": None}


def test_a_draft_scheduled_goes_on_sale_by_itself_when_its_time_comes_and_only_then() -> None:
    event = given(new_event(published=False))
    at = NOW + timedelta(hours=1)

    event.schedule_publication(at, now=NOW)

    [scheduled] = new_events(event)
    assert isinstance(scheduled, Event.PublicationScheduled) and scheduled.publish_at == at
    assert event.publish_when_due(now=at - timedelta(seconds=1)) is False
    assert new_events(event) == []
    assert event.publish_when_due(now=at) is True
    assert types(new_events(event)) == ["EventPublished"] and event.published
    assert event.publish_when_due(now=at + timedelta(minutes=1)) is False  # once


def test_a_publication_is_scheduled_for_a_draft_between_now_and_its_start() -> None:
    draft = given(new_event(published=False))
    for at in (NOW, NOW - timedelta(minutes=1), STARTS, STARTS + timedelta(hours=1)):
        refused(draft, partial(draft.schedule_publication, at, now=NOW), "PUBLISH_AT_INVALID")
    on_sale = given(new_event())
    refused(on_sale, lambda: on_sale.schedule_publication(NOW + timedelta(hours=1), now=NOW),
            "ALREADY_PUBLISHED", Conflict)


def test_a_schedule_withdrawn_leaves_the_draft_to_its_organizers() -> None:
    event = given(new_event(published=False))
    at = NOW + timedelta(hours=1)
    event.schedule_publication(at, now=NOW)
    event.schedule_publication(None, now=NOW)
    event.schedule_publication(None, now=NOW)  # nothing more to withdraw: nothing recorded

    assert [e.publish_at for e in new_events(event)] == [at, None]
    assert event.publish_when_due(now=at) is False and not event.published
    fresh = new_event(published=False)
    fresh.schedule_publication(at, now=NOW)
    assert given(fresh).publish_at == at  # the schedule replays
