"""An invoice's documents: its XML passes the EN 16931 profile's schema and states the ledger's
amounts as given, a cancellation as a credit note referring to the invoice it cancels; its
PDF carries that same XML, reads back as written in Latin, Polish, Greek and Cyrillic, and
runs onto further pages with the table's header repeated."""

import copy
import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import facturx
import pypdf
import pytest

from workers.invoices.document import invoice_pdf, invoice_xml

NS = {"rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
      "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
      "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
      "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"}
SETTLEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
SUMS = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
SELLER = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty"
BUYER = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty"
LINES = "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"


def line(description: str, quantity: int, unit_price: str, unit_tax: str,
         tax: tuple[str | None, str] = ("VAT", "20"), list_price: str | None = None,
         places: int = 2) -> dict[str, Any]:
    """A line as the ledger writes it: its amounts its quantity times each seat's."""
    gross, seat_tax = Decimal(unit_price), Decimal(unit_tax)
    exact = Decimal(1).scaleb(-places)
    return {"description": description, "quantity": quantity, "unit_price": unit_price,
            "unit_tax": unit_tax, "tax_name": tax[0], "tax_rate": tax[1],
            "list_price": list_price,
            "net": str((quantity * (gross - seat_tax)).quantize(exact)),
            "tax": str((quantity * seat_tax).quantize(exact)),
            "gross": str((quantity * gross).quantize(exact))}


def invoice(lines: list[dict[str, Any]] | None = None, currency: str = "EUR",
            provider: str | None = "stripe", paid: bool = True) -> dict[str, Any]:
    """An invoice of `lines` (a standing ticket at 20 % by default), its taxes and totals
    summed from them as the ledger sums them."""
    lines = lines or [line("Blue Note Night · Standing", 2, "24.00", "4.00",
                           list_price="30.00")]
    places = 0 if currency == "JPY" else 2
    exact = Decimal(1).scaleb(-places)
    taxes: dict[tuple[str | None, str], dict[str, Decimal]] = {}
    for each in lines:
        rate = taxes.setdefault((each["tax_name"], each["tax_rate"]),
                                {"net": Decimal(0), "tax": Decimal(0), "gross": Decimal(0)})
        for key in rate:
            rate[key] += Decimal(each[key])
    total = {key: sum((Decimal(each[key]) for each in lines), Decimal(0)).quantize(exact)
             for key in ("net", "tax", "gross")}
    return {
        "id": "6f1c0c4e-5b1a-4d55-9b0e-1f2a3b4c5d6e",
        "number": "ACME-00001",
        "kind": "invoice",
        "cancels": None,
        "issued_at": "2026-11-30T10:05:00+00:00",
        "currency": currency,
        "seller": {"name": "Jazz Nights GmbH", "address": "Torstraße 1\n10119 Berlin",
                   "country": "DE", "vat_id": "DE136695976", "email": "billing@jazz.example"},
        "buyer": {"name": "Jane Doe", "company": "ACME SARL", "address": "1 rue X\n75001 Paris",
                  "country": "FR", "vat_id": "FR40303265045"},
        "order": {"booking_id": "0b7e9f2c-3d4a-4e5f-8a6b-7c8d9e0f1a2b",
                  "reference": "K7Q2-MX9P", "event_name": "Blue Note Night",
                  "event_starts_at": "2026-12-12T20:00:00-05:00",
                  "venue": "Blue Note, New York"},
        "lines": lines,
        "taxes": [{"name": name, "rate": rate,
                   **{key: str(value.quantize(exact)) for key, value in sums.items()}}
                  for (name, rate), sums in taxes.items()],
        "totals": {key: str(value) for key, value in total.items()},
        "paid": {"provider": provider,
                 "amount": total["gross"] if paid else str(Decimal(0).quantize(exact))},
    }


def cancellation() -> dict[str, Any]:
    cancels = invoice()
    return {**cancels, "number": "ACME-00002", "kind": "cancellation",
            "issued_at": "2026-12-01T09:00:00+01:00",
            "cancels": {"number": "ACME-00001", "issued_at": cancels["issued_at"]}}


def several_rates() -> dict[str, Any]:
    return invoice([line("Blue Note Night · Standing", 2, "24.00", "4.00"),
                    line("Blue Note Night · Programme", 1, "10.75", "0.75", ("VAT", "7.5")),
                    line("Blue Note Night · Members", 1, "15.00", "0.00", ("VAT", "0")),
                    line("Blue Note Night · Cloakroom", 3, "2.00", "0.00", (None, "0"))])


def parsed(xml: bytes) -> ET.Element:
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    return ET.fromstring(xml)  # noqa: S314 - the XML the code under test just wrote


