"""Verify checks vouchers and prices from the record: every use of a voucher that was made,
enabled and valid then, for its categories, within its uses (a released hold's given back);
every line at the price the category, the voucher and the tax rule make, its tax as the rule's.
Events forged past the aggregate's checks (still chained) are reported, the code never named
whole."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from bench.scenario import new_event
from commands.audit.verify import verify_store
from commands.domain.event import Event
from commands.ledger import Ledger

CATEGORIES = [{"name": "General", "price": Decimal("10.00"), "capacity": 20},
              {"name": "VIP", "price": Decimal("50.00"), "capacity": 5}]


def forge(ledger: Ledger, event_id: UUID, kind: type[Any], **fields: Any) -> None:
    """Append a domain event without the command's checks, as buggy code could."""
    event = ledger.event(event_id)
    event.trigger_event(kind, **fields)
    ledger.store.append(event)


def problems(ledger: Ledger, event_id: UUID) -> list[tuple[str, str]]:
    report = verify_store(ledger)
    [found] = [e for e in report["events"] if e["event_id"] == str(event_id)]
    return [(p["rule"], p["message"]) for p in found["problems"]]


def with_vouchers(ledger: Ledger) -> UUID:
    event_id = new_event(ledger, categories=CATEGORIES)
    ledger.create_vouchers(event_id, codes=["TWICE"], actor=None, discount="percent",
                           value=Decimal(50), max_uses=2, categories=["General"])
    return event_id


def buyer(ledger: Ledger, event_id: UUID, **asked: Any) -> Any:
    return ledger.hold(event_id, user_id=uuid4(), user_name="Ann", category="General",
                       quantity=1, voucher="twice", **asked).view


def test_vouchers_used_through_the_ledger_break_no_rule(any_ledger: Ledger) -> None:
    event_id = with_vouchers(any_ledger)
    released = buyer(any_ledger, event_id)
    any_ledger.release_hold(released["id"])
    booking = any_ledger.confirm_hold(buyer(any_ledger, event_id)["id"]).view
    any_ledger.book(event_id, user_id=uuid4(), user_name="Bo", category="General", quantity=1,
                    voucher="TWICE")
    any_ledger.cancel_booking(booking["id"])
    any_ledger.disable_voucher(event_id, "twice")

    assert problems(any_ledger, event_id) == []


def held(lines: list[dict[str, Any]], voucher: str | None, **fields: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"hold_id": uuid4(), "user_id": "eve", "user_name": "Eve",
            "category": lines[0]["category"], "quantity": sum(line["quantity"] for line in lines),
            "unit_price": lines[0]["unit_price"], "expires_at": now + timedelta(minutes=10),
            "held_at": now, "offer_for": None, "lines": lines, "voucher": voucher} | fields


def line(category: str, price: str, list_price: str, quantity: int = 1) -> dict[str, Any]:
    return {"category": category, "quantity": quantity, "unit_price": Decimal(price),
            "list_price": Decimal(list_price)}


def test_uses_beyond_the_voucher_a_wrong_price_or_category_or_no_voucher_are_reported(
    ledger: Ledger,
) -> None:
    event_id = with_vouchers(ledger)
    forge(ledger, event_id, Event.SeatsHeld, **held([line("General", "5.00", "10.00", 3)],
                                                     "TWICE"))
    forge(ledger, event_id, Event.SeatsHeld, **held([line("General", "1.00", "10.00")], "TWICE"))
    forge(ledger, event_id, Event.SeatsHeld, **held([line("VIP", "25.00", "50.00")], "TWICE"))
    forge(ledger, event_id, Event.SeatsHeld, **held([line("General", "0.00", "10.00")], None))
    forge(ledger, event_id, Event.SeatsHeld, **held([line("General", "5.00", "10.00")],
                                                     "NEVER-MADE"))

    found = problems(ledger, event_id)

    assert {rule for rule, _ in found} == {"voucher", "price"}
    messages = [message for _, message in found]
    assert any("used for 3 seats, more than its 2" in m for m in messages), messages
    assert any("priced 'General' at 1.00" in m for m in messages), messages
    assert any("in 'VIP'" in m for m in messages), messages
    assert any("without a voucher" in m for m in messages), messages
    assert any("never made" in m for m in messages), messages
    assert not any("TWICE" in m or "NEVER-MADE" in m for m in messages), messages


def test_a_use_of_a_disabled_voucher_is_reported(ledger: Ledger) -> None:
    event_id = with_vouchers(ledger)
    ledger.disable_voucher(event_id, "TWICE")
    forge(ledger, event_id, Event.SeatsHeld, **held([line("General", "5.00", "10.00")], "TWICE"))

    assert problems(ledger, event_id) == [("voucher", "hold {} used voucher 'TWI…' once "
                                                      "disabled".format(_last_hold(ledger,
                                                                                   event_id)))]


def _last_hold(ledger: Ledger, event_id: UUID) -> str:
    return next(iter(ledger.event(event_id).holds))


def test_a_tax_other_than_the_rules_is_reported(ledger: Ledger) -> None:
    event_id = with_vouchers(ledger)
    ledger.update_event(event_id, {}, [], taxes=[
        {"name": "VAT", "rate": "20", "inclusive": True, "categories": ["General"]}])
    ledger.hold(event_id, user_id=uuid4(), user_name="Ann", category="General", quantity=1)
    taxed = {"category": "General", "quantity": 1, "unit_price": Decimal("10.00"),
             "unit_tax": Decimal("1.00"), "tax_name": "VAT", "tax_rate": Decimal(20)}
    forge(ledger, event_id, Event.SeatsHeld, **held([taxed], None))

    [(rule, message)] = problems(ledger, event_id)

    assert rule == "price" and "'General' at 10.00 with 1.00 of tax, not 10.00 with 1.67" in (
        message), message
