"""A message written directly (`plain_wire`) is the standard library's bytes, byte for byte,
whatever its names, subject, body and attachment hold; and the messages buyers are sent every
day are the ones written directly."""

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.settings import Settings
from workers.mail import plain_wire
from workers.mail.compose import address, by_the_standard_library, compose, date_header, words
from workers.mail.plain_wire import Attachment
from workers.mail.tables import CANCELLATION, CONFIRMATION

SETTINGS = Settings(secret_key="k" * 40, database_url="sqlite://",
                    mail_from="Booking ledger <tickets@ledger.test>")
# Mostly ASCII, which the direct path writes, with the signs that make a header be quoted,
# folded or encoded, and a little of everything else.
TEXT = st.one_of(
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=90),
    st.lists(st.sampled_from([*"abc XYZ", *'"\\(),;:<>@=?', "=?utf-8?q?x?=", "é", "\t",
                              "a" * 40]), max_size=12).map("".join),
    st.text(max_size=40))
FILENAMES = st.one_of(st.uuids().map(lambda u: f"tickets-{u}.pdf"),
                      st.text(st.characters(min_codepoint=33, max_codepoint=126),
                              min_size=1, max_size=80))


def headers_of(name: str, subject: str, message_id: UUID) -> dict[str, Any]:
    return {"From": address("From", "Booking ledger", "tickets@ledger.test", international=False),
            "To": address("To", name, "ann@example.com", international=False),
            "Subject": words("Subject", subject, international=False),
            "Date": "Sun, 29 Nov 2026 20:14:20 +0000",
            "Message-ID": f"<{message_id}@ledger.test>",
            "X-Ledger-Message-Kind": "booking_confirmed"}


@settings(max_examples=300, deadline=None)
@given(name=TEXT, subject=TEXT, body=st.text(max_size=400),
       attachment=st.one_of(st.none(), st.builds(Attachment, FILENAMES, st.just("pdf"),
                                                 st.binary(max_size=300))))
def test_a_message_written_directly_is_the_standard_librarys_bytes(
        name: str, subject: str, body: str, attachment: Attachment | None) -> None:
    message_id = uuid4()
    headers = headers_of(name.replace("\r", " ").replace("\n", " "),
                         subject.replace("\r", " ").replace("\n", " "), message_id)
    boundary = f"=_{message_id.hex}"

    direct = plain_wire.written(headers, body, attachment, boundary)

    if direct is not None:
        assert direct == by_the_standard_library(headers, body, attachment, boundary,
                                                 international=False)


def row_of(kind: str, data: dict[str, Any], name: str = "Ann Buyer") -> Any:
    return SimpleNamespace(data=json.dumps(data), kind=kind, recipient_name=name,
                           recipient_email="ann@example.com", created_at=datetime.now(UTC),
                           id=uuid4(), subject_id=data.get("booking_id"))


CONFIRMED = {"recipient_name": "Ann Buyer", "booking_id": str(uuid4()), "quantity": 2,
             "total": "50.00", "tickets": [{"code": "a" * 22, "category": "General"},
                                           {"code": "b" * 22, "category": "Balcony"}],
             "event": {"name": "Jazz night at the Blue Hall", "venue": "Blue Hall",
                       "currency": "EUR", "starts_at": "2026-12-24T20:00:00+00:00",
                       "timezone": "Europe/Paris"}}
CANCELLED = {"recipient_name": "Ann Buyer", "booking_id": str(uuid4()), "quantity": 1,
             "refund": "25.00", "event": CONFIRMED["event"]}


@pytest.mark.parametrize(("kind", "data", "name"), [
    (CONFIRMATION, CONFIRMED, "Ann Buyer"),
    (CONFIRMATION, CONFIRMED, "Zoë Ångström-Øster"),  # the body is UTF-8 in QP either way
    (CANCELLATION, CANCELLED, 'Ann "The Fan" Buyer'),  # a quoted name still fits its line
])
def test_the_messages_buyers_are_sent_are_written_directly_as_the_standard_library_would(
        kind: str, data: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    row = row_of(kind, data, name)
    written_directly = []
    real = plain_wire.written

    def spied(*args: Any) -> bytes | None:
        written_directly.append(result := real(*args))
        return result

    monkeypatch.setattr(plain_wire, "written", spied)
    letter = compose(row, SETTINGS)

    if name.isascii():
        assert written_directly[0] is not None
        monkeypatch.setattr(plain_wire, "written", lambda *args: None)
        assert compose(row, SETTINGS).data == letter.data
    else:  # a name in encoded words: the standard library's
        assert written_directly == [None]


@given(st.datetimes(timezones=st.one_of(st.none(), st.timezones())))
@settings(max_examples=200, deadline=None)
def test_the_date_header_formatted_once_a_second_is_the_standard_librarys(
        created_at: datetime) -> None:
    assert date_header(created_at) == format_datetime(created_at)


def test_one_moment_in_two_zones_keeps_each_zones_date_header() -> None:
    in_utc = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
    in_warsaw = in_utc.astimezone(ZoneInfo("Europe/Warsaw"))
    assert in_utc == in_warsaw  # one moment: equal, and equally hashed
    assert date_header(in_utc) == "Tue, 01 Dec 2026 12:00:00 +0000"
    assert date_header(in_warsaw) == "Tue, 01 Dec 2026 13:00:00 +0100"
