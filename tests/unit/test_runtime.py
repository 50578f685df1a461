"""The long-running processes freeze their startup objects and collect young objects rarely."""

import gc
from collections.abc import Iterator

import pytest

from core.runtime import YOUNG_THRESHOLD, tune_gc


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restored_gc")
def test_startup_objects_are_frozen_and_young_collections_are_rare() -> None:
    made_at_startup = [object(), {"a": []}]
    tune_gc()
    assert gc.get_freeze_count() > 0
    assert not any(o is made_at_startup for o in gc.get_objects())  # in no generation now
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
