"""Ownership: given past events, when a transfer or co-organizer command, then events or error."""

from collections.abc import Callable
from typing import Any

import pytest

from commands.domain import organizers
from commands.domain.actor import Actor
from commands.domain.chain import document, payload
from commands.domain.errors import Forbidden, NotFound, RuleBroken
from commands.domain.event import Event
from tests.commands.given import NOW, given, new_event, new_events, state

ANN, BEN, CAT = "ann-id", "ben-id", "cat-id"
ADMIN = Actor("admin-id", admin=True)


def owned(*co_organizers: str) -> Event:
    """Ann's event, with these co-organizers (added by an admin), rebuilt from its stream."""
    event = new_event(organizer_id=ANN, organizer_name="Ann")
    for user in co_organizers:
        event.add_co_organizer(user_id=user, user_name=user.title(), by=ADMIN)
    return given(event)


def test_the_created_event_carries_its_organizer() -> None:
    [created] = new_events(new_event(organizer_id=ANN, organizer_name="Ann"))
    assert (created.organizer_id, created.organizer_name) == (ANN, "Ann")
    assert payload(created)["organizer_id"] == ANN  # so the hash covers it


def test_a_transfer_moves_the_rights_at_its_version() -> None:
    event = owned()
    event.transfer(organizer_id=BEN, organizer_name="Ben", by=ADMIN, now=NOW)

    [moved] = new_events(event)
    assert isinstance(moved, Event.OrganizerTransferred)
    assert (moved.previous_organizer_id, moved.organizer_id, moved.by) == (ANN, BEN, "admin-id")
    assert organizers.may_manage(event, BEN) and not organizers.may_manage(event, ANN)


def test_a_transfer_to_the_organizer_is_refused() -> None:
    event = owned()
    before = state(event)
    with pytest.raises(RuleBroken) as refusal:
        event.transfer(organizer_id=ANN, organizer_name="Ann", by=ADMIN, now=NOW)
    assert refusal.value.code == "ALREADY_ORGANIZER"
    assert new_events(event) == [] and state(event) == before


def test_a_co_organizer_added_by_an_admin_runs_it_until_removed() -> None:
    event = owned()
    event.add_co_organizer(user_id=BEN, user_name="Ben", by=ADMIN)
    [added] = new_events(event)
    assert isinstance(added, Event.CoOrganizerAdded)
    assert (added.user_id, added.user_name, added.by) == (BEN, "Ben", "admin-id")
    event = owned(BEN)  # the stream alone says who runs it
    assert organizers.may_manage(event, BEN)
    organizers.require_manager(event, Actor(BEN))

    event.remove_co_organizer(user_id=BEN, by=Actor(ANN))
    [removed] = new_events(event)
    assert isinstance(removed, Event.CoOrganizerRemoved)
    assert not organizers.may_manage(event, BEN)
    with pytest.raises(Forbidden) as refusal:
        organizers.require_manager(event, Actor(BEN))
    assert refusal.value.code == "NOT_EVENT_ORGANIZER"


@pytest.mark.parametrize(("user", "code"), [(ANN, "ALREADY_ORGANIZER"),
                                            (BEN, "ALREADY_CO_ORGANIZER")])
def test_adding_someone_who_runs_it_already_is_refused(user: str, code: str) -> None:
    event = owned(BEN)
    before = state(event)
    with pytest.raises(RuleBroken) as refusal:
        event.add_co_organizer(user_id=user, user_name="X", by=Actor(ANN))
    assert refusal.value.code == code
    assert new_events(event) == [] and state(event) == before


def test_the_organizer_cannot_be_removed_and_a_stranger_is_not_found() -> None:
    event = owned()
    with pytest.raises(RuleBroken) as refusal:
        event.remove_co_organizer(user_id=ANN, by=Actor(ANN))
    assert refusal.value.code == "IS_ORGANIZER"
    with pytest.raises(NotFound) as missing:
        event.remove_co_organizer(user_id=CAT, by=Actor(ANN))
    assert missing.value.code == "CO_ORGANIZER_NOT_FOUND"
    assert new_events(event) == []


def test_a_co_organizer_made_organizer_holds_one_role() -> None:
    event = new_event(organizer_id=ANN, organizer_name="Ann")
    event.add_co_organizer(user_id=BEN, user_name="Ben", by=ADMIN)
    event.transfer(organizer_id=BEN, organizer_name="Ben", by=Actor(ANN), now=NOW)
    event = given(event)
    assert (event.organizer_id, event.co_organizers) == (BEN, {})


def test_admins_run_every_event_and_strangers_none() -> None:
    event = owned()
    organizers.require_manager(event, ADMIN)
    organizers.require_manager(event, Actor(ANN))
    with pytest.raises(Forbidden):
        organizers.require_manager(event, Actor(CAT))
    unowned = given(new_event())
    with pytest.raises(Forbidden):  # recorded before organizers: admins only
        organizers.require_manager(unowned, Actor(ANN))


def test_an_event_recorded_before_organizers_upcasts_to_unowned_and_keeps_its_hash() -> None:
    [created] = new_events(new_event())
    fields = dict(vars(created))
    chain = fields["chain"]
    fields.pop("organizer_id"), fields.pop("organizer_name")  # as version 1 stored it
    doc_v1 = dict(fields)
    Event.Created.upcast_v1_v2(doc_v1)
    old = object.__new__(Event.Created)
    object.__setattr__(old, "__dict__", doc_v1)
    assert (old.organizer_id, old.organizer_name) == (None, None)
    assert "organizer_id" not in payload(old)  # what was recorded, and what was hashed
    assert document(old)["payload"] == {k: v for k, v in payload(created).items()
                                        if k not in ("organizer_id", "organizer_name")}
    assert isinstance(chain, str)


