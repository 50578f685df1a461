"""An invoice's pages, A4, drawn by fpdf2 in DejaVu Sans (embedded, as PDF/A asks): the seller
and the title, the buyer and the order, the lines in a table whose header starts every page it
runs onto, the tax per rate, the totals and how they were settled. A cancellation shows its
amounts negative and says what it cancels.

fpdf2 writes the pages as PDF/A-3B (its fonts embedded, an sRGB output intent); factur-x then
embeds the XML and writes the document's metadata (`document.invoice_pdf`).
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableBordersLayout, XPos, YPos

from workers.i18n.formats import rate as rate_in
from workers.invoices.amounts import amount, shown
from workers.invoices.dates import moment, shown_day, shown_start
from workers.invoices.en16931 import payment_terms, totals
from workers.invoices.texts import InvoiceWords, in_language
from workers.invoices.vat import EXEMPT, NOT_SUBJECT, categories
from workers.mail.embedded_font_pdf import FACES, FONTS, drawable
from workers.mail.standard_font_pdf import SANS, SANS_BOLD

MARGIN = 18.0  # mm, on every side
FOOTER = 12.0  # mm from the page's bottom edge to the footer's line
FAMILY = FACES[SANS][0]
INK, GREY, RULE = 20, 110, 190  # grey levels of the text, of labels, of the rules
BODY = FontFace(FAMILY, "", 9, INK)
NAME = FontFace(FAMILY, "B", 10, INK)
TITLE = FontFace(FAMILY, "B", 16, INK)
LABEL = FontFace(FAMILY, "", 8, GREY)
SECTION = FontFace(FAMILY, "B", 7.5, GREY)
NOTE = FontFace(FAMILY, "", 7.5, GREY)
TOTAL = FontFace(FAMILY, "B", 10, INK)
# The lines' table: each column's share of the width, and its alignment.
COLUMNS = (("description", 57, Align.L), ("quantity", 9, Align.R),
           ("unit_price", 19, Align.R), ("net", 19, Align.R), ("tax_rate", 17, Align.R),
           ("tax", 17, Align.R), ("gross", 19, Align.R))
CELLS = FontFace(FAMILY, "", 8.5, INK)
HEADINGS = FontFace(FAMILY, "B", 8, GREY)
BUYER_WIDTH = 76.0  # mm: the buyer's block, at the left
ORDER_LEFT = MARGIN + 82  # mm: the order's block, right of the buyer's
LABEL_WIDTH = 30.0  # mm: the order's labels, left of their values
SUMMARY_WIDTH = 92.0  # mm: the breakdown's and the totals' block, at the right
SUMMARY_ROW = 5.5  # mm: the height of one of its rows, at most


class InvoicePages(FPDF):
    """fpdf2's document with the invoice's number and the page's on every page's foot."""

    def __init__(self, number: str, words: InvoiceWords) -> None:
        super().__init__(format="A4", enforce_compliance="PDFA_3B")
        self.number = number
        self.words = words

    def footer(self) -> None:
        self.set_y(-FOOTER)
        with self.use_font_face(NOTE):
            # "{nb}" is fpdf2's stand-in for the number of pages, filled in when known, after
            # the line was placed: aligned left, its width does not matter.
            self.cell(0, 4, self.words["page"].format(number=drawable(self.number),
                                                 page=self.page_no(), pages="{nb}"),
                      align=Align.L)


class Sum(NamedTuple):
    """A row of the summary: its label, its amounts, and whether it stands out."""

    label: str
    amounts: tuple[str, ...]
    strong: bool = False


def title(invoice: Mapping[str, Any], words: InvoiceWords | None = None) -> str:
    """The title: "Invoice ACME-00001", or "Cancellation ACME-00002 — cancels invoice …"."""
    cancels = invoice.get("cancels") or {}
    return (words or in_language(None))[invoice["kind"]].format(
        number=invoice["number"], cancels=cancels.get("number"))


def drawn(invoice: Mapping[str, Any], language: str | None = None) -> bytes:
    """The invoice's pages as a PDF/A-3B in `language` (none: English), without its XML
    yet."""
    words = in_language(language)
    pdf = InvoicePages(invoice["number"], words)
    for family, style, file in (FACES[SANS], FACES[SANS_BOLD]):
        pdf.add_font(family, style, FONTS / file)
    pdf.set_fallback_fonts([FAMILY], exact_match=False)  # a glyph bold lacks, from regular
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN + 4)
    pdf.set_creation_date(moment(invoice["issued_at"]))
    pdf.set_title(drawable(title(invoice, words)))
    pdf.set_author(drawable(invoice["seller"]["name"]))
    pdf.set_lang(words.language)
    pdf.set_draw_color(RULE)
    pdf.add_page()
    heading(pdf, invoice, words)
    parties(pdf, invoice, words)
    lines_table(pdf, invoice, words)
    summary(pdf, invoice, words)
    return bytes(pdf.output())


def write(pdf: FPDF, face: FontFace, words: str, width: float = 0) -> None:
    """A paragraph from the current x, wrapped to `width` (the rest of the line when 0); the
    next one below it, at the same x."""
    x = pdf.get_x()
    with pdf.use_font_face(face):
        pdf.multi_cell(width, (face.size_pt or 9) * 0.5, drawable(words), align=Align.L,
                       new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_x(x)


def party(pdf: FPDF, names: list[str], who: Mapping[str, Any], width: float,
          words: InvoiceWords) -> None:
    """A party's block: its names, the first bold, then its address, country and VAT ID."""
    write(pdf, NAME, names[0], width)
    lines = [line.strip() for line in who["address"].splitlines() if line.strip()]
    for line in [*names[1:], *lines, who["country"]]:
        write(pdf, BODY, line, width)
    if who.get("vat_id"):
        write(pdf, BODY, words["vat_id"].format(vat_id=who["vat_id"]), width)


