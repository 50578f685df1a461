"""How a sealed field is stored: the library's transcoder extension point, registered on the
write side's and the read side's transcoders alike.

Encoding writes what the value holds, never opening it: a loaded event encoded again (a
snapshot, a copy) writes the same bytes, so neither the chain hash nor a snapshot's seal
changes, and no load, replay or time travel needs a key.
"""

from typing import Any

from eventsourcing.persistence import Transcoding

from core.lru import Lru
from core.personal import Personal

KEPT = 50_000  # decoded values per transcoder: a sealed name, shared by its bookings


class PersonalAsSealed(Transcoding):
    """`{"person", "sealed"}` as written by `Personal.plain`; decoded once per value: the
    bookings of one buyer, loaded from the store, share one `Personal` as they share one string
    for their id (`commands.domain.records`)."""

    type = Personal
    name = "personal"

    def __init__(self) -> None:
        self.kept: Lru[tuple[str, ...], Personal] = Lru(KEPT)

    def encode(self, obj: Personal) -> dict[str, str]:
        return obj.plain()

    def decode(self, data: dict[str, Any]) -> Personal:
        key = tuple(data.values())
        found = self.kept.get(key)
        if found is None:
            found = Personal.from_plain(data)
            self.kept.put(key, found)
        return found
