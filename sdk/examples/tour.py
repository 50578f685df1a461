"""A tour of event_sdk against a running server: every group of operations, in order."""

import argparse
import os
import time
import uuid
from datetime import UTC, datetime, timedelta

from event_sdk import (
    ApiClient,
    ApiException,
    BookIn,
    CategoryIn,
    CategorySet,
    Configuration,
    CoOrganizerIn,
    EventCreate,
    EventUpdate,
    HoldIn,
    HoldLineIn,
    PlaceIn,
    Price,
    RoleIn,
    SignupIn,
    WebhookIn,
)
from event_sdk.api.admin_api import AdminApi
from event_sdk.api.audit_api import AuditApi
from event_sdk.api.auth_api import AuthApi
from event_sdk.api.bookings_api import BookingsApi
from event_sdk.api.events_api import EventsApi
from event_sdk.api.holds_api import HoldsApi
from event_sdk.api.operations_api import OperationsApi
from event_sdk.api.organizers_api import OrganizersApi
from event_sdk.api.proofs_api import ProofsApi
from event_sdk.api.tickets_api import TicketsApi
from event_sdk.api.users_api import UsersApi
from event_sdk.api.webhooks_api import WebhooksApi
from verify_proofs import verify_consistency, verify_inclusion


def step(title: str, detail: object = "") -> None:
    print(f"-- {title}: {detail}")


def signed_in(host: str, email: str, password: str) -> ApiClient:
    """A client carrying the bearer token of the OAuth2 password flow."""
    token = AuthApi(ApiClient(Configuration(host=host))).login(email, password).access_token
    return ApiClient(Configuration(host=host, access_token=token))


def tour(host: str, admin_email: str, admin_password: str) -> None:
    # The seed challenge's snippet: ApiClient() uses the default configuration.
    Configuration.set_default(Configuration(host=host))
    events = EventsApi(ApiClient()).get_events()
    step("events (anonymous)", f"{len(events.items)} on the first page")
    step("health", OperationsApi(ApiClient()).get_health().status)

    email, password = f"tour-{uuid.uuid4().hex[:8]}@example.com", "tour-password-1"
    me = AuthApi(ApiClient()).signup(SignupIn(email=email, password=password, name="Tour Guest"))
    step("signed up", f"{me.email} ({me.role})")
    customer, admin = signed_in(host, email, password), signed_in(host, admin_email, admin_password)
    assert UsersApi(customer).get_me().id == me.id
    step("users (admin)", f"{len(UsersApi(admin).get_users(limit=5).items)} on the first page")

    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=60)
    created = EventsApi(admin).create_event(EventCreate(
        name=f"SDK tour {email}", venue="Tour Hall", starts_at=starts, max_tickets_per_user=4,
        categories=[CategoryIn(name="General", price=Price("20.00"), capacity=5)]))
    step("created event", f"{created.id} at position {created.position}")
    updated = EventsApi(admin).update_event(created.id, EventUpdate(
        description="Now with a bigger room",
        categories=[CategorySet(name="General", price=Price("20.00"), capacity=8)]))
    event = EventsApi().get_event(created.id, min_position=updated.position)
    step("updated event", f"{event.available_seats} of {event.total_seats} seats left")
    found = EventsApi().get_events(q="SDK tour", min_position=updated.position)
    assert any(e.id == created.id for e in found.items)

    bookings, key = BookingsApi(customer), f"tour-{uuid.uuid4()}"
    booking = bookings.book_event(created.id, BookIn(quantity=2), idempotency_key=key)
    step("booked", f"{booking.id}: {booking.quantity} x {booking.unit_price}")
    replay = bookings.book_event_with_http_info(created.id, BookIn(quantity=2),
                                                idempotency_key=key)
    mine = bookings.get_user_bookings(me.id, min_position=booking.position)
    assert replay.status_code == 200 and len(mine.items) == 1
    step("replayed the same Idempotency-Key", f"HTTP {replay.status_code}, nothing more booked")
    prove(customer, admin, booking.id)
    try:
        bookings.book_event(created.id, BookIn(quantity=7))
    except ApiException as refused:
        step("refused", f"HTTP {refused.status}: {refused.body}")
    else:
        raise SystemExit("booking 7 of the 6 seats left was accepted")

    checked = TicketsApi(admin).check_in_ticket(booking.tickets[0].code)
    step("checked in", f"ticket {checked.code}: {checked.status}")
    second = bookings.book_event(created.id, BookIn(quantity=1))
    cancelled = bookings.cancel_booking(second.id)
    step("cancelled", f"{cancelled.id}: {cancelled.status}")
    mine = bookings.get_user_bookings(me.id, min_position=cancelled.position)
    step("my bookings", [(b.quantity, b.status) for b in mine.items])

    stats = AdminApi(admin).get_stats(event_id=created.id, min_position=cancelled.position)
    money = [(m.currency, m.revenue, m.refunds) for m in stats.totals.money]
    step("stats (revenue, refunds per currency)", money)
    lags = {p.name: p.lag_events for p in OperationsApi(admin).get_projections()}
    step("projections (lag)", lags)
    audit_feed(AuditApi(admin), bookings, created.id)
    organizer_day(host, admin, customer)
    checkout_and_waitlist(host, admin, customer)


