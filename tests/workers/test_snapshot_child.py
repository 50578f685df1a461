"""A large snapshot is taken in a child process, which hands its memory back when it exits."""

from types import SimpleNamespace
from uuid import uuid4

import pytest

from tests.commands.store.test_group_commit import new_event
from tests.fixtures.ledgers import LedgerFactory
from workers import snapshots


def not_here() -> None:
    raise AssertionError("taken in the worker's own process")


def test_a_large_snapshot_is_taken_and_stored_by_a_child_process(
    make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id = new_event(make_ledger(), seats=5)
    monkeypatch.setattr(snapshots, "IN_CHILD_FROM_VERSION", 1)
    monkeypatch.setattr(snapshots, "get_ledger", not_here)  # the spawned child imports its own
    assert snapshots.take(event_id, 1) is True
    assert snapshots.take(event_id, 1) is False  # the child found it stored already


def test_a_small_snapshot_is_taken_in_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[int] = []

    def snapshot_at(_: object, version: int) -> bool:
        taken.append(version)
        return True

    ledger = SimpleNamespace(snapshot_at=snapshot_at)
    monkeypatch.setattr(snapshots, "get_ledger", lambda: ledger)
    assert snapshots.take(uuid4(), snapshots.IN_CHILD_FROM_VERSION - 1) is True
    assert taken == [snapshots.IN_CHILD_FROM_VERSION - 1]
