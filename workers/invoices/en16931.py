"""An invoice as EN 16931 business terms, in the data dict factur-x's generator takes (its keys
are the standard's BT- and BG- identifiers): seller and buyer, the lines with their VAT
category, the breakdown per category and rate, the totals and how they were settled.

The ledger has rounded every tax per seat: its amounts are copied, never computed again from a
rate. They are checked to add up instead, since a document whose sums disagree must not leave.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from workers.invoices.amounts import amount, shown, stated
from workers.invoices.dates import day, shown_day, shown_start
from workers.invoices.texts import InvoiceWords, in_language
from workers.invoices.vat import EXEMPT, NOT_SUBJECT, NOT_SUBJECT_CODE, categories, has_rate, rate

WORDS = in_language(None)  # the XML's notes: in English, whatever the page's language
INVOICE, CREDIT_NOTE = "380", "381"  # UNTDID 1001
CARD, NOT_DEFINED = "48", "1"  # UNTDID 4461: a bank card; a means the ledger does not know
ONE = "C62"  # UN/ECE recommendation 20: a unit, here a seat
EMAIL = "EM"  # the scheme of an electronic address that is an e-mail address
ADDRESS_LINES = 3


class Totals(NamedTuple):
    net: Decimal
    tax: Decimal
    gross: Decimal
    paid: Decimal
    due: Decimal


def business_terms(invoice: Mapping[str, Any]) -> dict[str, Any]:
    """The invoice's data dict for `facturx.generate_cii_xml`."""
    lines, currency = invoice["lines"], invoice["currency"]
    kinds = categories(lines)
    not_subject = NOT_SUBJECT in kinds  # then every line is (`vat.categories`)
    sums = totals(invoice)
    order = invoice["order"]
    terms: dict[str, Any] = {
        "BT-1": invoice["number"],
        "BT-2": day(invoice["issued_at"]),
        "BT-3": CREDIT_NOTE if invoice["kind"] == "cancellation" else INVOICE,
        "BT-5": currency,
        "BG-1": [{"BT-22": note} for note in notes(invoice)],
        "BT-10": order["reference"],
        "BT-14": order["reference"],
        "BG-4": seller(invoice["seller"], not_subject),
        "BG-7": buyer(invoice["buyer"], not_subject),
        "BT-72": day(order["event_starts_at"]),  # the service is delivered at the event
        "BG-23": breakdown(lines, kinds, currency),
        "BT-106": stated(sums.net),
        "BT-109": stated(sums.net),  # no allowance or charge on the whole: the lines' net
        "BT-110": stated(sums.tax),
        "BT-112": stated(sums.gross),
        "BT-115": stated(sums.due),
        "BG-25": [invoice_line(number, line, kind, currency)
                  for number, (line, kind) in enumerate(zip(lines, kinds, strict=True), 1)],
    }
    if sums.paid:
        terms["BT-113"] = stated(sums.paid)
    if sums.due:  # an amount due needs its terms or a due date (BR-CO-25)
        terms["BT-20"] = payment_terms(invoice)
    terms.update(payment_means(invoice["paid"]["provider"]))
    if invoice["kind"] == "cancellation":
        cancels = invoice["cancels"]
        terms["BG-3"] = [{"BT-25": cancels["number"], "BT-26": day(cancels["issued_at"])}]
    return terms


def totals(invoice: Mapping[str, Any]) -> Totals:
    """The invoice's totals, what was paid and what is still due, once each line's amounts
    are its quantity times its seat's and the totals are the lines' sums."""
    currency = invoice["currency"]

    def money(text: str) -> Decimal:
        return amount(text, currency)

    for line in invoice["lines"]:
        seat_tax, quantity = money(line["unit_tax"]), line["quantity"]
        seat_net = money(line["unit_price"]) - seat_tax
        if (money(line["net"]), money(line["tax"]), money(line["gross"])) != (
                quantity * seat_net, quantity * seat_tax, quantity * (seat_net + seat_tax)):
            raise ValueError(f"line {line['description']!r}: its amounts are not its seats'")
    given = invoice["totals"]
    net, tax, gross = money(given["net"]), money(given["tax"]), money(given["gross"])
    if (net != sum(money(line["net"]) for line in invoice["lines"])
            or tax != sum(money(line["tax"]) for line in invoice["lines"])
            or gross != net + tax):
        raise ValueError(f"invoice {invoice['number']}: its totals are not its lines' sums")
    paid = money(invoice["paid"]["amount"])
    if not 0 <= paid <= gross:
        raise ValueError(f"invoice {invoice['number']}: {paid} paid of {gross}")
    return Totals(net, tax, gross, paid, gross - paid)


def payment_terms(invoice: Mapping[str, Any], words: InvoiceWords = WORDS) -> str:
    """When an amount still due is settled: on receipt, the ledger setting no other term (in
    `words`' language: the XML's English unless a page asks)."""
    return words["refunded_on_receipt" if invoice["kind"] == "cancellation"
                 else "payable_on_receipt"]