def checkout_and_waitlist(host: str, admin: ApiClient, customer: ApiClient) -> None:
    """Hold seats at checkout and confirm them; join a sold-out waitlist and take the offer."""
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=20)
    small = EventsApi(admin).create_event(EventCreate(
        name=f"Attic gig {uuid.uuid4().hex[:6]}", starts_at=starts, total_seats=3,
        hold_seconds=300))
    holds = HoldsApi(customer)
    held = holds.hold_seats(small.id, HoldIn(quantity=3), idempotency_key=uuid.uuid4().hex)
    step("held", f"{held.quantity} seats until {held.expires_at:%H:%M:%S}")
    booking = holds.confirm_hold(held.id)
    step("hold confirmed", f"booking {booking.id} with {len(booking.tickets)} tickets")
    email, password = f"lena-{uuid.uuid4().hex[:8]}@example.com", "waiting-pass-1"
    AuthApi(ApiClient()).signup(SignupIn(email=email, password=password, name="Lena"))
    lena = HoldsApi(signed_in(host, email, password))
    place = lena.join_waitlist(small.id, PlaceIn(quantity=1))
    step("waitlist", f"a place ranked #{place.rank}")
    BookingsApi(customer).cancel_booking(booking.id)
    me = UsersApi(lena.api_client).get_me()
    for _ in range(150):  # the waitlists' process manager offers within a few seconds
        offers = [h for h in lena.get_user_holds(me.id).items if h.offer and h.status == "active"]
        if offers:
            break
        time.sleep(0.2)
    else:
        raise SystemExit("no offer came from the waitlist")
    taken = lena.confirm_hold(offers[0].id)
    step("offer taken", f"{taken.quantity} seat, booking {taken.id}")
    order_across_categories(admin, holds)


def order_across_categories(admin: ApiClient, holds: HoldsApi) -> None:
    """Hold seats of two categories in one order, all or none, and confirm one booking."""
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=21)
    club = EventsApi(admin).create_event(EventCreate(
        name=f"Club night {uuid.uuid4().hex[:6]}", starts_at=starts,
        categories=[CategoryIn(name="Floor", price=Price("0.00"), capacity=10),
                    CategoryIn(name="Balcony", price=Price("0.00"), capacity=4)]))
    order = holds.hold_seats(club.id, HoldIn(lines=[HoldLineIn(category="Floor", quantity=2),
                                                    HoldLineIn(category="Balcony", quantity=1)]))
    step("order held", [(line.category, line.quantity) for line in order.lines or []])
    booking = holds.confirm_hold(order.id)
    step("order booked", [t.category for t in booking.tickets])


