"""Invoices: an organizer's invoice book, its own stream, one per organizer.

The book holds the seller's details (`SellerChanged`), the buyers' requests (`InvoiceRequested`,
one per booking) and every invoice issued (`InvoiceIssued`), numbered from 1 in the order the
book records them: a number is the book's next one when its invoice is appended, and the
store's `(stream, version)` uniqueness refuses a second writer that decided on the same state,
so two invoices never take one number and none is skipped. An issued invoice never changes: a
booking whose tickets are cancelled gets a cancellation (a credit note, numbered in the same
sequence, referring to the invoice it cancels in full) and, for the tickets it keeps, a new
invoice. What an invoice says is composed by `commands.domain.invoice_documents`.
"""

import re
from datetime import datetime
from typing import Any, NotRequired, TypedDict
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from stdnum import get_cc_module
from stdnum.exceptions import ValidationError

from commands.domain.chain import ChainedCreated, ChainedEvent
from commands.domain.declared import INVOICE_CANCELLED, INVOICE_ISSUED, Declared
from commands.domain.errors import Conflict, DomainError, NotFound
from core import error_codes as codes
from core.personal import Personal

STORED_AS = "commands.domain.invoices:InvoiceBook"  # kept wherever the code moves
INVOICE, CANCELLATION = "invoice", "cancellation"
NAME_LENGTH, ADDRESS_LENGTH, EMAIL_LENGTH, VAT_ID_LENGTH = 200, 500, 320, 32
COUNTRY = re.compile(r"[A-Z]{2}")
PREFIX = re.compile(r"[A-Z0-9][A-Z0-9/_.-]{0,15}")


def book_of(organizer_id: str) -> UUID:
    """The id of organizer `organizer_id`'s invoice book."""
    return uuid5(NAMESPACE_URL, f"invoice-book:{organizer_id}")


def invoice_id(book_id: UUID, seq: int) -> UUID:
    """The id of invoice `seq` of a book: what the API and the read model name it by."""
    return uuid5(book_id, f"invoice:{seq}")


class Seller(TypedDict):
    """The business an organizer's invoices are issued by, as they entered it for that: not
    their account's name, which is not copied here. Kept in the clear, not sealed with the
    organizer's key: every invoice must name its seller for the invoices' legal retention, an
    organizer's erasure does not unmake invoices already issued, and a seller's details are
    what they print on every invoice they give out (docs/decisions.md, personal data)."""

    name: str
    address: str  # lines of the postal address
    country: str  # ISO 3166-1 alpha-2
    vat_id: str | None  # compact, as python-stdnum writes it, with its country prefix
    email: str | None
    prefix: str  # what each invoice number starts with: "JAZZ-" makes "JAZZ-00001"


class Buyer(TypedDict):
    name: str
    company: str | None
    address: str
    country: str
    vat_id: str | None
    email: NotRequired[str | None]


def _refused(code: codes.ErrorCode, message: str, *where: str) -> DomainError:
    refused = DomainError(message, code=code)
    refused.where = where
    return refused


class _Asked:
    """The fields of a party's details as asked, each refused with `code` naming it."""

    def __init__(self, asked: dict[str, Any], code: codes.ErrorCode) -> None:
        self.asked, self.code = asked, code

    def refused(self, message: str, field: str) -> DomainError:
        return _refused(self.code, message, field)

    def text(self, field: str, most: int, required: bool = True) -> str | None:
        value = self.asked.get(field)
        value = value.strip() if isinstance(value, str) else value
        said = field.replace("_", " ")
        if not value:
            if required:
                raise self.refused(f"The {said} is required", field)
            return None
        if not isinstance(value, str) or len(value) > most:
            raise self.refused(f"The {said} is at most {most} characters", field)
        return value

    def country(self) -> str:
        country = str(self.asked.get("country") or "").strip().upper()
        if not COUNTRY.fullmatch(country):
            raise self.refused("The country is its two-letter ISO code, such as DE or US",
                               "country")
        return country

    def vat_id(self, country: str) -> str | None:
        """The VAT ID checked by python-stdnum against the rules of its country (its own two
        letters, else `country`'s), in its compact form with its country prefix; None when
        none was given. A country python-stdnum has no rules for takes it as written."""
        asked = self.asked.get("vat_id")
        if not isinstance(asked, str) or not asked.strip():
            return None
        written = re.sub(r"[\s.-]", "", asked).upper()
        issuer = written[:2] if written[:2].isalpha() else country
        # Greece's VAT IDs start EL, Northern Ireland's XI.
        rules = get_cc_module({"EL": "gr", "XI": "gb"}.get(issuer, issuer.lower()), "vat")
        if rules is None:
            if len(written) > VAT_ID_LENGTH:
                raise self.refused(f"The VAT ID is at most {VAT_ID_LENGTH} characters",
                                   "vat_id")
            return written
        try:
            compact = str(rules.validate(written))
        except ValidationError:
            raise self.refused("The VAT ID is not a valid one (its check digits or its form)",
                               "vat_id") from None
        return compact if compact[:2].isalpha() else issuer + compact