def notes(invoice: Mapping[str, Any]) -> list[str]:
    """The invoice's notes: what was booked, and what a cancellation cancels."""
    order = invoice["order"]
    venue = WORDS["venue_note"].format(venue=order["venue"]) if order.get("venue") else ""
    said = [WORDS["event_note"].format(
        event=order["event_name"], starts_at=shown_start(order["event_starts_at"]),
        venue=venue, reference=order["reference"])]
    if invoice["kind"] == "cancellation":
        cancels = invoice["cancels"]
        said.append(WORDS["cancels_in_full"].format(
            number=cancels["number"], date=shown_day(cancels["issued_at"])))
    return said


def seller(party: Mapping[str, Any], not_subject: bool) -> dict[str, Any]:
    """The seller (BG-4). Its VAT ID is its VAT identifier, or on an invoice not subject to
    VAT, which may not state one (BR-O-02), its identifier: the buyer still needs one of the
    two to know who sent it (BR-CO-26)."""
    terms = {"name": party["name"], "country_code": party["country"],
             **address(party["address"])}
    if party.get("vat_id"):
        if not_subject:
            terms["identifiers"] = {None: party["vat_id"]}
        else:
            terms["vat_identifier"] = party["vat_id"]
    if party.get("email"):
        terms |= {"einvoicing_addr": party["email"], "einvoicing_addr_schemeid": EMAIL}
    return terms


def buyer(party: Mapping[str, Any], not_subject: bool) -> dict[str, Any]:
    """The buyer (BG-7): the company when there is one, the person its contact; its VAT ID
    unless the invoice is not subject to VAT (BR-O-02)."""
    terms: dict[str, Any] = {"name": party.get("company") or party["name"],
                             "country_code": party["country"], **address(party["address"])}
    if party.get("company"):
        terms["contacts"] = [{"name": party["name"]}]
    if party.get("vat_id") and not not_subject:
        terms["vat_identifier"] = party["vat_id"]
    return terms


def address(text: str) -> dict[str, str]:
    """An address written on lines, in the standard's three lines: any further ones join the
    third. The ledger keeps no post code or city apart, so none is guessed from them."""
    written = [line.strip() for line in text.splitlines() if line.strip()]
    if len(written) > ADDRESS_LINES:
        written = [*written[:ADDRESS_LINES - 1], ", ".join(written[ADDRESS_LINES - 1:])]
    return dict(zip(("addr_l1", "addr_l2", "addr_l3"), written, strict=False))


def invoice_line(number: int, line: Mapping[str, Any], kind: str,
                 currency: str) -> dict[str, Any]:
    """One line (BG-25): a category's seats, their net price and amount."""
    seat_net = amount(line["unit_price"], currency) - amount(line["unit_tax"], currency)
    terms: dict[str, Any] = {
        "BT-126": str(number),
        "BT-153": line["description"],
        "BT-129": str(line["quantity"]),
        "BT-130": ONE,
        "BT-131": stated(amount(line["net"], currency)),
        "BT-146": stated(seat_net),
        "BT-151": kind,
    }
    if has_rate(kind):
        terms["BT-152"] = rate(line, kind)
    if line.get("list_price"):
        listed = shown(amount(line["list_price"], currency), currency)
        terms["BT-127-00"] = [{"BT-127": WORDS["list_price"].format(price=listed)}]
    return terms


def breakdown(lines: Sequence[Mapping[str, Any]], kinds: Sequence[str],
              currency: str) -> list[dict[str, Any]]:
    """The VAT breakdown (BG-23): one entry per category and rate, its lines' net and tax
    summed."""
    sums: dict[tuple[str, str | None], list[Decimal]] = {}
    for line, kind in zip(lines, kinds, strict=True):
        key = (kind, rate(line, kind) if has_rate(kind) else None)
        net, tax = sums.setdefault(key, [Decimal(0), Decimal(0)])
        sums[key] = [net + amount(line["net"], currency), tax + amount(line["tax"], currency)]
    entries = []
    for (kind, percent), (net, tax) in sums.items():
        entry = {"BT-116": stated(net), "BT-117": stated(tax), "BT-118": kind}
        if percent is not None:
            entry["BT-119"] = percent
        if kind in (EXEMPT, NOT_SUBJECT):  # an untaxed category says why (BR-E-10, BR-O-10)
            entry["BT-120"] = WORDS[kind]
        if kind == NOT_SUBJECT:
            entry["BT-121"] = NOT_SUBJECT_CODE
        entries.append(entry)
    return entries


def payment_means(provider: str | None) -> dict[str, str]:
    """How it was paid (BT-81, BT-82): by card through Stripe, offline by a means the ledger
    does not record, or nothing said."""
    if provider == "stripe":
        return {"BT-81": CARD, "BT-82": WORDS["card_payment"]}
    if provider == "offline":
        return {"BT-81": NOT_DEFINED, "BT-82": WORDS["offline_payment"]}
    return {}