def test_a_snapshot_taken_before_organizers_upcasts_to_unowned() -> None:
    state_v1: dict[str, Any] = {"name": "Old"}
    Event.upcast_v1_v2(state_v1)
    assert state_v1 == {"name": "Old", "organizer_id": None, "organizer_name": None,
                        "co_organizers": {}}


def test_a_snapshot_taken_before_invitations_upcasts_to_none_pending() -> None:
    state_v2: dict[str, Any] = {"name": "Old", "co_organizers": {BEN: "Ben"}}
    Event.upcast_v2_v3(state_v2)
    assert state_v2 == {"name": "Old", "co_organizers": {BEN: "Ben"}, "invited": {}}


@pytest.mark.parametrize("actor", [Actor(ANN), ADMIN, None])
def test_the_organizer_and_admins_own_the_event(actor: Actor | None) -> None:
    organizers.require_owner(owned(BEN), actor)


@pytest.mark.parametrize(("actor", "code"), [(Actor(BEN), "NOT_EVENT_OWNER"),
                                             (Actor(CAT), "NOT_EVENT_ORGANIZER")])
def test_a_co_organizer_or_a_stranger_does_not_own_it(actor: Actor, code: str) -> None:
    event = owned(BEN)
    with pytest.raises(Forbidden) as refusal:
        organizers.require_owner(event, actor)
    assert refusal.value.code == code


def test_a_co_organizer_changes_neither_co_organizers_nor_the_organizer() -> None:
    event = owned(BEN, CAT)
    before = state(event)
    attempts: list[Callable[[], None]] = [
        lambda: event.add_co_organizer(user_id="dan-id", user_name="Dan", by=Actor(BEN)),
        lambda: event.remove_co_organizer(user_id=CAT, by=Actor(BEN)),
        lambda: event.transfer(organizer_id=BEN, organizer_name="Ben", by=Actor(BEN), now=NOW)]
    for attempt in attempts:
        with pytest.raises(Forbidden) as refusal:
            attempt()
        assert refusal.value.code == "NOT_EVENT_OWNER"
    assert new_events(event) == [] and state(event) == before


def test_a_co_organizer_steps_down_on_their_own() -> None:
    event = owned(BEN)
    event.remove_co_organizer(user_id=BEN, by=Actor(BEN))
    [removed] = new_events(event)
    assert isinstance(removed, Event.CoOrganizerRemoved) and removed.by == BEN
    assert not organizers.may_manage(event, BEN)


def test_the_organizer_hands_the_event_only_to_a_co_organizer() -> None:
    event = owned(BEN)
    with pytest.raises(RuleBroken) as refusal:
        event.transfer(organizer_id=CAT, organizer_name="Cat", by=Actor(ANN), now=NOW)
    assert refusal.value.code == "NOT_A_CO_ORGANIZER"
    event.transfer(organizer_id=BEN, organizer_name="Ben", by=Actor(ANN), now=NOW)
    [moved] = new_events(event)
    assert isinstance(moved, Event.OrganizerTransferred) and moved.by == ANN


def test_the_organizers_choice_is_an_invitation_that_grants_nothing_until_accepted() -> None:
    event = new_event(organizer_id=ANN, organizer_name="Ann")
    event.add_co_organizer(user_id=BEN, user_name="Ben", by=Actor(ANN))
    invited = event.pending_events[-1]
    assert isinstance(invited, Event.CoOrganizerInvited)
    assert (invited.user_id, invited.user_name, invited.by) == (BEN, "Ben", ANN)
    assert event.invited == {BEN: "Ben"} and event.co_organizers == {}
    assert not organizers.may_manage(event, BEN)
    with pytest.raises(Forbidden):
        organizers.require_manager(event, Actor(BEN))
    with pytest.raises(RuleBroken) as again:
        event.add_co_organizer(user_id=BEN, user_name="Ben", by=Actor(ANN))
    assert again.value.code == "ALREADY_INVITED"

    with pytest.raises(NotFound) as stranger:
        event.accept_invitation(by=Actor(CAT))
    assert stranger.value.code == "INVITATION_NOT_FOUND"
    event.accept_invitation(by=Actor(BEN))
    assert isinstance(event.pending_events[-1], Event.CoOrganizerAccepted)
    event = given(event)  # the stream alone says who runs it
    assert event.co_organizers == {BEN: "Ben"} and event.invited == {}
    organizers.require_manager(event, Actor(BEN))


@pytest.mark.parametrize("ending", ["declined", "withdrawn", "added by an admin"])
def test_an_invitation_ends_once_whichever_way(ending: str) -> None:
    event = new_event(organizer_id=ANN, organizer_name="Ann")
    event.add_co_organizer(user_id=BEN, user_name="Ben", by=Actor(ANN))
    if ending == "declined":
        event.decline_invitation(by=Actor(BEN))
    elif ending == "withdrawn":
        event.remove_co_organizer(user_id=BEN, by=Actor(ANN))
    else:
        event.add_co_organizer(user_id=BEN, user_name="Ben", by=ADMIN)
    event = given(event)
    assert event.invited == {}
    assert organizers.may_manage(event, BEN) == (ending == "added by an admin")
    with pytest.raises(NotFound):
        event.accept_invitation(by=Actor(BEN))
