"""A large snapshot is taken in a child process, which hands its memory back when it exits."""

from types import SimpleNamespace
from uuid import uuid4

import pytest

from commands.store.snapshots import COUNTS, RECORDS
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


def test_a_small_snapshot_and_every_counts_one_are_taken_in_the_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    taken: list[tuple[int, str]] = []

    def snapshot_at(_: object, version: int, kind: str) -> bool:
        taken.append((version, kind))
        return True

    ledger = SimpleNamespace(snapshot_at=snapshot_at)
    monkeypatch.setattr(snapshots, "get_ledger", lambda: ledger)
    small, large = snapshots.IN_CHILD_FROM_VERSION - 1, snapshots.IN_CHILD_FROM_VERSION * 100
    assert snapshots.take(uuid4(), small) is True
    assert snapshots.take(uuid4(), large, COUNTS) is True  # small however large the event
    assert taken == [(small, RECORDS), (large, COUNTS)]