def new_organizer(host: str, admin: ApiClient, name: str) -> tuple[ApiClient, uuid.UUID]:
    """Sign up, then an admin grants the organizer role: a customer cannot take it alone."""
    email, password = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com", "organizer-pass-1"
    me = AuthApi(ApiClient()).signup(SignupIn(email=email, password=password, name=name))
    UsersApi(admin).set_user_role(me.id, RoleIn(role="organizer"))
    return signed_in(host, email, password), me.id


def organizer_day(host: str, admin: ApiClient, customer: ApiClient) -> None:
    """An organizer creates an event, sells, reads their stats, adds a co-organizer."""
    olga, olga_id = new_organizer(host, admin, "Olga")
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=45)
    mine = EventsApi(olga).create_event(EventCreate(
        name=f"Ceilidh {olga_id}", venue="Corn Exchange", starts_at=starts, currency="GBP",
        categories=[CategoryIn(name="General", price=Price("37.50"), capacity=80)]))
    step("organizer's event", f"{mine.name} by {mine.organizer_name}")
    sold = BookingsApi(customer).book_event(mine.id, BookIn(quantity=3))
    stats = AdminApi(olga).get_stats(min_position=sold.position)
    assert [e.id for e in stats.events] == [mine.id]  # only the events Olga runs
    step("organizer's stats", [(m.currency, m.net) for m in stats.totals.money])
    _, oscar_id = new_organizer(host, admin, "Oscar")
    shared = OrganizersApi(olga).add_co_organizer(mine.id, CoOrganizerIn(user_id=oscar_id))
    step("co-organizers", [o.name for o in shared.co_organizers])
    theirs = EventsApi().get_events(organizer=olga_id, min_position=shared.position)
    step("organizer's public page", [e.name for e in theirs.items])
    hook = WebhooksApi(olga).create_webhook(WebhookIn(
        url="https://93.184.216.34/ledger-hook", event_types=["booking.created"],
        event_id=mine.id))
    step("webhook", f"{hook.id}: secret shown once ({hook.secret[:6]}...)")


def audit_feed(audit: AuditApi, bookings: BookingsApi, event_id: uuid.UUID) -> None:
    """Read the global log to its end, then resume from the saved cursor after a new write."""
    cursor, seen = 0, 0
    while True:
        page = audit.get_audit_log(after=cursor, limit=50)
        seen += len(page.items)
        if not page.items:
            break
        cursor = page.next_cursor
    step("audit log", f"{seen} events read, cursor {cursor}")
    bookings.book_event(event_id, BookIn(quantity=1))
    resumed = audit.get_audit_log(after=cursor, limit=50)
    step("audit log resumed", [(e.aggregate_type, e.type) for e in resumed.items])
    assert resumed.items and all(e.position > cursor for e in resumed.items)
    history = audit.get_event_history(event_id)
    step("event history", [e.type for e in history.items])


def prove(customer: ApiClient, admin: ApiClient, booking_id: uuid.UUID) -> None:
    """A booking's inclusion proof and a consistency proof, verified here (verify_proofs)."""
    keys = ProofsApi(ApiClient()).get_public_key()
    # The signer signs a head on its schedule (a minute by default); an admin may ask for one
    # now. Until one covers the booking, the proof answers 409 with Retry-After.
    ProofsApi(admin).create_checkpoint()
    proof = ProofsApi(customer).get_booking_proof(booking_id)
    verify_inclusion(proof, keys)
    step("proof verified", f"leaf {proof.leaf_index} of the head of size {proof.tree_size}")
    later = ProofsApi(admin).create_checkpoint()
    grown = ProofsApi(ApiClient()).get_consistency_proof(first=proof.tree_size,
                                                        second=later.tree_size)
    verify_consistency(grown, keys)
    step("heads consistent", f"{proof.tree_size} -> {later.tree_size}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("LEDGER_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--admin-email", default=os.environ.get("ADMIN_EMAIL", "admin@example.com"))
    parser.add_argument("--admin-password",
                        default=os.environ.get("ADMIN_PASSWORD", "admin-password"))
    args = parser.parse_args()
    tour(args.host, args.admin_email, args.admin_password)
    print("tour complete")


if __name__ == "__main__":
    main()
