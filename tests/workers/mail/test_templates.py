"""Templates: one per kind, each filled from any message's data without a missing field; a
translation is a second dict, and a kind it lacks falls back to English."""

import pytest

from workers.mail import templates
from workers.mail.tables import CANCELLATION, CONFIRMATION, KINDS

DATA = {"event": {"name": "Jazz night", "venue": "", "starts_at": "2026-12-12T19:00:00Z",
                  "timezone": "Europe/London", "currency": "EUR"},
        "recipient_name": "Ann", "booking_id": "b-1", "quantity": 2, "total": "50",
        "tickets": [{"code": "c1", "category": "General"}]}


def test_every_kind_has_an_english_template_filled_from_any_data() -> None:
    assert set(templates.ENGLISH) == set(KINDS)
    for kind in KINDS:
        for data in (DATA, {}):
            subject, body = templates.render(kind, data)
            assert "{" not in subject + body


def test_a_confirmation_says_the_start_in_the_venues_zone_and_leaves_out_an_empty_venue() -> (
        None):
    _, body = templates.render(CONFIRMATION, DATA)
    assert "Starts: Sat 12 Dec 2026, 19:00 GMT" in body and "Venue:" not in body
    assert "2 tickets, 50.00 EUR" in body and "  c1 (General)" in body


def test_one_ticket_and_a_free_booking_read_as_people_say_them() -> None:
    _, body = templates.render(CONFIRMATION, DATA | {"quantity": 1, "total": "0.00"})
    assert "is confirmed: 1 ticket, free." in body


def test_a_translation_is_a_second_dict_and_english_fills_its_gaps(
        monkeypatch: pytest.MonkeyPatch) -> None:
    french = {CONFIRMATION: templates.Template("Vos billets pour {event_name}",
                                               "Bonjour {name},\n")}
    monkeypatch.setitem(templates.TEMPLATES, "fr", french)
    assert templates.render(CONFIRMATION, DATA, "fr") == (
        "Vos billets pour Jazz night", "Bonjour Ann,\n")
    assert templates.render(CANCELLATION, DATA, "fr")[0] == (
        "Your booking for Jazz night is cancelled")
