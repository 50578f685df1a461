"""The invoices' retention through the whole app, on both backends: an erased buyer's invoice
details are kept while any invoice of theirs is within the law's retention (counted from the
end of the calendar year it was issued in), then the retention tick's second step forgets them
once: their invoice key destroyed, `InvoiceDetailsForgotten` recorded, their invoices' lists,
PDF and CSV naming them "erased" with the same amounts, before and after a rebuild, and
`verify` passing. An erased buyer with an invoice key but no invoice is due at once; one with
none is never listed; a buyer not erased keeps theirs. A dry run lists without acting."""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from commands.domain.actor import Actor
from commands.domain.erasure import INVOICES_PAST_RETENTION, RETENTION
from commands.domain.errors import DomainError
from commands.ledger import Ledger
from core.personal import INVOICE
from core.settings import get_settings
from ops import retention as retention_cli
from query_api.service.write_side import get_ledger
from tests.fixtures.api import Caller, future
from tests.query_api.routes.waiting import wait_rebuilt
from tests.support.verify_runs import verified
from tests.support.waiting import eventually
from tests.workers.invoices.test_document import pdf_text
from workers import invoice_retention
from workers.retention import tick

SELLER = {"name": "Jazz Nights GmbH", "address": "Torstraße 1\n10119 Berlin", "country": "DE",
          "vat_id": "DE 136 695 976", "email": "billing@jazz.example", "prefix": "JN-"}


def buyer_details(name: str) -> dict[str, Any]:
    return {"name": name, "address": "1 rue X\n75001 Paris", "country": "FR"}


def at(moment: datetime) -> Ledger:
    """A write side whose clock says `moment` (it wakes no projection: the next command does)."""
    return Ledger(get_settings(), clock=lambda: moment)


@dataclass(frozen=True)
class Sales:
    """An organizer issuing invoices, and their event, sold at the door."""

    client: TestClient
    olga: Caller
    event_id: str

    def paid_booking(self, who: Caller) -> str:
        booked = self.client.post(f"/api/events/{self.event_id}/book", json={"quantity": 1},
                                  headers=who.headers)
        assert booked.status_code == 201, booked.text
        paid = self.client.post(f"/api/bookings/{booked.json()['id']}/payment",
                                headers=self.olga.headers, json={"method": "door"})
        assert paid.status_code == 201, paid.text
        return str(booked.json()["id"])

    def invoiced(self, who: Caller, name: str) -> str:
        booking_id = self.paid_booking(who)
        r = self.client.post(f"/api/bookings/{booking_id}/invoice", json=buyer_details(name),
                             headers=who.headers)
        assert r.status_code == 200 and r.json()["status"] == "issued", r.text
        return booking_id


@pytest.fixture
def sales(client: TestClient, organizer: Callable[[str], Caller]) -> Sales:
    olga = organizer("Olga")
    assert client.put("/api/organizers/me/seller", json=SELLER,
                      headers=olga.headers).status_code == 200
    event_id = client.post("/api/events", headers=olga.headers, json={
        "name": "Blue Note Night", "starts_at": future(),
        "categories": [{"name": "Stalls", "price": "23.80", "capacity": 10}]}).json()["id"]
    return Sales(client, olga, str(event_id))


