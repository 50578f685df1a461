"""An invoice's documents: its EN 16931 XML (Factur-X's "EN 16931" profile, CII syntax), and
its PDF/A-3 for people with that XML embedded, so that one file serves a reader and an
accountant's software alike.

An invoice is the ledger's JSON-like mapping of one: its number, kind ("invoice" or
"cancellation", and then the invoice it `cancels`), issue time, currency, seller, buyer,
order, lines, taxes per rate, totals and what was `paid`, every amount a positive decimal
string in the currency's major unit. A cancellation is a credit note referring to the invoice
it cancels: positive in its XML, as EN 16931 states a credit note, and negative on its page.
"""

from collections.abc import Mapping
from typing import Any

import facturx

from core.personal import Personal, is_sealed
from projections.personal import buyer_of
from workers.invoices.en16931 import business_terms
from workers.invoices.layout import drawn, title
from workers.invoices.texts import in_language

FLAVOR, LEVEL = "factur-x", "en16931"


def opened(invoice: Mapping[str, Any]) -> Mapping[str, Any]:
    """The invoice with its buyer in the clear: a document as the log holds it (a message's)
    has them sealed with the buyer's invoice key (`core.personal`)."""
    buyer = invoice["buyer"]
    if not is_sealed(buyer):
        return invoice
    return {**invoice, "buyer": buyer_of(Personal.from_plain(buyer))}


def invoice_xml(invoice: Mapping[str, Any]) -> bytes:
    """The invoice's CII XML, checked against the profile's XML schema. Its business rules
    (the schematron) are not checked here: factur-x runs them on a Saxon server only."""
    invoice = opened(invoice)
    xml: bytes = facturx.generate_cii_xml(
        business_terms(invoice), level=LEVEL, check_xsd=True, check_schematron=False)
    return xml


def invoice_pdf(invoice: Mapping[str, Any], language: str | None = None) -> bytes:
    """The invoice's pages as a Factur-X PDF/A-3 in `language` (a buyer's; none: English),
    its XML embedded and checked again."""
    invoice = opened(invoice)
    words = in_language(language)
    named = title(invoice, words)
    metadata = {"author": invoice["seller"]["name"], "title": named, "subject": named,
                "keywords": "Factur-X"}
    pdf: bytes = facturx.generate_from_binary(
        drawn(invoice, words.language), invoice_xml(invoice), flavor=FLAVOR, level=LEVEL,
        check_xsd=True, pdf_metadata=metadata, lang=words.language)
    return pdf
