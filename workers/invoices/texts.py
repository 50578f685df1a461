"""What an invoice says in words, the page's and the XML's notes alike, filled with
`str.format`. English only: an invoice carries no language of its own yet; a translation
would be a second dict with the same keys."""

from workers.invoices.vat import EXEMPT, NOT_SUBJECT

ENGLISH: dict[str, str] = {
    # The page's title, and a cancellation's sentence under it.
    "invoice": "Invoice {number}",
    "cancellation": "Cancellation {number} \u2014 cancels invoice {cancels}",
    "cancels_in_full": "This cancels invoice {number} of {date} in full.",
    "issue_date": "Issue date",
    "vat_id": "VAT ID {}",
    "billed_to": "Billed to",
    "order": "Order",
    "booking_reference": "Booking reference",
    "event": "Event",
    "starts_at": "Date",
    "venue": "Venue",
    # The lines' table.
    "description": "Description",
    "quantity": "Qty",
    "unit_price": "Unit price",
    "net": "Net",
    "tax_rate": "Tax rate",
    "tax": "Tax",
    "gross": "Gross",
    "list_price": "list price {price}, voucher applied",
    "amounts_in": "Amounts in {currency}. Unit prices include tax.",
    # The breakdown per rate, and the totals.
    "rate": "{name} {rate} %",
    "untaxed_rate": "\u2013",
    NOT_SUBJECT: "Not subject to VAT",
    EXEMPT: "Exempt from VAT",
    "total_net": "Total net",
    "total_tax": "Total tax",
    "total": "Total {currency}",
    # How it was settled: an invoice's payment, a cancellation's refund.
    "paid_by_card": "Paid by card",
    "paid": "Paid",
    "amount_due": "Amount due",
    "refunded_to_card": "Refunded to card",
    "refunded": "Refunded",
    "refund_due": "Refund due",
    "page": "{number} \u00b7 page {page} of {pages}",
    # The XML's notes and labels.
    "event_note": "{event}, {starts_at}{venue}. Booking {reference}.",
    "venue_note": ", {venue}",
    "payable_on_receipt": "Payable on receipt.",
    "refunded_on_receipt": "Refunded to the buyer on receipt.",
    "card_payment": "Card payment",
    "offline_payment": "Offline payment",
}
