"""The invoices' retention rule (`workers.invoice_retention`): an invoice is kept so many years
after the end of the calendar year of the day it states (in UTC, as its e-invoice says it),
and the dry run says so. The job itself, through the app: tests/query_api/routes/
test_invoice_retention.py."""

from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

from workers.invoice_retention import Due, retention_ends


def test_an_invoices_retention_ends_years_after_the_end_of_the_year_it_was_issued_in() -> None:
    assert retention_ends(datetime(2026, 1, 1, tzinfo=UTC), 10) == datetime(2037, 1, 1,
                                                                             tzinfo=UTC)
    assert retention_ends(datetime(2026, 12, 31, 23, 59, tzinfo=UTC), 10) == datetime(
        2037, 1, 1, tzinfo=UTC)
    assert retention_ends(datetime(2026, 6, 1, tzinfo=UTC), 0) == datetime(2027, 1, 1, tzinfo=UTC)
    # Past midnight in Berlin, still the last day of the year in UTC: the day the invoice states.
    berlin = timezone(timedelta(hours=1))
    assert retention_ends(datetime(2027, 1, 1, 0, 30, tzinfo=berlin), 10) == datetime(
        2037, 1, 1, tzinfo=UTC)


def test_the_dry_run_says_which_invoice_keeps_a_person_and_until_when() -> None:
    issued = datetime(2026, 5, 4, 12, tzinfo=UTC)
    person = Due(uuid4(), issued, retention_ends(issued, 10))
    assert person.why == "their newest invoice, of 2026-05-04, was kept until 2037-01-01"
    assert Due(uuid4(), None, None).why == (
        "no invoice of theirs is kept, and they have an invoice key")
