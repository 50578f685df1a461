"""Invoices' retention: an erased buyer's invoice details are forgotten once every invoice of
theirs is past the law's retention of accounting records (`INVOICE_RETENTION_YEARS`).

An invoice is kept that many years after the end of the calendar year it was issued in: the
usual accounting rule (Germany's HGB §257 and AO §147, for one, start the period at the end of
the calendar year in which the record was made), in the year of the issue day the invoice
states (its day in UTC, as its EN 16931 XML says it). A person is due once their newest
invoice's retention has ended. An invoice asked for and not issued yet counts as one issued
when it was asked: it may still be (a paid booking the invoices' process manager has not
settled yet), and it would name them. An erased person with no invoice and none asked for but
with an invoice key is due at once: that key seals nothing still kept. One never given an
invoice key has nothing to forget, and no fact is recorded of them. Persons not erased are
never due: their account still exists.

Each due person is forgotten by the write side (`Ledger.forget_invoices`: their invoice key
destroyed, then `InvoiceDetailsForgotten` recorded, once), which the invoices read model folds,
and logged by id. It is the second step of the retention tick (`workers.retention`);
`python -m ops.retention --dry-run` lists who would be, with their newest invoice and the end
of its retention.
"""

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commands.domain.erasure import INVOICES_PAST_RETENTION, RETENTION
from commands.domain.errors import DomainError
from commands.ledger import Ledger
from core import error_codes as codes
from core.db import read_scope
from core.erased_address import ERASED_LIKE
from core.personal import INVOICE
from core.settings import get_settings
from projections import tracking
from projections.invoices import ForgottenBuyerRow, InvoiceRow, RequestRow
from workers.erasure import users

log = logging.getLogger(__name__)
BATCH = 100  # persons forgotten per tick at most; the next tick takes the rest
DUE_FROM = ("invoices",)  # the read model `due` reads (beside the accounts)


@dataclass(frozen=True)
class Due:
    person_id: UUID
    newest: datetime | None  # their newest invoice's issue (or request's) time; None: none
    kept_until: datetime | None  # when that invoice's retention ended

    @property
    def why(self) -> str:
        if self.newest is None or self.kept_until is None:
            return "no invoice of theirs is kept, and they have an invoice key"
        return (f"their newest invoice, of {self.newest.date().isoformat()}, was kept until "
                f"{self.kept_until.date().isoformat()}")


def retention_ends(issued_at: datetime, years: int) -> datetime:
    """When an invoice issued at `issued_at` may be forgotten: `years` after the end of the
    calendar year it was issued in."""
    return datetime(issued_at.astimezone(UTC).year + years + 1, 1, 1, tzinfo=UTC)


def due(session: Session, now: datetime, years: int,
        keyed: Callable[[Collection[str]], set[str]], limit: int = BATCH) -> list[Due]:
    """The erased buyers whose invoice details to forget now, with their newest invoice;
    `keyed` tells which of some persons were ever given an invoice key."""
    erased = (select(users.c.id).where(users.c.email.like(ERASED_LIKE))
              .where(users.c.id.not_in(select(ForgottenBuyerRow.person_id))))
    persons = set(session.scalars(erased))
    if not persons:
        return []
    newest: dict[UUID, datetime] = {}
    for person, at in session.execute(
            select(InvoiceRow.user_id, func.max(InvoiceRow.issued_at))
            .where(InvoiceRow.user_id.in_(erased)).group_by(InvoiceRow.user_id)
            .union_all(select(RequestRow.user_id, func.max(RequestRow.requested_at))
                       .where(RequestRow.user_id.in_(erased)).group_by(RequestRow.user_id))):
        newest[person] = max(at, newest.get(person, at))
    with_key = keyed([str(p) for p in persons - newest.keys()])
    found = [Due(p, None, None) for p in persons - newest.keys() if str(p) in with_key]
    for person, at in newest.items():
        if (ends := retention_ends(at, years)) <= now:
            found.append(Due(person, at, ends))
    return sorted(found, key=lambda d: str(d.person_id))[:limit]


def forget_due(ledger: Ledger, *, dry_run: bool = False) -> list[Due]:
    """Forget the invoice details of the erased buyers due now (`dry_run`: only find them):
    those found. A read model behind the log finds none: an invoice issued and not folded yet
    would make its buyer look due, and forgetting is not undone."""
    if not tracking.wait_for(ledger.eventlog.last(), DUE_FROM):
        log.warning("no invoice details forgotten: the invoices read model is behind the log; "
                    "the next tick tries again")
        return []
    with read_scope() as session:
        found = due(session, ledger.clock(), get_settings().invoice_retention_years,
                    lambda persons: ledger.personal.keyed(persons, INVOICE))
    # The accounts' rows are anonymised just before the erasure is recorded: the write side
    # says whether it was.
    found = [d for d in found if ledger.is_erased(str(d.person_id))]
    for person in [] if dry_run else found:
        _forget(ledger, person)
    return found


def _forget(ledger: Ledger, person: Due) -> None:
    try:
        outcome = ledger.forget_invoices(str(person.person_id), RETENTION,
                                         INVOICES_PAST_RETENTION)
    except DomainError as exc:
        if exc.code == codes.INVOICE_DETAILS_ALREADY_FORGOTTEN:  # by another tick meanwhile
            return
        log.warning("invoice details of buyer %s were not forgotten (%s); the next tick tries "
                    "again", person.person_id, exc.code)
        return
    except Exception:
        log.warning("invoice details of buyer %s were not forgotten; the next tick tries again",
                    person.person_id, exc_info=True)
        return
    log.info("invoice details of erased buyer %s forgotten (%d key destroyed): %s",
             person.person_id, outcome.view["keys_destroyed"], person.why)