def heading(pdf: FPDF, invoice: Mapping[str, Any], words: InvoiceWords) -> None:
    """The seller at the top left, the issue date at the right, then the title and, for a
    cancellation, what it cancels."""
    seller = invoice["seller"]
    top = pdf.get_y()
    party(pdf, [seller["name"]], seller, 110, words)
    if seller.get("email"):
        write(pdf, BODY, seller["email"], width=110)
    bottom = pdf.get_y()
    pdf.set_xy(pdf.w - MARGIN - 50, top)
    with pdf.use_font_face(LABEL):
        pdf.cell(50, 4, words["issue_date"], align=Align.R, new_x=XPos.LEFT, new_y=YPos.NEXT)
    with pdf.use_font_face(NAME):
        pdf.cell(50, 5, shown_day(invoice["issued_at"], words.language), align=Align.R)
    pdf.set_xy(MARGIN, bottom + 8)
    write(pdf, TITLE, title(invoice, words))
    if invoice["kind"] == "cancellation":
        cancels = invoice["cancels"]
        pdf.ln(1)
        write(pdf, NAME.replace(emphasis=""), words["cancels_in_full"].format(
            number=cancels["number"], date=shown_day(cancels["issued_at"], words.language)))
    pdf.ln(6)


def parties(pdf: FPDF, invoice: Mapping[str, Any], words: InvoiceWords) -> None:
    """The buyer at the left, the order and its event at the right, side by side."""
    buyer, order = invoice["buyer"], invoice["order"]
    top = pdf.get_y()
    write(pdf, SECTION, words["billed_to"].upper())
    names = [buyer["company"], buyer["name"]] if buyer.get("company") else [buyer["name"]]
    party(pdf, names, buyer, BUYER_WIDTH, words)
    buyer_bottom = pdf.get_y()
    pdf.set_xy(ORDER_LEFT, top)
    write(pdf, SECTION, words["order"].upper())
    facts = [(words["booking_reference"], order["reference"]),
             (words["event"], order["event_name"]),
             (words["starts_at"], shown_start(order["event_starts_at"], words.language))]
    if order.get("venue"):
        facts.append((words["venue"], order["venue"]))
    for label, value in facts:
        with pdf.use_font_face(LABEL):
            pdf.cell(LABEL_WIDTH, 4.5, label)
        write(pdf, BODY, value, width=pdf.w - MARGIN - ORDER_LEFT - LABEL_WIDTH)
        pdf.set_x(ORDER_LEFT)
    pdf.set_xy(MARGIN, max(buyer_bottom, pdf.get_y()) + 8)


