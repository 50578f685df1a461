"""TRANSITIONAL (removed once the Merkle and chaos work moves to `core.eventlog`)."""

from collections.abc import Sequence
from typing import Any


def head(ledger: Any, after: int = 0) -> int:
    return int(ledger.eventlog.head(after))


def read(ledger: Any, after: int, limit: int, upto: int | None = None) -> Sequence[Any]:
    found: Sequence[Any] = ledger.eventlog.read(after, limit, upto)
    return found