def test_an_erased_buyers_invoice_details_are_forgotten_once_their_invoices_retention_ends(
    client: TestClient, sales: Sales, admin: Caller, auditor: Caller,
    signup: Callable[[str], Caller],
) -> None:
    olga, paid_booking, invoiced = sales.olga, sales.paid_booking, sales.invoiced
    ann, ben, cid, dee, eve = (signup(n) for n in ("Ann", "Ben", "Cid", "Dee", "Eve"))
    anns = invoiced(ann, "Ann Smith")
    invoiced(ben, "Ben Jones")
    invoiced(cid, "Cid Brown")
    now = datetime.now(UTC)
    # Ben's later booking invoiced five years on: his newest invoice keeps his details longer.
    in_five = at(now + timedelta(days=5 * 366))
    try:
        in_five.request_invoice(UUID(paid_booking(ben)), buyer_details("Ben Jones"),
                                Actor(str(ben.id)))
    finally:
        in_five.close()
    ledger = get_ledger()
    ledger.seal_buyer(str(dee.id), buyer_details("Dee Day"))  # an invoice key, no invoice
    for who in (ann, ben, dee, eve):
        erased = client.request("DELETE", "/api/users/me", headers=who.headers,
                                json={"password": "password-123"})
        assert erased.status_code == 200, erased.text

    years = get_settings().invoice_retention_years
    last_day = at(datetime(now.year + years, 12, 31, 23, 59, tzinfo=UTC))
    next_year = at(datetime(now.year + years + 1, 1, 1, 0, 1, tzinfo=UTC))
    try:
        # Within the retention of Ann's invoice: only Dee, whose key seals nothing kept.
        soon = eventually(lambda: invoice_retention.forget_due(last_day, dry_run=True),
                          timeout=30)
        assert [(d.person_id, d.newest) for d in soon] == [(dee.id, None)]
        listed = invoice_retention.forget_due(next_year, dry_run=True)
        assert sorted((str(d.person_id), d.kept_until) for d in listed) == sorted([
            (str(ann.id), datetime(now.year + years + 1, 1, 1, tzinfo=UTC)),
            (str(dee.id), None)], key=str)
        assert ledger.personal.has_key(str(ann.id), INVOICE)  # a dry run forgets nothing
        assert tick(next_year) == 2  # the retention tick: no buyer, two buyers' details
        keys = {who.email: ledger.personal.has_key(str(who.id), INVOICE)
                for who in (ann, ben, cid, dee)}
        assert keys == {ann.email: False, ben.email: True, cid.email: True, dee.email: False}
        for who, code in ((ann, "INVOICE_DETAILS_ALREADY_FORGOTTEN"), (cid, "PERSON_NOT_ERASED")):
            with pytest.raises(DomainError) as refused:
                next_year.forget_invoices(str(who.id), RETENTION, INVOICES_PAST_RETENTION)
            assert refused.value.code == code
        # The job's ledger woke no projection: the next command does.
        paid_booking(signup("Fay"))
        listed_now = eventually(lambda: _erased_in(client.get(
            "/api/organizers/me/invoices", headers=olga.headers, params={"limit": 50}).json()),
            timeout=30)
        assert listed_now, "the invoices read model never named Ann's invoice's buyer erased"
        assert invoice_retention.forget_due(next_year) == []  # folded: not due again
    finally:
        last_day.close()
        next_year.close()
    assert_forgotten(client, olga, auditor, anns, listed_now)

    run = verified(client, auditor.headers)
    assert (run["ok"], run["problems"]) == (True, 0), run
    started = client.post("/api/projections/invoices/rebuild", headers=admin.headers)
    assert started.status_code == 202, started.text
    wait_rebuilt(client, auditor, "invoices", started.json()["rebuild"]["started_at"])
    rebuilt = client.get("/api/organizers/me/invoices", headers=olga.headers,
                         params={"limit": 50}).json()
    assert _buyers(rebuilt) == _buyers(listed_now)


def _buyers(page: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((i["number"], i["buyer"], i["gross"]) for i in page["items"])


def _erased_in(page: dict[str, Any]) -> dict[str, Any]:
    """The page once it names a buyer erased; else nothing."""
    return page if any(i["buyer"] == "erased" for i in page["items"]) else {}


def assert_forgotten(client: TestClient, olga: Caller, auditor: Caller, anns: str,
                     page: dict[str, Any]) -> None:
    """Ann's invoice names her nowhere, with its amounts; Ben's and Cid's still name them."""
    assert _buyers(page) == [("JN-00001", "erased", "23.80"), ("JN-00002", "Ben Jones", "23.80"),
                             ("JN-00003", "Cid Brown", "23.80"), ("JN-00004", "Ben Jones", "23.80")]
    [invoice] = client.get(f"/api/bookings/{anns}/invoices", headers=olga.headers).json()["items"]
    assert (invoice["buyer"], invoice["gross"]) == ("erased", "23.80")
    pdf = client.get(invoice["pdf"], headers=olga.headers)
    assert pdf.status_code == 200, pdf.text
    page_text = pdf_text(pdf.content)[0]
    assert "Ann Smith" not in page_text and "erased" in page_text and "23.80" in page_text
    csv = client.get("/api/organizers/me/invoices.csv", headers=olga.headers).text
    assert "Ann Smith" not in csv and "Ben Jones" in csv
    log = client.get("/api/audit/log", params={"type": "InvoiceDetailsForgotten", "limit": 100},
                     headers=auditor.headers).json()
    assert len(log["items"]) == 2


def test_the_dry_run_lists_whose_invoice_details_it_would_forget_and_why(
    client: TestClient, sales: Sales, signup: Callable[[str], Caller],
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept, keyed = signup("Kim"), signup("Kai")
    sales.invoiced(kept, "Kim Lee")  # issued now: kept for years
    get_ledger().seal_buyer(str(keyed.id), buyer_details("Kai Ito"))
    for who in (kept, keyed):
        assert client.request("DELETE", "/api/users/me", headers=who.headers,
                              json={"password": "password-123"}).status_code == 200
    monkeypatch.setattr(sys, "argv", ["ops.retention", "--dry-run"])
    assert retention_cli.main() == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == [f"{keyed.id} invoice details would be forgotten: no invoice of theirs "
                        "is kept, and they have an invoice key",
                        "1 erased buyer(s)' invoice details would be forgotten"]
    assert get_ledger().personal.has_key(str(keyed.id), INVOICE)