def lines_table(pdf: FPDF, invoice: Mapping[str, Any], words: InvoiceWords) -> None:
    """The lines, a row each: what, how many, each seat's price, the line's net, rate, tax
    and gross; under a description, the list price when a voucher lowered it."""
    currency, negative = invoice["currency"], invoice["kind"] == "cancellation"

    def money(text: str) -> str:
        return shown(amount(text, currency), currency, words.language, negative)

    write(pdf, NOTE, words["amounts_in"].format(currency=currency))
    pdf.ln(1)
    with pdf.use_font_face(CELLS), pdf.table(
            col_widths=[share for _, share, _ in COLUMNS],
            text_align=[align for _, _, align in COLUMNS],
            borders_layout=TableBordersLayout.HORIZONTAL_LINES, headings_style=HEADINGS,
            line_height=4.2, padding=(1.6, 1.2), repeat_headings=1) as table:
        table.row([words[name] for name, _, _ in COLUMNS])
        for line, kind in zip(invoice["lines"], categories(invoice["lines"]), strict=True):
            description = drawable(line["description"])
            if line.get("list_price"):
                listed = shown(amount(line["list_price"], currency), currency, words.language)
                description += "\n" + words["list_price"].format(price=listed)
            table.row([description, str(line["quantity"]), money(line["unit_price"]),
                       money(line["net"]), rate_shown(line["tax_rate"], kind, words),
                       money(line["tax"]), money(line["gross"])])
    pdf.ln(4)


def rate_shown(rate: str, kind: str, words: InvoiceWords) -> str:
    """A line's rate as its column shows it: "7.5 %" ("7,5 %" in German), a dash when it is
    untaxed."""
    if kind in (EXEMPT, NOT_SUBJECT):
        return words["untaxed_rate"]
    return f"{rate_in(Decimal(rate).normalize(), words.language)} %"


def tax_rows(invoice: Mapping[str, Any], words: InvoiceWords) -> list[Sum]:
    """The tax per rate as the ledger summed it: net, tax and gross; the untaxed lines under
    the name of their VAT category."""
    currency, negative = invoice["currency"], invoice["kind"] == "cancellation"
    untaxed = NOT_SUBJECT if NOT_SUBJECT in categories(invoice["lines"]) else EXEMPT
    rows = [Sum(words["tax_rate"], (words["net"], words["tax"], words["gross"]))]
    for tax in invoice["taxes"]:
        label = words[untaxed] if tax["name"] is None else words["rate"].format(
            name=tax["name"], rate=rate_in(Decimal(tax["rate"]).normalize(), words.language))
        rows.append(Sum(label, tuple(shown(amount(tax[key], currency), currency,
                                           words.language, negative)
                                     for key in ("net", "tax", "gross"))))
    return rows


def settlement_rows(invoice: Mapping[str, Any], words: InvoiceWords) -> list[Sum]:
    """The totals, then what was paid (a cancellation's: refunded) and what is still due."""
    currency, negative = invoice["currency"], invoice["kind"] == "cancellation"
    sums = totals(invoice)

    def money(value: Decimal) -> tuple[str]:
        return (shown(value, currency, words.language, negative),)

    rows = [Sum(words["total_net"], money(sums.net)),
            Sum(words["total_tax"], money(sums.tax)),
            Sum(words["total"].format(currency=currency), money(sums.gross), strong=True)]
    by_card, paid, due = (("refunded_to_card", "refunded", "refund_due") if negative
                          else ("paid_by_card", "paid", "amount_due"))
    if sums.paid:
        said = by_card if invoice["paid"]["provider"] == "stripe" else paid
        rows.append(Sum(words[said], money(sums.paid)))
    if sums.due or not sums.paid:
        rows.append(Sum(words[due], money(sums.due), strong=True))
    return rows


def summary(pdf: FPDF, invoice: Mapping[str, Any], words: InvoiceWords) -> None:
    """At the right, under the lines: the tax per rate, the totals, and what was paid or is
    still due, with the terms of what is due; the block kept whole on one page."""
    taxes, settled = tax_rows(invoice, words), settlement_rows(invoice, words)
    due = totals(invoice).due
    if pdf.get_y() + SUMMARY_ROW * (len(taxes) + len(settled) + 2) > pdf.h - pdf.b_margin:
        pdf.add_page()
    left = pdf.w - MARGIN - SUMMARY_WIDTH
    for number, row in enumerate(taxes):
        pdf.set_x(left)
        with pdf.use_font_face(SECTION if number == 0 else CELLS):
            pdf.cell(SUMMARY_WIDTH - 3 * 18, 5, drawable(row.label))
            for value in row.amounts:
                pdf.cell(18, 5, value, align=Align.R)
        pdf.ln(5)
    pdf.ln(2)
    for row in settled:
        pdf.set_x(left)
        if row.strong:
            pdf.line(left, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
        with pdf.use_font_face(TOTAL if row.strong else BODY):
            pdf.cell(SUMMARY_WIDTH - 30, 6, row.label)
            pdf.cell(30, 6, row.amounts[0], align=Align.R, new_x=XPos.LMARGIN,
                     new_y=YPos.NEXT)
    if due:
        pdf.set_x(left)
        write(pdf, NOTE, payment_terms(invoice, words))