def value(root: ET.Element, path: str) -> str | None:
    return root.findtext(path, namespaces=NS)


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_an_invoice_states_its_number_type_and_the_ledgers_totals() -> None:
    root = parsed(invoice_xml(invoice()))

    assert value(root, "rsm:ExchangedDocument/ram:ID") == "ACME-00001"
    assert value(root, "rsm:ExchangedDocument/ram:TypeCode") == "380"
    assert value(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString") == "20261130"
    assert value(root, f"{SUMS}/ram:TaxBasisTotalAmount") == "40.00"
    assert value(root, f"{SUMS}/ram:TaxTotalAmount") == "8.00"
    assert value(root, f"{SUMS}/ram:GrandTotalAmount") == "48.00"
    assert value(root, f"{SUMS}/ram:TotalPrepaidAmount") == "48.00"
    assert value(root, f"{SUMS}/ram:DuePayableAmount") == "0.00"
    assert value(root, f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") \
        == "48"
    assert value(root, f"{LINES}/ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/"
                       "ram:ChargeAmount") == "20.00"
    assert value(root, "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/"
                       "ram:BuyerReference") == "K7Q2-MX9P"
    assert value(root, f"{BUYER}/ram:Name") == "ACME SARL"
    assert value(root, f"{SELLER}/ram:SpecifiedTradeRegistration/ram:ID") is None
    assert value(root, f"{SELLER}/ram:SpecifiedTaxRegistration/ram:ID") == "DE136695976"
    note = value(root, "rsm:ExchangedDocument/ram:IncludedNote/ram:Content") or ""
    assert "Blue Note Night" in note and "Sat, 12 Dec 2026, 20:00" in note


def test_a_cancellation_is_a_credit_note_that_refers_to_the_invoice_it_cancels() -> None:
    root = parsed(invoice_xml(cancellation()))

    assert value(root, "rsm:ExchangedDocument/ram:TypeCode") == "381"
    cancelled = f"{SETTLEMENT}/ram:InvoiceReferencedDocument"
    assert value(root, f"{cancelled}/ram:IssuerAssignedID") == "ACME-00001"
    assert value(root, f"{cancelled}/ram:FormattedIssueDateTime/qdt:DateTimeString") \
        == "20261130"
    assert value(root, f"{SUMS}/ram:GrandTotalAmount") == "48.00"  # positive, as EN 16931 asks


def test_each_rate_has_its_breakdown_and_an_untaxed_line_beside_taxed_ones_is_exempt() -> None:
    root = parsed(invoice_xml(several_rates()))

    breakdown = {(tax.findtext("ram:CategoryCode", namespaces=NS),
                  tax.findtext("ram:RateApplicablePercent", namespaces=NS)):
                 (tax.findtext("ram:BasisAmount", namespaces=NS),
                  tax.findtext("ram:CalculatedAmount", namespaces=NS),
                  tax.findtext("ram:ExemptionReason", namespaces=NS))
                 for tax in root.findall(f"{SETTLEMENT}/ram:ApplicableTradeTax", NS)}
    assert breakdown == {("S", "20"): ("40.00", "8.00", None),
                         ("S", "7.5"): ("10.00", "0.75", None),
                         ("Z", "0"): ("15.00", "0.00", None),
                         ("E", "0"): ("6.00", "0.00", "Exempt from VAT")}
    assert value(root, f"{SUMS}/ram:TaxTotalAmount") == "8.75"
    assert value(root, f"{SUMS}/ram:GrandTotalAmount") == "79.75"
    assert [item.findtext("ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/"
                          "ram:CategoryCode", namespaces=NS)
            for item in root.findall(LINES, NS)] == ["S", "S", "Z", "E"]


def test_an_invoice_with_nothing_taxed_is_not_subject_to_vat_and_states_no_vat_id() -> None:
    untaxed = invoice([line("Blue Note Night · Standing", 2, "24.00", "0.00", (None, "0"))])
    root = parsed(invoice_xml(untaxed))

    (tax,) = root.findall(f"{SETTLEMENT}/ram:ApplicableTradeTax", NS)
    assert tax.findtext("ram:CategoryCode", namespaces=NS) == "O"
    assert tax.find("ram:RateApplicablePercent", NS) is None
    assert tax.findtext("ram:ExemptionReasonCode", namespaces=NS) == "VATEX-EU-O"
    assert root.find(f"{SELLER}/ram:SpecifiedTaxRegistration", NS) is None
    assert root.find(f"{BUYER}/ram:SpecifiedTaxRegistration", NS) is None
    assert value(root, f"{SELLER}/ram:ID") == "DE136695976"  # the buyer can still tell who
    (page,) = pdf_text(invoice_pdf(untaxed))
    assert "VAT ID DE136695976" in page and "Not subject to VAT" in page


def test_an_unpaid_offline_order_is_due_on_receipt() -> None:
    root = parsed(invoice_xml(invoice(provider="offline", paid=False)))

    assert value(root, f"{SUMS}/ram:DuePayableAmount") == "48.00"
    assert value(root, f"{SUMS}/ram:TotalPrepaidAmount") is None
    assert value(root, f"{SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:Description") \
        == "Payable on receipt."
    assert value(root, f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") \
        == "1"


def test_yen_amounts_are_written_without_decimals() -> None:
    yen = invoice([line("Blue Note Night · Standing", 2, "4800", "800", places=0)],
                  currency="JPY")

    root = parsed(invoice_xml(yen))
    assert value(root, f"{SUMS}/ram:GrandTotalAmount") == "9600"
    assert value(root, f"{SUMS}/ram:TaxTotalAmount") == "1600"
    (page,) = pdf_text(invoice_pdf(yen))
    assert "9,600" in page and "4,800" in page and ".00" not in page


def test_amounts_that_do_not_add_up_are_refused() -> None:
    wrong = invoice()
    wrong["totals"]["tax"] = "8.01"

    with pytest.raises(ValueError, match="not its lines' sums"):
        invoice_xml(wrong)
    finer = copy.deepcopy(invoice())
    finer["lines"][0]["unit_tax"] = "4.005"
    with pytest.raises(ValueError, match="not an amount of EUR"):
        invoice_xml(finer)


def test_the_pdf_carries_the_xml_and_reads_back_its_number_buyer_and_totals() -> None:
    paid = several_rates()
    pdf = invoice_pdf(paid)

    name, embedded = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True)
    assert (name, embedded) == ("factur-x.xml", invoice_xml(paid))
    (page,) = pdf_text(pdf)
    for said in ("Invoice ACME-00001", "ACME SARL", "Jane Doe", "VAT ID FR40303265045",
                 "K7Q2-MX9P", "Sat, 12 Dec 2026, 20:00", "(UTC\u221205:00)", "Total net 71.00",
                 "Total tax 8.75", "Total EUR 79.75", "Paid by card 79.75", "VAT 7.5 %",
                 "VAT 0 %", "Exempt from VAT"):
        assert said in page, said


def test_the_pdf_is_made_for_pdf_a_3() -> None:
    reader = pypdf.PdfReader(io.BytesIO(invoice_pdf(invoice())))

    root: Any = reader.root_object  # the PDF's objects, walked as the file has them
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    metadata = root["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part>" in metadata
    assert b"<pdfaid:conformance>B</pdfaid:conformance>" in metadata
    fonts: Any = reader.pages[0]["/Resources"]
    for font in fonts["/Font"].values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]


def test_a_cancellation_shows_its_amounts_negative_and_what_it_cancels() -> None:
    (page,) = pdf_text(invoice_pdf(cancellation()))

    assert "Cancellation ACME-00002 \u2014 cancels invoice" in page
    assert "This cancels invoice ACME-00001 of 30 Nov 2026 in full." in page
    assert "Total EUR \u221248.00" in page and "Refunded to card \u221248.00" in page


def test_names_in_polish_greek_and_cyrillic_are_drawn_as_written_and_long_ones_wrap() -> None:
    foreign = invoice()
    foreign["buyer"] = {
        "name": "Фёдор Достоевский", "company": "Filharmonia Łódzka Ωδείο", "country": "PL",
        "address": "ul. Narutowicza 20/22, klatka schodowa B, piętro trzecie, lokal numer "
                   "dwieście czterdzieści siedem\n90-135 Łódź", "vat_id": None}

    (page,) = pdf_text(invoice_pdf(foreign))
    assert "Filharmonia Łódzka Ωδείο" in page and "Фёдор Достоевский" in page
    assert "90-135 Łódź" in page and "?" not in page
    assert "piętro trzecie, lokal numer dwieście czterdzieści siedem" not in page  # wrapped


def test_forty_lines_run_onto_a_second_page_with_the_table_header_repeated() -> None:
    many = invoice([line(f"Blue Note Night · Row {row}", 1, "24.00", "4.00")
                    for row in range(40)])

    pages = pdf_text(invoice_pdf(many))
    assert len(pages) >= 2
    assert all("Description Qty Unit price Net Tax rate Tax Gross" in page for page in pages)
    assert "Row 39" in pages[-1] and "Total EUR 960.00" in pages[-1]
    assert f"page {len(pages)} of {len(pages)}" in pages[-1]
