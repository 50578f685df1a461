"""An event's vouchers: made one by code or many at once (random codes), and disabled; each
decided on the event's aggregate under its lock, where their uses are decided with the seats."""

import secrets
from collections.abc import Collection
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from commands.application.runner import CommandRunner, Decided
from commands.application.views import Outcome
from commands.domain.actor import Actor
from commands.domain.event import Event
from commands.domain.events import VoucherState
from commands.domain.vouchers import code_of

# Codes a buyer types from a printed card: no 0/O, 1/I/L, 5/S or 2/Z to mistake for another.
ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
RANDOM_LENGTH = 10  # 27^10: about 47 bits, not guessed by trying


def random_codes(count: int, taken: Collection[str], prefix: str = "") -> list[str]:
    """`count` new codes, none of them in `taken`, each `prefix` and random characters."""
    made: set[str] = set()
    while len(made) < count:
        code = prefix + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
        if code not in taken:
            made.add(code)
    return sorted(made)


def voucher_view(code: str, terms: VoucherState, made_at: datetime) -> dict[str, Any]:
    """A voucher just made, as the ledger recorded it: its terms, nothing sold yet."""
    return {"code": code, **terms, "reserve": terms.get("reserve", False),
            "created_at": made_at, "redeemed": 0, "bookings": 0, "revenue": Decimal(0),
            "discounts": Decimal(0)}


class VoucherCommands:
    """Make and disable an event's vouchers (its organizers, an admin)."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner

    def create(self, event_id: UUID, *, codes: list[str] | None = None,  # noqa: PLR0913
               count: int | None = None, prefix: str = "", actor: Actor | None,
               discount: str, value: Decimal, max_uses: int,
               valid_from: datetime | None = None, valid_until: datetime | None = None,
               categories: list[str] | None = None, label: str | None = None,
               reserve: bool = False) -> Outcome:
        """The codes given, or `count` random ones (after `prefix`), on the same terms: the
        vouchers made (`{"vouchers": [...]}`)."""

        def decide(event: Event) -> Decided:
            chosen = codes if codes is not None else random_codes(
                count or 0, event.vouchers, prefix.strip().upper())
            now = self.runner.clock()
            made = event.create_vouchers(
                chosen, by=actor, now=now, discount=discount, value=value,
                max_uses=max_uses, valid_from=valid_from, valid_until=valid_until,
                categories=categories, label=label, reserve=reserve)
            return {"vouchers": [voucher_view(code, event.vouchers[code], now)
                                 for code in made]}, ()

        return self.runner.decide("create_vouchers", event_id, decide)

    def disable(self, event_id: UUID, code: str, actor: Actor | None) -> Outcome:
        """No buyer may use the voucher from now on: its code as kept (position None when it
        was disabled already)."""

        def decide(event: Event) -> Decided:
            event.disable_voucher(code, by=actor, now=self.runner.clock())
            return {"code": code_of(code), "disabled": True}, ()

        return self.runner.decide("disable_voucher", event_id, decide)
