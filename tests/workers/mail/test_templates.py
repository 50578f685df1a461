"""Templates: one per kind, each filled from any message's data without a missing field, in
English for an account that chose no other language or one not offered (the German and Polish
ones: tests/workers/mail/test_languages.py)."""

from workers.mail import templates
from workers.mail.tables import (
    CANCELLATION,
    CONFIRMATION,
    INVOICE_CANCELLED,
    INVOICE_ISSUED,
    KINDS,
    TICKETS_CANCELLED,
)

DATA = {"event": {"name": "Jazz night", "venue": "", "starts_at": "2026-12-12T19:00:00Z",
                  "timezone": "Europe/London", "currency": "EUR"},
        "recipient_name": "Ann", "booking_id": "b-1", "quantity": 2, "total": "50",
        "tickets": [{"code": "c1", "category": "General"}]}


def test_every_kind_has_an_english_template_filled_from_any_data() -> None:
    assert set(templates.TEMPLATES) == set(KINDS)
    for kind in KINDS:
        for data in (DATA, {}):
            subject, body = templates.render(kind, data)
            assert "{" not in subject + body


def test_a_confirmation_says_the_start_in_the_venues_zone_and_leaves_out_an_empty_venue() -> (
        None):
    _, body = templates.render(CONFIRMATION, DATA)
    assert "Starts: Sat, 12 Dec 2026, 19:00 GMT" in body and "Venue:" not in body
    assert "2 tickets, €50.00" in body and "  c1 (General)" in body


def test_one_ticket_and_a_free_booking_read_as_people_say_them() -> None:
    _, body = templates.render(CONFIRMATION, DATA | {"quantity": 1, "total": "0.00"})
    assert "is confirmed: 1 ticket, free." in body


def test_tickets_cancelled_agree_with_their_count_and_a_free_one_names_no_refund() -> None:
    _, one = templates.render(TICKETS_CANCELLED, DATA | {"quantity": 1, "refund": "0.00"})
    assert "1 ticket of your booking b-1 for Jazz night" in one and ") is cancelled;" in one
    assert "Refund" not in one
    _, two = templates.render(TICKETS_CANCELLED, DATA | {"quantity": 2, "refund": "50"})
    assert ") are cancelled;" in two and "Refund: €50.00, what its tickets cost." in two


def test_a_free_booking_cancelled_names_no_refund() -> None:
    _, body = templates.render(CANCELLATION, DATA | {"total": "0.00", "refund": "0.00"})
    assert "Refund" not in body
    _, paid = templates.render(CANCELLATION, DATA | {"refund": "50"})
    assert "Refund: €50.00, what its tickets cost." in paid


def test_an_invoices_total_is_written_as_its_document_writes_it_in_its_currency() -> None:
    invoice = {"number": "JN-00001", "kind": "invoice", "cancels": None, "currency": "JPY",
               "totals": {"net": "4000", "tax": "400", "gross": "4400"}}
    subject, body = templates.render(INVOICE_ISSUED, DATA | {"invoice": invoice})
    assert subject == "Your invoice JN-00001 for Jazz night"
    assert "Total: JP¥4,400." in body and "the attached PDF, invoice-JN-00001.pdf" in body


def test_a_cancellation_names_the_invoice_it_cancels_and_what_it_takes_back() -> None:
    cancellation = {"number": "JN-00002", "kind": "cancellation", "currency": "EUR",
                    "cancels": {"seq": 1, "number": "JN-00001"}, "totals": {"gross": "47.60"},
                    "order": {"event_name": "Blue Note Night"}}
    subject, body = templates.render(INVOICE_CANCELLED, {"invoice": cancellation})
    assert subject == "Cancellation JN-00002 of invoice JN-00001"
    # With no row of its event, the event's name is the one the invoice gives.
    assert "invoice JN-00001 for Blue Note Night" in body
    assert "Amount taken back: €47.60, the whole of invoice JN-00001." in body


def test_a_message_recorded_with_no_language_or_one_no_longer_offered_is_in_english() -> None:
    english = templates.render(CONFIRMATION, DATA, "en")
    assert templates.render(CONFIRMATION, DATA) == english  # recorded before languages
    assert templates.render(CONFIRMATION, DATA | {"language": "fr"}) == english
    assert templates.render(CONFIRMATION, DATA | {"language": "en"}) == english
