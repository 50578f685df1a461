"""Ownership: given past events, when a transfer or co-organizer command, then events or error."""

from typing import Any

import pytest

from commands.aggregate import Event
from commands.chain import document, payload
from commands.errors import Forbidden, NotFound, RuleBroken
from commands.ownership import Actor, require_manager
from tests.unit.given import NOW, given, new_event, new_events, state

ANN, BEN, CAT = "ann-id", "ben-id", "cat-id"


def owned(*co_organizers: str) -> Event:
    """Ann's event, with these co-organizers added, rebuilt from its stream."""
    event = new_event(organizer_id=ANN, organizer_name="Ann")
    for user in co_organizers:
        event.add_co_organizer(user_id=user, user_name=user.title(), by=ANN)
    return given(event)


def test_the_created_event_carries_its_organizer() -> None:
    [created] = new_events(new_event(organizer_id=ANN, organizer_name="Ann"))
    assert (created.organizer_id, created.organizer_name) == (ANN, "Ann")
    assert payload(created)["organizer_id"] == ANN  # so the hash covers it


def test_a_transfer_moves_the_rights_at_its_version() -> None:
    event = owned()
    event.transfer(organizer_id=BEN, organizer_name="Ben", by="admin-id", now=NOW)

    [moved] = new_events(event)
    assert isinstance(moved, Event.OrganizerTransferred)
    assert (moved.previous_organizer_id, moved.organizer_id, moved.by) == (ANN, BEN, "admin-id")
    assert event.may_manage(BEN) and not event.may_manage(ANN)


def test_a_transfer_to_the_organizer_is_refused() -> None:
    event = owned()
    before = state(event)
    with pytest.raises(RuleBroken) as refusal:
        event.transfer(organizer_id=ANN, organizer_name="Ann", by="admin-id", now=NOW)
    assert refusal.value.code == "ALREADY_ORGANIZER"
    assert new_events(event) == [] and state(event) == before


def test_a_co_organizer_gets_the_same_rights_until_removed() -> None:
    event = owned()
    event.add_co_organizer(user_id=BEN, user_name="Ben", by=ANN)
    [added] = new_events(event)
    assert isinstance(added, Event.CoOrganizerAdded)
    assert (added.user_id, added.user_name, added.by) == (BEN, "Ben", ANN)
    event = owned(BEN)  # the stream alone says who runs it
    assert event.may_manage(BEN)
    require_manager(event, Actor(BEN))

    event.remove_co_organizer(user_id=BEN, by=ANN)
    [removed] = new_events(event)
    assert isinstance(removed, Event.CoOrganizerRemoved)
    assert not event.may_manage(BEN)
    with pytest.raises(Forbidden) as refusal:
        require_manager(event, Actor(BEN))
    assert refusal.value.code == "NOT_EVENT_ORGANIZER"


@pytest.mark.parametrize(("user", "code"), [(ANN, "ALREADY_ORGANIZER"),
                                            (BEN, "ALREADY_CO_ORGANIZER")])
def test_adding_someone_who_runs_it_already_is_refused(user: str, code: str) -> None:
    event = owned(BEN)
    before = state(event)
    with pytest.raises(RuleBroken) as refusal:
        event.add_co_organizer(user_id=user, user_name="X", by=ANN)
    assert refusal.value.code == code
    assert new_events(event) == [] and state(event) == before


def test_the_organizer_cannot_be_removed_and_a_stranger_is_not_found() -> None:
    event = owned()
    with pytest.raises(RuleBroken) as refusal:
        event.remove_co_organizer(user_id=ANN, by=ANN)
    assert refusal.value.code == "IS_ORGANIZER"
    with pytest.raises(NotFound) as missing:
        event.remove_co_organizer(user_id=CAT, by=ANN)
    assert missing.value.code == "CO_ORGANIZER_NOT_FOUND"
    assert new_events(event) == []


def test_a_co_organizer_made_organizer_holds_one_role() -> None:
    event = new_event(organizer_id=ANN, organizer_name="Ann")
    event.add_co_organizer(user_id=BEN, user_name="Ben", by=ANN)
    event.transfer(organizer_id=BEN, organizer_name="Ben", by="admin-id", now=NOW)
    event = given(event)
    assert (event.organizer_id, event.co_organizers) == (BEN, {})


def test_admins_run_every_event_and_strangers_none() -> None:
    event = owned()
    require_manager(event, Actor("admin-id", admin=True))
    require_manager(event, Actor(ANN))
    with pytest.raises(Forbidden):
        require_manager(event, Actor(CAT))
    unowned = given(new_event())
    with pytest.raises(Forbidden):  # recorded before organizers: admins only
        require_manager(unowned, Actor(ANN))


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
