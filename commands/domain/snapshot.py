"""An event's snapshot as stored: the state at a version with its stream's chain hash there
(checked on load), and the upcasters that bring a snapshot taken by an older version of the
`Event` aggregate up to this one (the library calls `Event.upcast_vN_vN+1` in turn).
"""

from typing import Any

from eventsourcing.domain import Snapshot as LibrarySnapshot

from commands.domain import checkout, events

# A v5 snapshot's names of the counts and the waitlist, and v6's (`upcast_v5_v6`).
RENAMED_IN_V6 = {"held": "booked_by_user", "holding": "held_by_user",
                 "placed": "waited_for_by_user", "on_hold": "held_by_category",
                 "waiting": "waited_for_by_category", "line": "waitlist",
                 "lapsed": "may_hold_again_at"}
# A v8 snapshot's names of the seats its waitlists wait for, and v9's (`upcast_v8_v9`).
RENAMED_IN_V9 = {"waited_for_by_category": "waitlisted_by_category",
                 "waited_for_by_user": "waitlisted_by_user"}


class EventSnapshot(LibrarySnapshot):
    """The state at a version, and the stream's chain hash there (checked on load)."""

    TOPIC = f"{events.STORED_AS}.Snapshot"
    chain: str | None = None

    @classmethod
    def take(cls, aggregate: Any) -> "EventSnapshot":
        taken = super().take(aggregate)
        object.__setattr__(taken, "chain", getattr(aggregate, "chain_head", None))
        return taken

    @classmethod
    def take_counts(cls, aggregate: Any) -> "EventSnapshot":
        """The state without its booking records, as the write side's warm copy holds it
        (`Event.forget_bookings`): what a command decides on, its size that of the counts."""
        taken = cls.take(aggregate)
        taken.state.update(bookings={}, ticket_index={}, keeps_records=False)
        return taken


def upcast_v1_v2(state: dict[str, Any]) -> None:
    """A snapshot taken before organizers: unowned, as its Created event upcasts."""
    state["organizer_id"] = state["organizer_name"] = None
    state["co_organizers"] = {}


def upcast_v2_v3(state: dict[str, Any]) -> None:
    """A snapshot taken before invitations: none pending."""
    state["invited"] = {}


def upcast_v3_v4(state: dict[str, Any]) -> None:
    """A snapshot taken before holds and waitlists: none, the default hold length."""
    state["hold_seconds"] = None
    state["holds"], state["on_hold"], state["holding"] = {}, {}, {}
    state["line"], state["waiting"] = {}, {}


def upcast_v4_v5(state: dict[str, Any]) -> None:
    """A snapshot taken before places counted toward a buyer's seats: counted from its
    waitlist; no lapsed hold known (a buyer may hold again at once)."""
    placed: dict[str, int] = {}
    for place in state.get("line", {}).values():
        placed[place["user_id"]] = placed.get(place["user_id"], 0) + place["quantity"]
    state["placed"], state["lapsed"] = placed, {}


def upcast_v5_v6(state: dict[str, Any]) -> None:
    """A snapshot taken before the counts were named for what they count: renamed; its
    lapses pruned from then on as any."""
    for old, new in RENAMED_IN_V6.items():
        state[new] = state.pop(old)
    state["lapses_kept"] = checkout.MIN_LAPSES_KEPT


def upcast_v6_v7(state: dict[str, Any]) -> None:
    """A snapshot taken before venue time zones, drafts and scheduled publication: UTC and
    published, as its Created event decodes."""
    state["timezone"] = events.DEFAULT_TIMEZONE
    state["published"] = True
    state["publish_at"] = None


def upcast_v7_v8(state: dict[str, Any]) -> None:
    """A snapshot taken before events chose their payment methods: every one, as an event
    that never chose."""
    state["payment_methods"] = None


def upcast_v8_v9(state: dict[str, Any]) -> None:
    """A snapshot taken before the seats a waitlist waits for were called waitlisted, as the
    API calls them: renamed."""
    for old, new in RENAMED_IN_V9.items():
        state[new] = state.pop(old)


def upcast_v9_v10(state: dict[str, Any]) -> None:
    """A snapshot taken before a buyer's first release was free: none released so."""
    state["released_freely"] = {}


def upcast_v11_v12(state: dict[str, Any]) -> None:
    """A snapshot taken before taxes: none set."""
    state["tax_rules"] = {}


def upcast_v12_v13(state: dict[str, Any]) -> None:
    """A snapshot taken before events were named per language: none given."""
    state["translations"] = {}


def upcast_v10_v11(state: dict[str, Any]) -> None:
    """A snapshot taken before vouchers: none made, none used."""
    state["vouchers"] = {}
    state["voucher_uses"] = {}
