"""An erased buyer's invoice details forgotten on the write side, on SQLite and PostgreSQL: only
once they are erased, their invoice key destroyed before `InvoiceDetailsForgotten` is
recorded, once; asked again after a failure between the two, the fact is recorded. The
invoices read model folds it: the buyer reads "erased" on their invoices, the amounts stay,
and a rebuild, in one advancer or in partitions, and `verify` agree. The scheduled job that
asks it: tests/query_api/routes/test_invoice_retention.py."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from commands.domain.actor import Actor
from commands.domain.erasure import INVOICES_PAST_RETENTION, RETENTION, erasure_of
from commands.ledger import Ledger
from core.db import session_scope
from core.personal import ERASED, INVOICE
from projections import catch_up, rebuild, registry
from projections.invoices import ForgottenBuyerRow, InvoiceRow
from projections.personal import ERASED_BUYER
from projections.verify import verify_ledger
from tests.commands.application.test_invoices import (
    BUYER,
    SELLER,
    owed_booking,
    refused,
    taxed_event,
)

FACT = "InvoiceDetailsForgotten"


def invoiced(ledger: Ledger, organizer: str) -> str:
    """A buyer with a paid booking of `organizer`'s and its invoice issued: their id."""
    booking_id, buyer = owed_booking(ledger, taxed_event(ledger, organizer))
    ledger.mark_paid(booking_id, Actor(organizer), "cash", None)
    assert ledger.request_invoice(booking_id, BUYER, Actor(buyer)).view["status"] == "issued"
    return buyer


def invoices_of(buyer: str) -> list[dict[str, Any]]:
    with session_scope() as session:
        rows = session.scalars(select(InvoiceRow).where(InvoiceRow.user_id == UUID(buyer)))
        return [{"buyer": r.buyer, "document_buyer": r.document["buyer"], "number": r.number,
                 "gross": r.gross, "lines": r.document["lines"]} for r in rows]


def facts(ledger: Ledger, person: str) -> list[str]:
    """The kinds of the facts on the person's erasure stream, in the log's order."""
    return [n.topic.rsplit(".", 1)[1] for n in ledger.eventlog.read(0, 100_000)
            if n.originator_id == erasure_of(person)]


def live_invoices() -> dict[str, Any]:
    with session_scope() as session:
        return registry.snapshot_tables(session, "invoices")


def test_an_erased_buyers_invoice_details_are_forgotten_once_and_read_erased_everywhere(
        any_ledger: Ledger) -> None:
    ledger, organizer = any_ledger, str(uuid4())
    ledger.set_seller(organizer, SELLER)
    gone, kept = invoiced(ledger, organizer), invoiced(ledger, organizer)
    catch_up.advance_all(ledger.eventlog)
    before = invoices_of(gone)
    assert [(i["buyer"], i["gross"]) for i in before] == [("ACME SARL", Decimal("47.60"))]

    refused("PERSON_NOT_ERASED", ledger.forget_invoices, gone, RETENTION,
            INVOICES_PAST_RETENTION)
    assert ledger.personal.has_key(gone, INVOICE)  # refused: nothing destroyed
    ledger.erase_person(gone, "admin", "asked_of_admin")
    assert ledger.personal.has_key(gone, INVOICE)  # the erasure keeps the invoices' key
    done = ledger.forget_invoices(gone, RETENTION, INVOICES_PAST_RETENTION)
    assert (done.view["keys_destroyed"], done.view["reason"]) == (1, "invoices_past_retention")
    assert not ledger.personal.has_key(gone, INVOICE) and ledger.personal.has_key(kept, INVOICE)
    refused("INVOICE_DETAILS_ALREADY_FORGOTTEN", ledger.forget_invoices, gone, RETENTION,
            INVOICES_PAST_RETENTION)
    assert facts(ledger, gone) == ["PersonErased", FACT]

    catch_up.advance_all(ledger.eventlog)
    after = invoices_of(gone)
    assert [(i["buyer"], i["document_buyer"]) for i in after] == [(ERASED, ERASED_BUYER)]
    assert [(i["number"], i["gross"], i["lines"]) for i in after] == [
        (i["number"], i["gross"], i["lines"]) for i in before]
    assert [i["buyer"] for i in invoices_of(kept)] == ["ACME SARL"]
    with session_scope() as session:
        assert session.scalars(select(ForgottenBuyerRow.person_id)).all() == [UUID(gone)]

    live = live_invoices()
    report = verify_ledger(ledger)
    assert report["ok"], report["projections"]["invoices"]
    rebuild.rebuild("invoices", ledger.eventlog)
    assert live_invoices() == live


def test_asked_again_after_the_key_was_destroyed_the_fact_is_recorded(
        any_ledger: Ledger) -> None:
    """A failure between the key's destruction and the fact: asking again mends it."""
    ledger, organizer = any_ledger, str(uuid4())
    ledger.set_seller(organizer, SELLER)
    buyer = invoiced(ledger, organizer)
    ledger.erase_person(buyer, "admin", "asked_of_admin")
    assert ledger.personal.erase(buyer, datetime.now(UTC), (INVOICE,)) == 1  # and then a crash
    assert ledger.forget_invoices(buyer, RETENTION, INVOICES_PAST_RETENTION).view[
        "keys_destroyed"] == 0
    assert facts(ledger, buyer) == ["PersonErased", FACT]


def test_in_partitions_the_forgotten_buyer_reads_as_one_advancer_and_a_rebuild_read_it(
        any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fact's stream and the invoices' book fall in any partitions."""
    monkeypatch.setattr(any_ledger.settings, "projection_partitions", 3)
    ledger, organizer = any_ledger, str(uuid4())
    ledger.set_seller(organizer, SELLER)
    buyers = [invoiced(ledger, organizer) for _ in range(3)]
    catch_up.advance_all(ledger.eventlog)
    for buyer in buyers[:2]:
        ledger.erase_person(buyer, "admin", "asked_of_admin")
        ledger.forget_invoices(buyer, RETENTION, INVOICES_PAST_RETENTION)
    invoiced(ledger, organizer)  # folded in the same catch-up as the facts
    catch_up.advance_all(ledger.eventlog)
    assert [[i["buyer"] for i in invoices_of(b)] for b in buyers] == [
        [ERASED], [ERASED], ["ACME SARL"]]
    live = live_invoices()
    rebuild.rebuild("invoices", ledger.eventlog)
    assert live_invoices() == live
    assert verify_ledger(ledger)["projections"]["invoices"]["ok"]