def seller_details(asked: dict[str, Any]) -> Seller:
    """The seller's details as asked, checked: 422 INVALID_SELLER naming the field."""
    fields = _Asked(asked, codes.INVALID_SELLER)
    country = fields.country()
    prefix = str(asked.get("prefix") or "").strip().upper()
    if not PREFIX.fullmatch(prefix):
        raise fields.refused("The invoice number prefix is 1 to 16 letters, digits or -/_.",
                             "prefix")
    return {"name": str(fields.text("name", NAME_LENGTH)),
            "address": str(fields.text("address", ADDRESS_LENGTH)),
            "country": country, "vat_id": fields.vat_id(country),
            "email": fields.text("email", EMAIL_LENGTH, required=False), "prefix": prefix}


def buyer_details(asked: dict[str, Any]) -> Buyer:
    """The buyer's details as asked, checked: 422 INVALID_BUYER naming the field."""
    fields = _Asked(asked, codes.INVALID_BUYER)
    country = fields.country()
    return {"name": str(fields.text("name", NAME_LENGTH)),
            "company": fields.text("company", NAME_LENGTH, required=False),
            "address": str(fields.text("address", ADDRESS_LENGTH)),
            "country": country, "vat_id": fields.vat_id(country)}


def number_of(prefix: str, seq: int) -> str:
    return f"{prefix}{seq:05d}"


