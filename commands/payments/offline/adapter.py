"""Money taken by hand, behind the payment provider port: the buyer pays by bank transfer
quoting the reference given at checkout (or at the box office), and the event's organizers mark
it received. Its payments book the seats first: the hold is booked at once, its price owed until
then. Nothing moves here: no call reaches anyone, no notice comes, a refund is given back by
the organizers and marked so (`commands.application.offline_payments`).

Its name is the provider word its payments have always been stored under (`OFFLINE`), so the
payments marked by hand before it existed read as its own."""

import hashlib
from datetime import datetime
from uuid import UUID

from commands.domain.errors import Conflict, NotFound
from commands.domain.payment import OFFLINE
from commands.payments.provider import AWAITING_PAYMENT, IntentState, Moved, Notice
from core import error_codes as codes

BANK_TRANSFER = "bank_transfer"  # how the buyer said they will pay, before the reference
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed in a bank form


def transfer_reference(hold_id: UUID) -> str:
    """The reference a buyer quotes on their transfer: made from the hold, so a retried
    request gives the same one, short enough to type, and unlike another hold's."""
    digest = hashlib.sha256(f"transfer-reference:{hold_id}".encode()).digest()
    return "BT-" + "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:8])


def reference_of(intent_id: str) -> str:
    """The reference within an intent id `method:reference`."""
    return intent_id.partition(":")[2] or intent_id


class OfflineProvider:
    """Bank transfer or box office: the seats booked at once, the money marked by hand."""

    name = OFFLINE
    label = "Bank transfer"
    signature_header = ""
    books_seats_first = True

    def require_chargeable(self, amount: int, currency: str) -> None:
        """Any price may be paid by hand."""

    def start(self, *, hold_id: UUID, attempt: int, amount: int,  # noqa: PLR0913 - the port's
              currency: str, payment_method: str, description: str) -> IntentState:
        return _awaiting(f"{BANK_TRANSFER}:{transfer_reference(hold_id)}", amount, currency,
                         hold_id)

    def confirm(self, intent_id: str) -> IntentState:
        return self.look_up(intent_id)

    def look_up(self, intent_id: str) -> IntentState:
        """Awaited until the organizers mark it: what was received is recorded on the
        payment, never asked of anyone."""
        return _awaiting(intent_id, 0, "", None)

    def cancel_quietly(self, intent_id: str) -> None:
        """Nothing was asked of anyone: nothing to cancel."""

    def refund(self, *, intent_id: str, amount: int, key: str,
               tickets: tuple[str, ...] = ()) -> str:
        raise Conflict("A payment taken by hand is given back by hand, and marked so",
                       code=codes.NO_REFUND_OWED)

    def find_refunds(self, *, intent_id: str, prefix: str) -> list[tuple[str, int]]:
        return []

    def read_notice(self, payload: bytes, signature: str | None) -> Notice | None:
        raise NotFound("Money taken by hand sends no notices", code=codes.PROVIDER_NOT_FOUND)

    def settled_between(self, since: datetime,
                        until: datetime) -> tuple[list[Moved], list[Moved]]:
        """Nothing it holds to reconcile: the ledger's record is the only one."""
        return [], []


def _awaiting(intent_id: str, amount: int, currency: str, hold_id: UUID | None) -> IntentState:
    return IntentState(id=intent_id, status=AWAITING_PAYMENT, client_secret=None,
                       charge_id=None, amount=amount, currency=currency, hold_id=hold_id,
                       reference=reference_of(intent_id))
