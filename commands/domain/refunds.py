"""A payment's refunds, each decided in the ledger: the tickets it gives back (and so their
price), the key that names it at the provider, and how it stands.

A refund is asked once, for tickets no earlier refund of the payment named, at what each was
sold for; a retry asks the same refund again (the same amount still owed, the same key), never
"what is left" of the payment. Several may be owed at once (a cancellation while a ticket's
refund is still being made): each is made on its own, in the order asked.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

REFUND_PENDING, REFUNDED, REFUND_FAILED = "refund_pending", "refunded", "refund_failed"
# A refund asked for is given back by the request that asked, within this; past it (that
# request stopped), by the refunds' process manager (`workers.refunds`).
REFUND_GRACE = timedelta(seconds=30)
# A failed refund is asked again this long after its first failure, twice as long after each
# next, up to MAX_REFUND_FAILURES in a row; then it stays failed, shown with its reason.
REFUND_RETRY_AFTER = timedelta(seconds=10)
MAX_REFUND_FAILURES = 6


@dataclass
class Refund:
    """One refund of a payment: `number` counts them from 1, in the order asked."""

    number: int
    amount: int  # minor unit: the price of `tickets`, or the money that booked nothing
    tickets: tuple[str, ...]
    reason: str
    changed_at: datetime  # its last request or failure
    intent_id: str  # the provider's intent whose money it gives back
    status: str = REFUND_PENDING
    made: int = 0  # given back so far (a try found at the provider may have made a part)
    refund_ids: list[str] = field(default_factory=list)
    failures: int = 0  # in a row, since it was last asked

    @property
    def owed(self) -> int:
        """What it still has to give back."""
        return self.amount - self.made

    def prefix(self, payment_id: object) -> str:
        """How the provider's metadata names every try at this refund."""
        return f"ledger-refund-{payment_id}-{self.number}-"

    def key(self, payment_id: object, found: int = 0) -> str:
        """The idempotency key of the provider's call for what it still owes: the same for
        every try, another only for a rest left after a part was made (`found`: parts an
        earlier try made, found at the provider and not recorded yet)."""
        return f"{self.prefix(payment_id)}{len(self.refund_ids) + found}"

    def due(self, *, by_the_manager: bool) -> datetime | None:
        """When the refunds' process manager is to make it (again): a pending one past its
        requester's grace (at once when it is the manager's from the start), a failed one
        after its backoff; None when nothing is to be made."""
        if self.status == REFUND_PENDING:
            return self.changed_at if by_the_manager else self.changed_at + REFUND_GRACE
        if self.status == REFUND_FAILED and self.failures < MAX_REFUND_FAILURES:
            backoff: timedelta = REFUND_RETRY_AFTER * 2 ** (self.failures - 1)
            return self.changed_at + backoff
        return None


def standing(statuses: Iterable[str]) -> str | None:
    """How a payment's refunds (their `statuses`) stand together: one owed and being made,
    else one failed, else all made; None when it has none."""
    states = set(statuses)
    for status in (REFUND_PENDING, REFUND_FAILED, REFUNDED):
        if status in states:
            return status
    return None
