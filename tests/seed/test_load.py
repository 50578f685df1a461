"""The sample data goes in through the commands, and only once."""

from uuid import UUID

from commands.ledger import Ledger
from core.db import session_scope
from core.settings import Settings
from projections import catch_up
from projections.availability import EventRow
from seed.load import load


def test_seed_loads_a_true_history_once(sqlite_settings: Settings) -> None:
    ledger = Ledger(sqlite_settings)
    events = load(ledger)
    assert len(events) == 6
    assert load(ledger) == {}  # a second run changes nothing

    catch_up.advance_all(ledger.eventlog)
    with session_scope() as session:
        rows = {r.name: r for r in session.query(EventRow)}
    assert rows["Winter Gala (cancelled)"].status == "cancelled"
    assert rows["Winter Gala (cancelled)"].available_seats == 80
    assert rows["Indie Showcase"].available_seats == 0  # its last seat taken at checkout
    indie_line = ledger.event(UUID(str(events["indie"])))
    assert [p["quantity"] for p in indie_line.waitlist.values()] == [1, 2]  # two waiting, in order
    workshop = ledger.event(UUID(str(events["workshop"])))
    assert [h["quantity"] for h in workshop.holds.values()] == [1]  # one still held
    assert ledger.event(UUID(str(events["final"]))).max_tickets_per_user == 2
    cancelled = [b for b in ledger.event(events["jazz"]).bookings.values()
                 if b["status"] == "cancelled"]
    assert len(cancelled) == 1
    # Two organizers, each with events in two currencies; Oscar co-organizes Olivia's indie.
    by_organizer: dict[str | None, set[str]] = {}
    for r in rows.values():
        by_organizer.setdefault(r.organizer_name, set()).add(r.currency)
    assert by_organizer["Olivia Organizer"] == by_organizer["Oscar Organizer"] == {"GBP", "EUR"}
    indie = ledger.event(UUID(str(events["indie"])))
    # Organizers' names are sealed in the log with their keys, as every person's.
    assert [ledger.personal.open(name) for name in (
        indie.organizer_name, *indie.co_organizers.values())] == [
        "Olivia Organizer", "Oscar Organizer"]
    ledger.close()
