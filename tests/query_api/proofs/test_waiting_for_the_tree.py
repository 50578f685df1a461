"""A proof waits for the tree to take its event in; caught up with the store, it stops.

The worker commits a batch of leaves together with the tree's position at any moment, so
the order of the two reads decides: a batch landing between "is the leaf there?" and "has the
tree caught up?" must not turn into "caught up, and no leaf" (a false 409 or 404).
"""

import asyncio
from contextlib import nullcontext
from types import SimpleNamespace
from typing import Any, cast

import pytest

from commands.domain.errors import NotFound
from commands.ledger import Ledger
from query_api.proofs import reads, tree_watch
from query_api.service.errors import ApiError


class _Store:
    def __init__(self, last: int) -> None:
        self._last = last

    def last(self) -> int:
        return self._last


def ledger(last: int) -> Ledger:
    """A ledger whose store's last position is `last` (all a wait reads of it)."""
    return cast(Ledger, SimpleNamespace(eventlog=_Store(last)))


class Tree:
    """The tree's position, and how many times a leaf was looked for."""

    def __init__(self, position: int) -> None:
        self.position = position
        self.finds = 0

    def commit_after_first_find(self, leaf: dict[str, Any], to: int) -> Any:
        def find(_: Any) -> dict[str, Any] | None:
            self.finds += 1
            if self.finds == 1:
                self.position = to  # the worker's batch commits right after this find ran
                return None
            return leaf
        return find


@pytest.fixture
def tree(monkeypatch: pytest.MonkeyPatch) -> Tree:
    found = Tree(position=4)
    monkeypatch.setattr(reads, "_tree_position", lambda: found.position)
    monkeypatch.setattr(reads, "read_scope", nullcontext)
    monkeypatch.setattr(tree_watch, "read_tree", lambda: (found.position, 0))
    monkeypatch.setattr(tree_watch, "POLL_SECONDS", 0)
    # A head covers any leaf found: these tests are about finding it.
    monkeypatch.setattr(reads, "inclusion", lambda _ledger, leaf, _size: {"proof_of": leaf})
    monkeypatch.setenv("READ_WAIT_MAX_SECONDS", "60")
    return found


def proof(last: int, find: Any, gap_at: int | None = None) -> Any:
    return asyncio.run(reads.proof(ledger(last), find, None, gap_at))


def test_a_leaf_committed_just_after_the_find_is_found_on_the_next_look(tree: Tree) -> None:
    leaf = {"leaf_index": 4, "position": 5}
    found = proof(5, tree.commit_after_first_find(leaf, to=5))
    assert (found, tree.finds) == ({"proof_of": leaf}, 2)


def test_a_tree_caught_up_with_the_store_stops_the_wait_at_once(tree: Tree) -> None:
    tree.position = 5
    with pytest.raises(ApiError) as raised:
        proof(5, lambda _: None)
    assert (raised.value.status, raised.value.code) == (409, "LEAF_NOT_YET_IN_TREE")


def test_a_position_the_tree_passed_without_a_leaf_is_a_gap(tree: Tree) -> None:
    tree.position = 7
    with pytest.raises(NotFound) as raised:
        proof(7, lambda _: None, gap_at=5)
    assert (raised.value.status, raised.value.code) == (404, "EVENT_NOT_FOUND")


def test_a_position_whose_leaf_lands_during_the_wait_is_no_gap(tree: Tree) -> None:
    leaf = {"leaf_index": 4, "position": 5}
    assert proof(5, tree.commit_after_first_find(leaf, to=5), gap_at=5) == {"proof_of": leaf}
