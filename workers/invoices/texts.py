"""What an invoice says in words, the page's and the XML's notes alike, filled with
`str.format`: written in English, marked for the catalogues (`workers.i18n.catalogues`), and
read in the language the page is drawn in (`in_language`). The XML's notes stay in English:
the e-invoice is read by accounting software, whose codes are language-neutral anyway."""

from dataclasses import dataclass
from functools import cache

from workers.i18n.catalogues import N_, words
from workers.invoices.vat import EXEMPT, NOT_SUBJECT

TEXTS: dict[str, str] = {
    # The page's title, and a cancellation's sentence under it.
    "invoice": N_("Invoice {number}"),
    "cancellation": N_("Cancellation {number} \u2014 cancels invoice {cancels}"),
    "cancels_in_full": N_("This cancels invoice {number} of {date} in full."),
    "issue_date": N_("Issue date"),
    "vat_id": N_("VAT ID {vat_id}"),
    "billed_to": N_("Billed to"),
    "order": N_("Order"),
    "booking_reference": N_("Booking reference"),
    "event": N_("Event"),
    "starts_at": N_("Date"),
    "venue": N_("Venue"),
    # The lines' table.
    "description": N_("Description"),
    "quantity": N_("Qty"),
    "unit_price": N_("Unit price"),
    "net": N_("Net"),
    "tax_rate": N_("Tax rate"),
    "tax": N_("Tax"),
    "gross": N_("Gross"),
    "list_price": N_("list price {price}, voucher applied"),
    "amounts_in": N_("Amounts in {currency}. Unit prices include tax."),
    # The breakdown per rate, and the totals.
    "rate": N_("{name} {rate} %"),
    "untaxed_rate": "\u2013",  # a dash, in every language
    NOT_SUBJECT: N_("Not subject to VAT"),
    EXEMPT: N_("Exempt from VAT"),
    "total_net": N_("Total net"),
    "total_tax": N_("Total tax"),
    "total": N_("Total {currency}"),
    # How it was settled: an invoice's payment, a cancellation's refund.
    "paid_by_card": N_("Paid by card"),
    "paid": N_("Paid"),
    "amount_due": N_("Amount due"),
    "refunded_to_card": N_("Refunded to card"),
    "refunded": N_("Refunded"),
    "refund_due": N_("Refund due"),
    "page": N_("{number} \u00b7 page {page} of {pages}"),
    # The XML's notes and labels.
    "event_note": N_("{event}, {starts_at}{venue}. Booking {reference}."),
    "venue_note": N_(", {venue}"),
    "payable_on_receipt": N_("Payable on receipt."),
    "refunded_on_receipt": N_("Refunded to the buyer on receipt."),
    "card_payment": N_("Card payment"),
    "offline_payment": N_("Offline payment"),
}


@dataclass(frozen=True)
class InvoiceWords:
    """An invoice's words in one language, by key, and that language (for its money and
    days)."""

    language: str
    said: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.said[key]


@cache
def in_language(language: str | None) -> InvoiceWords:
    """The invoice's words in `language` (an account's; none: English), their `{fields}` still
    to fill."""
    said = words(language)
    return InvoiceWords(said.language, {key: said.text(text) for key, text in TEXTS.items()})
