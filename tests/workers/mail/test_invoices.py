"""Invoices mailed from the real log: each invoice and each cancellation to the booking's buyer
once, its Factur-X PDF attached with the XML that names its number inside; none sent twice when
the subscriber reads the log again; a buyer's company that breaks lines adds no header; a number
holding "/" attached under its name all the same."""

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from email.parser import BytesParser
from email.policy import default
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import facturx
from sqlalchemy import select, update

from bench.scenario import new_event
from commands.domain.actor import Actor
from commands.ledger import Ledger
from core.db import read_scope, session_scope
from core.settings import Settings
from tests.support.history import INVOICE_BUYER, INVOICE_SELLER
from tests.support.smtp_server import SmtpServer, text_of
from tests.workers.invoices.test_document import invoice
from workers.mail import subscriber
from workers.mail.compose import compose
from workers.mail.tables import (
    INVOICE_CANCELLED,
    INVOICE_ISSUED,
    SENT,
    SUBSCRIBER,
    messages,
    tracking,
)

Tick = Callable[[Settings], int]
VAT = [{"name": "VAT", "rate": "19", "inclusive": True, "categories": ["General"]}]
INVOICE_KINDS = (INVOICE_ISSUED, INVOICE_CANCELLED)


def invoiced_booking(writer: Ledger, buyer: dict[str, Any], quantity: int,
                     buyer_details: dict[str, Any] = INVOICE_BUYER) -> tuple[str, UUID]:
    """A booking of `quantity` tickets at 23.80 EUR, VAT included, marked paid by its organizer
    and invoiced to `buyer`: the organizer's id and the booking's."""
    organizer = str(uuid4())
    writer.set_seller(organizer, INVOICE_SELLER)
    event_id = new_event(writer, name="Blue Note Night", organizer_id=organizer,
                         organizer_name="Jo", categories=[
                             {"name": "General", "price": Decimal("23.80"), "capacity": 50}])
    writer.update_event(event_id, {}, [], None, taxes=VAT)
    booking_id = UUID(str(writer.book(event_id, category="General", quantity=quantity,
                                      **buyer["asks"]).view["id"]))
    writer.mark_paid(booking_id, Actor(organizer), "cash", None)
    writer.request_invoice(booking_id, buyer_details, Actor(str(buyer["id"])))
    return organizer, booking_id


def invoice_mails(smtp_server: SmtpServer) -> list[Any]:
    return [m for m in smtp_server.taken() if m["X-Ledger-Message-Kind"] in INVOICE_KINDS]


def invoice_rows() -> list[Any]:
    with read_scope() as session:
        return list(session.execute(select(messages).where(messages.c.kind.in_(INVOICE_KINDS))
                                    .order_by(messages.c.position)))


def attached_pdf(message: Any) -> tuple[str, bytes]:
    """The message's one attachment, a PDF: its file name and bytes."""
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    return attachment.get_filename(), attachment.get_content()


def embedded_xml(pdf: bytes) -> str:
    """The Factur-X XML inside the PDF, checked against the profile's schema."""
    _, xml = facturx.get_facturx_xml_from_pdf(pdf)
    facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")  # raises when not valid
    return bytes(xml).decode("utf-8")