class InvoiceBook(Aggregate):
    """An organizer's seller details, the invoices asked for, and those issued, numbered."""

    TOPIC = STORED_AS

    class Created(Aggregate.Created):  # the library's, never triggered: `Opened` is ours
        TOPIC = f"{STORED_AS}.Created"

    class Opened(ChainedCreated):
        TOPIC = f"{STORED_AS}.Opened"
        declared = Declared("Invoice book opened")
        organizer_id: str
        seller: dict[str, Any]
        opened_at: datetime

    class SellerChanged(ChainedEvent):
        TOPIC = f"{STORED_AS}.SellerChanged"
        declared = Declared("Seller's details changed")
        seller: dict[str, Any]
        changed_at: datetime

    class InvoiceRequested(ChainedEvent):
        """A buyer asked for an invoice of booking `booking_id` (made already, or the one a
        hold being paid for becomes), to be issued once it is paid."""

        TOPIC = f"{STORED_AS}.InvoiceRequested"
        declared = Declared("Invoice asked for", personal=("buyer",))
        booking_id: UUID
        event_id: UUID
        user_id: str
        buyer: dict[str, Any] | Personal  # sealed with the buyer's invoice key
        requested_at: datetime

    class InvoiceIssued(ChainedEvent):
        """Invoice `seq` of the book, as issued: the seller's and the buyer's details, the
        order's lines, its taxes per rate and its totals (amounts as decimal strings in the
        currency's major unit, all positive), for a booking; a cancellation names the
        invoice it cancels in full."""

        TOPIC = f"{STORED_AS}.InvoiceIssued"
        declared = Declared("Invoice issued", public="invoice.issued",
                            mail=(INVOICE_ISSUED, INVOICE_CANCELLED), personal=("buyer",))
        seq: int
        number: str
        kind: str  # INVOICE or CANCELLATION
        booking_id: UUID
        event_id: UUID
        user_id: str
        cancels: dict[str, Any] | None  # the cancelled invoice's `seq`, `number`, `issued_at`
        issued_at: datetime
        currency: str
        seller: dict[str, Any]
        buyer: dict[str, Any] | Personal  # sealed with the buyer's invoice key
        order: dict[str, Any]
        lines: list[dict[str, Any]]
        taxes: list[dict[str, Any]]
        totals: dict[str, str]
        paid: dict[str, Any]

    @event(Opened)
    def __init__(self, id: UUID, organizer_id: str,  # noqa: A002 - the library's name
                 seller: dict[str, Any], opened_at: datetime) -> None:
        self.organizer_id = organizer_id
        self.seller: dict[str, Any] = seller
        self.seq = 0
        self.requests: dict[UUID, dict[str, Any]] = {}
        # Each booking's invoice in force (its last, unless cancelled): what a change of its
        # tickets cancels.
        self.standing: dict[UUID, dict[str, Any]] = {}

    @event(SellerChanged)
    def _seller_changed(self, seller: dict[str, Any], changed_at: datetime) -> None:
        self.seller = seller

    @event(InvoiceRequested)
    def _requested(self, booking_id: UUID, event_id: UUID, user_id: str,
                   buyer: dict[str, Any] | Personal, requested_at: datetime) -> None:
        self.requests[booking_id] = {"event_id": event_id, "user_id": user_id, "buyer": buyer,
                                     "requested_at": requested_at}

    @event(InvoiceIssued)
    def _issued(  # noqa: PLR0913 - the InvoiceIssued event's fields
        self, seq: int, number: str, kind: str, booking_id: UUID, event_id: UUID, user_id: str,
        cancels: dict[str, Any] | None, issued_at: datetime, currency: str,
        seller: dict[str, Any], buyer: dict[str, Any] | Personal, order: dict[str, Any],
        lines: list[dict[str, Any]], taxes: list[dict[str, Any]], totals: dict[str, str],
        paid: dict[str, Any],
    ) -> None:
        self.seq = seq
        if kind == CANCELLATION:
            self.standing.pop(booking_id, None)
        else:
            self.standing[booking_id] = {
                "seq": seq, "number": number, "kind": kind, "booking_id": booking_id,
                "event_id": event_id, "user_id": user_id, "cancels": cancels,
                "issued_at": issued_at, "currency": currency, "seller": seller,
                "buyer": buyer, "order": order, "lines": lines, "taxes": taxes,
                "totals": totals, "paid": paid}

    # ----- decisions -----------------------------------------------------------------------

    def change_seller(self, seller: Seller, now: datetime) -> None:
        if dict(seller) != self.seller:
            self._seller_changed(seller=dict(seller), changed_at=now)

    def request(self, booking_id: UUID, event_id: UUID, user_id: str, buyer: Buyer | Personal,
                now: datetime) -> bool:
        """Record the request; False when one for the booking is recorded already (asked
        twice: the first stands, and its invoice is the one answered)."""
        if booking_id in self.requests:
            return False
        self._requested(booking_id=booking_id, event_id=event_id, user_id=user_id,
                        buyer=buyer if isinstance(buyer, Personal) else dict(buyer),
                        requested_at=now)
        return True

    def issue(self, invoice: dict[str, Any]) -> dict[str, Any]:
        """Issue `invoice` (composed, unnumbered) as the book's next number."""
        seq = self.seq + 1
        numbered = {**invoice, "seq": seq, "number": number_of(self.seller["prefix"], seq)}
        self._issued(**numbered)
        return numbered

    def invoice_in_force(self, booking_id: UUID) -> dict[str, Any] | None:
        return self.standing.get(booking_id)


def open_book(organizer_id: str, seller: Seller, now: datetime) -> InvoiceBook:
    return InvoiceBook(id=book_of(organizer_id), organizer_id=organizer_id,
                       seller=dict(seller), opened_at=now)


def no_seller() -> Conflict:
    # Names no organizer: their name is personal data, sealed in the log, and an error's
    # message is logged and answered as it is.
    return Conflict("The organizer does not issue invoices: no seller's details are set",
                    code=codes.INVOICES_NOT_OFFERED)


def request_not_found(booking_id: UUID) -> NotFound:
    return NotFound(f"No invoice was asked for booking {booking_id}",
                    code=codes.INVOICE_NOT_FOUND)
