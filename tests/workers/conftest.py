"""What the workers' tests share: ledgers on one store, as several schedulers have them."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from commands.ledger import Ledger
from core.settings import Settings
from workers import tasks


@pytest.fixture
def ledgers(any_settings: Settings) -> Iterator[Callable[..., Ledger]]:
    """Ledgers on one store, each as another process's scheduler would have it (its own locks
    and warm aggregates), their commits projected at once."""
    made: list[Ledger] = []

    def make(clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Ledger:
        ledger = Ledger(any_settings, clock=clock, on_commit=tasks.wake)
        made.append(ledger)
        return ledger

    yield make
    for ledger in made:
        ledger.close()