def wait_for_invoices(count: int, smtp_server: SmtpServer, tick: Callable[[], object],
                      timeout: float = 30.0) -> list[Any]:
    """At least `count` invoices' messages taken, running `tick` between looks (the buyers'
    confirmations and refunds go out beside them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tick()
        if len(found := invoice_mails(smtp_server)) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{len(invoice_mails(smtp_server))} invoices' messages of {count}")


def test_an_invoice_issued_is_mailed_to_its_buyer_with_its_factur_x_pdf(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    ann = buyer("Ann")
    _, booking_id = invoiced_booking(writer, ann, quantity=2)

    (message,) = wait_for_invoices(1, smtp_server, lambda: mail_tick(smtp_settings))

    assert message["To"] == f"Ann <{ann['email']}>"
    assert message["Subject"] == "Your invoice JN-00001 for Blue Note Night"
    body = text_of(message)
    assert "Total: €47.60." in body and f"booking {booking_id}" in body
    assert "invoice-JN-00001.pdf" in body and "XML inside the PDF" in body
    filename, pdf = attached_pdf(message)
    assert filename == "invoice-JN-00001.pdf"
    xml = embedded_xml(pdf)
    assert "<ram:ID>JN-00001</ram:ID>" in xml and "ACME SARL" in xml
    (row,) = invoice_rows()
    assert (row.kind, row.status, row.recipient_email, row.booking_id) == (
        INVOICE_ISSUED, SENT, ann["email"], booking_id)
    assert message["Message-ID"] == f"<{row.id}@ledger.test>"


def test_refunded_tickets_mail_the_cancellation_then_the_new_invoice(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    ann = buyer("Ann")
    organizer, booking_id = invoiced_booking(writer, ann, quantity=2)
    codes = [ticket["code"] for ticket in writer.booking(booking_id)["tickets"]]
    writer.refund_tickets(booking_id, codes[:1], Actor(str(ann["id"])))
    writer.settle_invoices(organizer, booking_id)

    mails = wait_for_invoices(3, smtp_server, lambda: mail_tick(smtp_settings))

    by_subject = {m["Subject"]: m for m in mails}
    assert sorted(by_subject) == ["Cancellation JN-00002 of invoice JN-00001",
                                  "Your invoice JN-00001 for Blue Note Night",
                                  "Your invoice JN-00003 for Blue Note Night"]
    assert all(m["To"] == f"Ann <{ann['email']}>" for m in mails)
    cancellation = by_subject["Cancellation JN-00002 of invoice JN-00001"]
    body = text_of(cancellation)
    assert "invoice JN-00001 for Blue Note Night" in body
    assert "cancelled in full by cancellation JN-00002" in body
    assert "Amount taken back: €47.60, the whole of invoice JN-00001." in body
    filename, pdf = attached_pdf(cancellation)
    xml = embedded_xml(pdf)
    assert filename == "invoice-JN-00002.pdf"
    assert "<ram:ID>JN-00002</ram:ID>" in xml and "<ram:TypeCode>381</ram:TypeCode>" in xml
    assert "<ram:IssuerAssignedID>JN-00001</ram:IssuerAssignedID>" in xml
    again = by_subject["Your invoice JN-00003 for Blue Note Night"]
    assert "Total: €23.80." in text_of(again)
    assert "<ram:ID>JN-00003</ram:ID>" in embedded_xml(attached_pdf(again)[1])
    assert [r.kind for r in invoice_rows()] == [INVOICE_ISSUED, INVOICE_CANCELLED,
                                                INVOICE_ISSUED]


def test_reading_the_log_again_mails_no_invoice_twice(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    invoiced_booking(writer, buyer("Ann"), quantity=1)
    invoiced_booking(writer, buyer("Ben"), quantity=1)
    wait_for_invoices(2, smtp_server, lambda: mail_tick(smtp_settings))
    sent = len(smtp_server.taken())

    with session_scope() as session:  # read from the start again: the unique key holds
        session.execute(update(tracking).where(tracking.c.name == SUBSCRIBER).values(position=0))
    assert subscriber.advance(writer.eventlog) == writer.eventlog.last()  # every entry read
    mail_tick(smtp_settings)
    mail_tick(smtp_settings)

    assert len(invoice_rows()) == 2
    assert len(smtp_server.taken()) == sent
    assert len(invoice_mails(smtp_server)) == 2


def test_a_buyers_company_that_breaks_lines_reaches_no_header(
    writer: Ledger, smtp_settings: Settings, smtp_server: SmtpServer,
    buyer: Callable[[str], dict[str, Any]], mail_tick: Tick,
) -> None:
    ann = buyer("Ann")
    company = "ACME\r\nBcc: spy@evil.example\r\nSubject: pay here"
    invoiced_booking(writer, ann, quantity=1, buyer_details={**INVOICE_BUYER,
                                                              "company": company})

    (message,) = wait_for_invoices(1, smtp_server, lambda: mail_tick(smtp_settings))

    assert list(message.keys()) == [
        "Content-Type", "MIME-Version", "From", "To", "Subject", "Date", "Message-ID",
        "X-Ledger-Message-Kind"]
    assert message["Subject"] == "Your invoice JN-00001 for Blue Note Night"
    assert message["To"] == f"Ann <{ann['email']}>"
    assert "spy@evil.example" not in "".join(f"{k}: {v}" for k, v in message.items())
    assert "ACME" in embedded_xml(attached_pdf(message)[1])


def test_an_invoice_number_with_a_slash_is_attached_under_its_name_read_back_as_written(
        ) -> None:
    # A prefix may hold "/", which a plain filename parameter may not: the standard library
    # writes that message, quoting the name.
    document = invoice() | {"number": "JN/2026-00001"}
    row = SimpleNamespace(
        id=uuid4(), kind=INVOICE_ISSUED, subject_id=uuid4(), recipient_name="Ann",
        recipient_email="ann@example.com", created_at=datetime.now(UTC),
        data=json.dumps({"event": {"name": "Blue Note Night"}, "recipient_name": "Ann",
                         "booking_id": str(uuid4()), "invoice": document}, default=str))
    settings = Settings(secret_key="k" * 40, database_url="sqlite://",
                        mail_from="Tickets <tickets@ledger.test>")

    message = BytesParser(policy=default).parsebytes(compose(row, settings).data)

    assert message["Subject"] == "Your invoice JN/2026-00001 for Blue Note Night"
    filename, pdf = attached_pdf(message)
    assert filename == "invoice-JN/2026-00001.pdf"
    assert "<ram:ID>JN/2026-00001</ram:ID>" in embedded_xml(pdf)
