"""Partitions of the read models' catch-up: which streams each holds, and its tracking row.

A read model's catch-up is split by stream in `n` partitions (PROJECTION_PARTITIONS): a
stream's partition is its id's last byte mod n, the split the rebuild's parallel fill uses.
Each partition has its own tracking row, whose position is a global one: the partition has
applied every event of its streams up to it, and it moves past events of other partitions
without reading them. Every read table's rows of one stream fold from that stream's events
alone (an event's seats, bookings and holds from the event's stream, a payment's row from the
payment's), so the partitions never write the same row out of order, and their tables equal
one advancer's once all reach the same position.

The layout on record, not the setting, decides what a process advances: the tracking rows of
a projection name their partition and count (`availability#2/4`; a projection in one
partition keeps its plain name). A process set for another count follows the record, and
`ledger repartition` (`projections.repartition`) moves the record to the setting.
"""

from collections.abc import Iterable, Mapping
from typing import NamedTuple
from uuid import UUID

SEPARATOR = "#"
STREAM_MARK = "@"


class Part(NamedTuple):
    """Partition `k` of `n`."""

    k: int
    n: int


WHOLE = Part(0, 1)


def unit(name: str, part: Part) -> str:
    """The tracking row of projection `name`'s partition `part`."""
    return name if part.n == 1 else f"{name}{SEPARATOR}{part.k}/{part.n}"


def units(name: str, n: int) -> list[str]:
    """The tracking rows of projection `name` in `n` partitions."""
    return [unit(name, Part(k, n)) for k in range(n)]


def parse(row: str) -> tuple[str, Part]:
    """The projection and partition a tracking row is of (a plain name: the whole log)."""
    name, _, part = row.partition(SEPARATOR)
    if not part:
        return name, WHOLE
    k, _, n = part.partition("/")
    return name, Part(int(k), int(n))


def of_stream(stream_id: UUID, n: int) -> int:
    """The partition holding stream `stream_id` (as SQL: get_byte(uuid_send(id), 15) % n)."""
    return stream_id.bytes[15] % n


def layouts(rows: Iterable[str]) -> dict[str, int]:
    """Each projection's partition count as the tracking rows record it."""
    found: dict[str, int] = {}
    for row in rows:
        name, part = parse(row)
        found[name] = max(found.get(name, 0), part.n)
    return found


def for_stream(name: str, stream_id: UUID) -> str:
    """What a read of projection `name`'s rows of one stream waits for: the partition holding
    that stream, whatever the layout (`position_of`)."""
    return f"{name}{STREAM_MARK}{stream_id.bytes[15]}"


def position_of(positions: Mapping[str, int], name: str) -> int:
    """Where `name` stands among `positions` (`folded`): a projection, a partition, or the
    partition of a stream (`for_stream`) in the layout the rows record."""
    base, mark, byte = name.partition(STREAM_MARK)
    if not mark:
        return positions.get(name, 0)
    prefix = f"{base}{SEPARATOR}"
    for row in positions:
        if row.startswith(prefix):
            n = parse(row)[1].n
            return positions.get(unit(base, Part(int(byte) % n, n)), 0)
    return positions.get(base, 0)


def folded(positions: Mapping[str, int]) -> dict[str, int]:
    """The rows' positions, and each partitioned projection's position under its own name:
    the lowest of its partitions' (every event up to it is applied, whatever its stream)."""
    result = dict(positions)
    lowest: dict[str, int] = {}
    for row, position in positions.items():
        name, part = parse(row)
        if part.n > 1:
            lowest[name] = min(lowest.get(name, position), position)
    result.update(lowest)
    return result
