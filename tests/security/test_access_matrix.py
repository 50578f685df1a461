"""Who gets what: every operation of the OpenAPI document called by every kind of caller.

Each row is one operation and what anonymous callers, the booking's owner (a customer),
another customer, an admin and an auditor (who reads everything and writes nothing) get;
`ORGANIZERS` adds what organizer A (who runs the world's event), organizer B (who does not) and
A's co-organizer on that event get, on the embedded system and on PostgreSQL + Redis + a
worker. The table must name every operation the app serves, so a new route cannot ship without
saying who may call it.
"""

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from commands.audit import reconciliation_runs
from core.settings import Settings
from tests.fixtures.api import Caller, future
from tests.support.accounts import accounts_in_store

ROLES = ("anonymous", "owner", "other", "admin", "auditor", "org_a", "org_b", "co_org")


@dataclass
class World:
    """One event with a booking of the owner's, and the callers."""

    client: TestClient
    callers: dict[str, Caller | None]
    event_id: str
    booking_id: str
    owner_id: str
    ticket: str
    admin: Caller
    owner: Caller
    org_a: Caller
    org_b: Caller
    co_org: Caller

    def fresh_event(self, **fields: Any) -> str:
        """Another event of organizer A's, co-organized by `co_org`."""
        body = {"name": "Fresh", "starts_at": future(), "total_seats": 5} | fields
        r = self.client.post("/api/events", json=body, headers=self.org_a.headers)
        assert r.status_code == 201, r.text
        event_id = str(r.json()["id"])
        co_organize(self.client, event_id, self.org_a, self.co_org)
        return event_id

    def fresh_invitation(self) -> str:
        """Another event of organizer A's, to which A invited organizer B."""
        event_id = self.fresh_event()
        r = self.client.post(f"/api/events/{event_id}/organizers", headers=self.org_a.headers,
                             json={"user_id": str(self.org_b.id)})
        assert r.status_code == 201, r.text
        assert str(self.org_b.id) not in [o["id"] for o in r.json()["co_organizers"]]
        return event_id

    def fresh_booking(self) -> str:
        r = self.client.post(f"/api/events/{self.event_id}/book", json={"quantity": 1},
                             headers=self.owner.headers)
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def fresh_ticket_refund(self) -> tuple[str, str]:
        """A booking of the owner's of two tickets, and the body refunding the first."""
        r = self.client.post(f"/api/events/{self.event_id}/book", json={"quantity": 2},
                             headers=self.owner.headers)
        assert r.status_code == 201, r.text
        return str(r.json()["id"]), str(r.json()["tickets"][0]["code"])

    def fresh_hold(self) -> str:
        """A hold of the owner's, on a fresh event (a buyer holds a few at once per event)."""
        r = self.client.post(f"/api/events/{self.fresh_event()}/holds", json={"quantity": 1},
                             headers=self.owner.headers)
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def sold_out_event(self) -> str:
        """A fresh event of one seat, booked by the admin."""
        event_id = self.fresh_event(total_seats=1)
        r = self.client.post(f"/api/events/{event_id}/book", json={"quantity": 1},
                             headers=self.admin.headers)
        assert r.status_code == 201, r.text
        return event_id

    def fresh_place(self) -> str:
        """The owner's place in a sold-out event's line."""
        r = self.client.post(f"/api/events/{self.sold_out_event()}/waitlist",
                             json={"quantity": 1}, headers=self.owner.headers)
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def fresh_webhook(self) -> str:
        """An admin's endpoint (a public address: the guard refuses loopback here)."""
        r = self.client.post("/api/webhooks", headers=self.admin.headers, json={
            "url": "https://93.184.216.34/hook", "event_types": ["booking.created"]})
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def fresh_ticket(self) -> str:
        r = self.client.post(f"/api/events/{self.event_id}/book", json={"quantity": 1},
                             headers=self.owner.headers)
        return str(r.json()["tickets"][0]["code"])

    def checked_in_ticket(self) -> str:
        """A fresh ticket of the owner's, checked in by an admin."""
        code = self.fresh_ticket()
        r = self.client.post(f"/api/tickets/{code}/check-in", headers=self.admin.headers)
        assert r.status_code == 200, r.text
        return code


def _ticket_refund(booking: tuple[str, str]) -> tuple[str, str, dict[str, Any]]:
    booking_id, code = booking
    return ("POST", f"/api/bookings/{booking_id}/refunds",
            {"json": {"tickets": [code], "reason": "Seat plan changed"}})


def co_organize(client: TestClient, event_id: str, organizer: Caller, invitee: Caller) -> None:
    """The organizer invites the invitee to co-organize the event, and they accept."""
    r = client.post(f"/api/events/{event_id}/organizers", headers=organizer.headers,
                    json={"user_id": str(invitee.id)})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/events/{event_id}/organizers/{invitee.id}/accept",
                    headers=invitee.headers)
    assert r.status_code == 200, r.text


Request = tuple[str, str, dict[str, Any]]  # method, path, keyword arguments of the request
Build = Callable[[World], Request]


def _signup(_: World) -> Request:
    email = f"s-{uuid.uuid4().hex[:8]}@example.com"
    return "POST", "/api/auth/signup", {"json": {"email": email, "password": "password-123",
                                                 "name": "S"}}


def _new_user(_: World) -> Request:
    email = f"u-{uuid.uuid4().hex[:8]}@example.com"
    return "POST", "/api/users", {"json": {"email": email, "password": "password-123",
                                           "name": "U", "role": "auditor"}}


def _create_event(_: World) -> Request:
    return "POST", "/api/events", {"json": {"name": "N", "starts_at": future(), "total_seats": 3}}


def at(method: str, path: str, **kw: Any) -> Build:
    return lambda w: (method, path.format(w=w), kw)


def _signed(build: Build) -> Build:
    """`build` once a tree head covers the tree (an admin asked the signer for one)."""
    def signed(w: World) -> Request:
        r = w.client.post("/api/audit/checkpoints", headers=w.admin.headers)
        assert r.status_code == 201, r.text
        return build(w)
    return signed


def _revoke_sessions(w: World) -> Request:
    """Sign a fresh customer out everywhere."""
    email = f"v-{uuid.uuid4().hex[:8]}@example.com"
    r = w.client.post("/api/auth/signup", json={"email": email, "password": "password-123",
                                                "name": "V"})
    assert r.status_code == 201, r.text
    return "POST", f"/api/users/{r.json()['id']}/sessions/revoke", {}


def _erase_user(w: World) -> Request:
    """Forget a fresh customer (the matrix's own callers stay)."""
    email = f"e-{uuid.uuid4().hex[:8]}@example.com"
    r = w.client.post("/api/auth/signup", json={"email": email, "password": "password-123",
                                                "name": "E"})
    assert r.status_code == 201, r.text
    return "POST", f"/api/users/{r.json()['id']}/erasure", {}


def _erase_buyer(w: World) -> Request:
    """Forget a fresh customer who booked the world's event (the matrix's own callers stay)."""
    email = f"b-{uuid.uuid4().hex[:8]}@example.com"
    r = w.client.post("/api/auth/signup", json={"email": email, "password": "password-123",
                                                "name": "B"})
    assert r.status_code == 201, r.text
    token = w.client.post("/api/auth/token", data={"username": email,
                                                   "password": "password-123"})
    assert token.status_code == 200, token.text
    booked = w.client.post(f"/api/events/{w.event_id}/book", json={"quantity": 1}, headers={
        "Authorization": f"Bearer {token.json()['access_token']}"})
    assert booked.status_code == 201, booked.text
    return "POST", f"/api/organizers/me/buyers/{r.json()['id']}/erasure", {}


def _verify_idle(w: World) -> None:
    """Until no verify run runs (one at a time: a run started by the role before finishes)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        runs = w.client.get("/api/audit/verify-runs", headers=w.admin.headers).json()["items"]
        if all(r["status"] != "running" for r in runs):
            return
        time.sleep(0.05)
    raise AssertionError(f"a verify run never finished: {runs}")


def _start_verify_run(w: World) -> Request:
    _verify_idle(w)
    return "POST", "/api/audit/verify-runs", {}


def _verify_run(suffix: str) -> Build:
    """A path under a verify run that finished."""
    def build(w: World) -> Request:
        _verify_idle(w)
        r = w.client.post("/api/audit/verify-runs", headers=w.admin.headers)
        assert r.status_code == 202, r.text
        _verify_idle(w)
        return "GET", f"/api/audit/verify-runs/{r.json()['id']}{suffix}", {}
    return build


def _reconciliation_run(suffix: str) -> Build:
    """A path under a reconciliation run that ended (the matrix's system has no provider to
    start one with: it is written as a process that had one would)."""
    def build(_: World) -> Request:
        now = datetime.now(UTC)
        run = reconciliation_runs.claim("matrix@example.com", now - timedelta(days=1), now)
        reconciliation_runs.fail(run.id, RuntimeError("written by the matrix"))
        return "GET", f"/api/audit/reconciliation-runs/{run.id}{suffix}", {}
    return build


def _set_role(w: World) -> Request:
    """Make a fresh customer an organizer."""
    email = f"r-{uuid.uuid4().hex[:8]}@example.com"
    r = w.client.post("/api/auth/signup", json={"email": email, "password": "password-123",
                                                "name": "R"})
    assert r.status_code == 201, r.text
    return "PATCH", f"/api/users/{r.json()['id']}", {"json": {"role": "organizer"}}


# operationId: (request builder, expected status for anonymous, owner, other, admin, auditor)
MATRIX: dict[str, tuple[Build, tuple[int, int, int, int, int]]] = {
    "signup": (_signup, (201, 201, 201, 201, 201)),
    "login": (at("POST", "/api/auth/token",
                 data={"username": "owner@example.com", "password": "password-123"}),
              (200, 200, 200, 200, 200)),
    # Each signed-in caller signs itself out (its own tokens only, whoever it is).
    "logout": (at("POST", "/api/auth/logout"), (401, 204, 204, 204, 204)),
    # The admin's current password is not password-123: 403, still signed in.
    "change_password": (at("POST", "/api/auth/password",
                           json={"current_password": "password-123",
                                 "new_password": "password-456"}),
                        (401, 200, 200, 403, 200)),
    "get_me": (at("GET", "/api/users/me"), (401, 200, 200, 200, 200)),
    # Each signed-in caller chooses its own language (an auditor's account is its own too).
    "set_my_language": (at("PUT", "/api/users/me/language", json={"language": "de"}),
                        (401, 200, 200, 200, 200)),
    "get_my_data": (at("GET", "/api/users/me/data"), (401, 200, 200, 200, 200)),
    # A person's file: theirs, or an admin's answering their request; never an auditor's.
    "get_user_data": (at("GET", "/api/users/{w.owner_id}/data"), (401, 403, 403, 200, 403)),
    "get_users": (at("GET", "/api/users"), (401, 403, 403, 200, 200)),
    "create_user": (_new_user, (401, 403, 403, 201, 403)),
    "set_user_role": (_set_role, (401, 403, 403, 200, 403)),
    "revoke_user_sessions": (_revoke_sessions, (401, 403, 403, 204, 403)),
    # A person forgets themself with their password typed again: wrong here, so no caller of
    # the matrix is forgotten (403 WRONG_PASSWORD for each).
    "erase_me": (at("DELETE", "/api/users/me", json={"password": "not-the-password"}),
                 (401, 403, 403, 403, 403)),
    "erase_user": (_erase_user, (401, 403, 403, 200, 403)),
    # The buyers of the events the caller runs: an admin runs none here (they have erase_user).
    "erase_my_buyer": (_erase_buyer, (401, 403, 403, 404, 403)),
    "get_events": (at("GET", "/api/events"), (200, 200, 200, 200, 200)),
    "create_event": (_create_event, (401, 403, 403, 201, 403)),
    "get_event": (at("GET", "/api/events/{w.event_id}"), (200, 200, 200, 200, 200)),
    "add_co_organizer": (lambda w: ("POST", f"/api/events/{w.fresh_event()}/organizers",
                                    {"json": {"user_id": str(w.org_b.id)}}),
                         (401, 403, 403, 201, 403)),
    "remove_co_organizer": (lambda w: ("DELETE", f"/api/events/{w.fresh_event()}/organizers/"
                                       f"{w.co_org.id}", {}), (401, 403, 403, 200, 403)),
    # To its co-organizer: the one its organizer may hand it to.
    "transfer_event": (lambda w: ("POST", f"/api/events/{w.fresh_event()}/transfer",
                                  {"json": {"organizer_id": str(w.co_org.id)}}),
                       (401, 403, 403, 200, 403)),
    # Only the invitee answers: organizer B, invited by A (an admin neither).
    "accept_co_organizer_invitation": (
        lambda w: ("POST", f"/api/events/{w.fresh_invitation()}/organizers/{w.org_b.id}/accept",
                   {}), (401, 403, 403, 403, 403)),
    "decline_co_organizer_invitation": (
        lambda w: ("POST", f"/api/events/{w.fresh_invitation()}/organizers/{w.org_b.id}/decline",
                   {}), (401, 403, 403, 403, 403)),
    "get_event_organizers": (at("GET", "/api/events/{w.event_id}/organizers"),
                             (401, 403, 403, 200, 200)),
    "get_my_invitations": (at("GET", "/api/organizers/me/invitations"),
                           (401, 403, 403, 200, 403)),
    "get_organizers": (at("GET", "/api/organizers"), (200, 200, 200, 200, 200)),
    "get_organizer": (at("GET", "/api/organizers/{w.org_a.id}"), (200, 200, 200, 200, 200)),
    "update_event": (at("PUT", "/api/events/{w.event_id}", json={"venue": "Hall B"}),
                     (401, 403, 403, 200, 403)),
    "cancel_event": (lambda w: ("POST", f"/api/events/{w.fresh_event()}/cancel", {}),
                     (401, 403, 403, 200, 403)),
    # Refused by the rules (not started yet) only once the caller got past the role check.
    "complete_event": (at("POST", "/api/events/{w.event_id}/complete"),
                       (401, 403, 403, 400, 403)),
    # Publishing is idempotent: the event is on sale already, answered as it is.
    "publish_event": (at("POST", "/api/events/{w.event_id}/publish"),
                      (401, 403, 403, 200, 403)),
    # Past the rights: the world's event is on sale already, nothing to schedule.
    "schedule_event_publication": (
        at("PUT", "/api/events/{w.event_id}/publication", json={"publish_at": None}),
        (401, 403, 403, 409, 403)),
    "book_event": (at("POST", "/api/events/{w.event_id}/book", json={"quantity": 1}),
                   (401, 201, 201, 201, 403)),
    # Auditors read every event's private data (codes as digests), and write nothing.
    "get_event_bookings": (at("GET", "/api/events/{w.event_id}/bookings"),
                           (401, 403, 403, 200, 200)),
    # BOLA: another customer learns nothing, not even that the booking exists.
    "get_booking": (at("GET", "/api/bookings/{w.booking_id}"), (401, 200, 404, 200, 200)),
    # Its owner's, without a reason; an admin (or its event's organizers) says why, with
    # cancel_booking_with_reason.
    "cancel_booking": (lambda w: ("DELETE", f"/api/bookings/{w.fresh_booking()}", {}),
                       (401, 200, 404, 422, 403)),
    "cancel_booking_with_reason": (
        lambda w: ("POST", f"/api/bookings/{w.fresh_booking()}/cancel",
                   {"json": {"reason": "Seat plan changed"}}), (401, 200, 404, 200, 403)),
    # Who may cancel a booking may give some of its tickets back, saying why as for it.
    "refund_tickets": (lambda w: _ticket_refund(w.fresh_ticket_refund()),
                       (401, 201, 404, 201, 403)),
    # Money taken at the door or by transfer is marked by who runs the event (the world's
    # booking is free: past the check, NOTHING_TO_PAY; no refund is owed on it).
    "mark_booking_paid": (lambda w: ("POST", f"/api/bookings/{w.fresh_booking()}/payment",
                                     {"json": {"method": "door"}}), (401, 403, 403, 409, 403)),
    "mark_booking_refunded": (lambda w: ("POST", f"/api/bookings/{w.booking_id}/payment/refund",
                                         {"json": {}}), (401, 403, 403, 409, 403)),
    "retry_booking_refund": (at("POST", "/api/bookings/{w.booking_id}/payment/refund-retry"),
                             (401, 403, 403, 409, 403)),
    "get_user_bookings": (at("GET", "/api/users/{w.owner_id}/bookings"),
                          (401, 200, 403, 200, 200)),
    "check_in_ticket": (lambda w: ("POST", f"/api/tickets/{w.fresh_ticket()}/check-in", {}),
                        (401, 403, 403, 200, 403)),
    "undo_ticket_check_in": (
        lambda w: ("DELETE", f"/api/tickets/{w.checked_in_ticket()}/check-in", {}),
        (401, 403, 403, 200, 403)),
    # The box office's figures are no one's private data: auditors read them as revenue.
    "get_event_box_office": (at("GET", "/api/events/{w.event_id}/box-office"),
                             (401, 403, 403, 200, 200)),
    # Names and e-mails: only who runs the event (and admins), never an auditor.
    "get_event_attendees": (at("GET", "/api/events/{w.event_id}/attendees"),
                            (401, 403, 403, 200, 403)),
    "get_event_attendees_csv": (at("GET", "/api/events/{w.event_id}/attendees.csv"),
                                (401, 403, 403, 200, 403)),
    # Vouchers are money off: who runs the event (and admins), never an auditor.
    "create_vouchers": (at("POST", "/api/events/{w.event_id}/vouchers",
                           json={"count": 1, "discount": "percent", "value": "10"}),
                        (401, 403, 403, 201, 403)),
    "disable_voucher": (at("POST", "/api/events/{w.event_id}/vouchers/NO-SUCH-CODE/disable"),
                        (401, 403, 403, 422, 403)),
    "get_event_vouchers": (at("GET", "/api/events/{w.event_id}/vouchers"),
                           (401, 403, 403, 200, 403)),
    "get_event_vouchers_csv": (at("GET", "/api/events/{w.event_id}/vouchers.csv"),
                               (401, 403, 403, 200, 403)),
    # Invoices: organizers set their seller's details; a buyer asks for their own booking's
    # invoice (409: organizer A sets none here); an event's invoices are money for its
    # organizers, admins and auditors.
    "set_seller": (at("PUT", "/api/organizers/me/seller", json={
        "name": "Seller", "address": "1 Road", "country": "GB", "prefix": "INV-"}),
                   (401, 403, 403, 200, 403)),
    "get_my_seller": (at("GET", "/api/organizers/me/seller"), (401, 403, 403, 404, 403)),
    "set_my_retention": (at("PUT", "/api/organizers/me/retention",
                            json={"forget_buyers_after_days": None}), (401, 403, 403, 200, 403)),
    "get_my_retention": (at("GET", "/api/organizers/me/retention"), (401, 403, 403, 200, 403)),
    "get_seller": (at("GET", "/api/organizers/{w.owner_id}/seller"), (404, 404, 404, 404, 404)),
    "request_invoice": (at("POST", "/api/bookings/{w.booking_id}/invoice", json={
        "name": "Owner", "address": "1 Road", "country": "GB"}), (401, 409, 404, 409, 404)),
    "request_invoice_for_hold": (lambda w: ("POST", f"/api/holds/{w.fresh_hold()}/invoice", {
        "json": {"name": "Owner", "address": "1 Road", "country": "GB"}}),
                                 (401, 409, 404, 409, 404)),
    "get_booking_invoices": (at("GET", "/api/bookings/{w.booking_id}/invoices"),
                             (401, 200, 404, 200, 200)),
    "get_invoice_pdf": (at("GET", "/api/invoices/00000000-0000-4000-8000-000000000000/pdf"),
                        (401, 404, 404, 404, 404)),
    "get_my_invoices": (at("GET", "/api/organizers/me/invoices"), (401, 403, 403, 200, 403)),
    "get_my_invoices_csv": (at("GET", "/api/organizers/me/invoices.csv"),
                            (401, 403, 403, 200, 403)),
    "get_event_invoices": (at("GET", "/api/events/{w.event_id}/invoices"),
                           (401, 403, 403, 200, 200)),
    "get_event_invoices_csv": (at("GET", "/api/events/{w.event_id}/invoices.csv"),
                               (401, 403, 403, 200, 200)),
    "get_stats": (at("GET", "/api/admin/stats"), (401, 403, 403, 200, 200)),
    "get_projections": (at("GET", "/api/projections"), (401, 403, 403, 200, 200)),
    "rebuild_projection": (at("POST", "/api/projections/bookings/rebuild"),
                           (401, 403, 403, 202, 403)),
    "get_health": (at("GET", "/api/health"), (200, 200, 200, 200, 200)),
    "get_event_history": (at("GET", "/api/audit/events/{w.event_id}/history"),
                          (401, 403, 403, 200, 200)),
    "get_event_state": (at("GET", "/api/audit/events/{w.event_id}/state", params={"version": 1}),
                        (401, 403, 403, 200, 200)),
    "get_audit_log": (at("GET", "/api/audit/log"), (401, 403, 403, 200, 200)),
    "get_event_types": (at("GET", "/api/audit/event-types"), (401, 403, 403, 200, 200)),
    "export_event": (at("GET", "/api/audit/events/{w.event_id}/export"),
                     (401, 403, 403, 200, 200)),
    "start_verify_run": (_start_verify_run, (401, 403, 403, 202, 202)),
    "get_verify_runs": (at("GET", "/api/audit/verify-runs"), (401, 403, 403, 200, 200)),
    "get_verify_run": (_verify_run(""), (401, 403, 403, 200, 200)),
    "get_verify_run_problems": (_verify_run("/problems"), (401, 403, 403, 200, 200)),
    # The matrix's system has no payment provider: staff learn so, nothing is started.
    "start_reconciliation_run": (at("POST", "/api/audit/reconciliation-runs"),
                                 (401, 403, 403, 409, 409)),
    "get_reconciliation_runs": (at("GET", "/api/audit/reconciliation-runs"),
                                (401, 403, 403, 200, 200)),
    "get_reconciliation_run": (_reconciliation_run(""), (401, 403, 403, 200, 200)),
    "get_reconciliation_run_problems": (_reconciliation_run("/problems"),
                                        (401, 403, 403, 200, 200)),
    "get_revenue": (at("GET", "/api/audit/revenue"), (401, 403, 403, 200, 200)),
    "get_revenue_csv": (at("GET", "/api/audit/revenue.csv"), (401, 403, 403, 200, 200)),
    "get_revenue_taxes_csv": (at("GET", "/api/audit/revenue/taxes.csv"),
                              (401, 403, 403, 200, 200)),
    "get_public_key": (at("GET", "/api/audit/public-key"), (200, 200, 200, 200, 200)),
    "get_checkpoints": (at("GET", "/api/audit/checkpoints"), (200, 200, 200, 200, 200)),
    "get_latest_checkpoint": (_signed(at("GET", "/api/audit/checkpoints/latest")),
                              (200, 200, 200, 200, 200)),
    "create_checkpoint": (at("POST", "/api/audit/checkpoints"), (401, 403, 403, 201, 403)),
    "get_booking_proof": (_signed(at("GET", "/api/audit/proofs/bookings/{w.booking_id}")),
                          (401, 200, 404, 200, 200)),
    "get_inclusion_proof": (_signed(at("GET", "/api/audit/proofs/inclusion",
                                       params={"position": 1})), (401, 403, 403, 200, 200)),
    "get_consistency_proof": (_signed(at("GET", "/api/audit/proofs/consistency",
                                         params={"first": 1})), (200, 200, 200, 200, 200)),
    "export_proofs": (at("GET", "/api/audit/export"), (401, 403, 403, 200, 200)),
    "hold_seats": (lambda w: ("POST", f"/api/events/{w.fresh_event()}/holds",
                              {"json": {"quantity": 1}}), (401, 201, 201, 201, 403)),
    # The buyer's own hold; an admin may act on it, an auditor reads it.
    "confirm_hold": (lambda w: ("POST", f"/api/holds/{w.fresh_hold()}/confirm", {}),
                     (401, 201, 404, 201, 403)),
    "release_hold": (lambda w: ("DELETE", f"/api/holds/{w.fresh_hold()}", {}),
                     (401, 200, 404, 200, 403)),
    "get_hold": (lambda w: ("GET", f"/api/holds/{w.fresh_hold()}", {}),
                 (401, 200, 404, 200, 200)),
    # The matrix's system has no payment provider: its buyer (and an admin) learn so, others
    # learn nothing of the hold; the provider's webhook is refused to anyone.
    "pay_hold": (lambda w: ("POST", f"/api/holds/{w.fresh_hold()}/payment",
                            {"json": {"payment_method": "pm_card_visa"}}),
                 (401, 409, 404, 409, 403)),
    "get_hold_payment": (lambda w: ("GET", f"/api/holds/{w.fresh_hold()}/payment", {}),
                         (401, 404, 404, 404, 404)),
    "payment_provider_webhook": (at("POST", "/api/payments/stripe/webhook", content=b"{}"),
                       (409, 409, 409, 409, 409)),
    "payments_config": (at("GET", "/api/payments/config"), (200, 200, 200, 200, 200)),
    "get_payment_methods": (at("GET", "/api/payments/methods"), (200, 200, 200, 200, 200)),
    "join_waitlist": (lambda w: ("POST", f"/api/events/{w.sold_out_event()}/waitlist",
                                 {"json": {"quantity": 1}}), (401, 201, 201, 201, 403)),
    "leave_waitlist": (lambda w: ("DELETE", f"/api/waitlist/{w.fresh_place()}", {}),
                       (401, 200, 404, 200, 403)),
    "get_user_holds": (at("GET", "/api/users/{w.owner_id}/holds"), (401, 200, 403, 200, 200)),
    "get_user_waitlist": (at("GET", "/api/users/{w.owner_id}/waitlist"),
                          (401, 200, 403, 200, 200)),
    # Organizers for their events, admins for all; auditors write nothing.
    "create_webhook": (lambda w: ("POST", "/api/webhooks", {"json": {
        "url": "https://93.184.216.34/hook", "event_types": ["booking.created"],
        "event_id": w.event_id}}), (401, 403, 403, 201, 403)),
    # Anyone signed in reads and deletes their own endpoints (an owner demoted to customer keeps
    # them, suspended): another's is unknown to them.
    "get_webhooks": (at("GET", "/api/webhooks"), (401, 200, 200, 200, 200)),
    "get_webhook_event_types": (at("GET", "/api/webhooks/event-types"),
                                (401, 200, 200, 200, 200)),
    "get_webhook": (lambda w: ("GET", f"/api/webhooks/{w.fresh_webhook()}", {}),
                    (401, 404, 404, 200, 404)),
    "delete_webhook": (lambda w: ("DELETE", f"/api/webhooks/{w.fresh_webhook()}", {}),
                       (401, 404, 404, 200, 404)),
    "get_webhook_deliveries": (
        lambda w: ("GET", f"/api/webhooks/{w.fresh_webhook()}/deliveries", {}),
        (401, 404, 404, 200, 404)),
    "replay_webhook": (lambda w: ("POST", f"/api/webhooks/{w.fresh_webhook()}/replay",
                                  {"json": {"from_position": 1}}), (401, 404, 404, 200, 404)),
    # Its holder, its event's organizers and admins; a fresh booking each, under the bound.
    "resend_booking_email": (
        lambda w: ("POST", f"/api/bookings/{w.fresh_booking()}/resend-email", {}),
        (401, 202, 404, 202, 403)),
    # Recipients' addresses: the event's organizers and admins, not auditors.
    "get_event_messages": (at("GET", "/api/events/{w.event_id}/messages"),
                           (401, 403, 403, 200, 403)),
    # An MTA's bounces: admins (or MAIL_BOUNCE_TOKEN, unset here) pass, to be told the body
    # is not message/rfc822; anyone else is refused before it is read.
    "record_mail_bounce": (at("POST", "/api/mail/bounces", content=b"not a report"),
                           (401, 403, 403, 415, 403)),
}
# operationId: what organizer A, organizer B and A's co-organizer get. Organizers run only
# their own events: B gets 403 on a write to A's event and 404 on a read of its private data.
# A co-organizer edits, reads and checks in; only A (or an admin) cancels, completes, transfers
# and chooses co-organizers (403 NOT_EVENT_OWNER). An operation not listed here gives each of
# them what another customer ("other") gets.
ORGANIZERS: dict[str, tuple[int, int, int]] = {
    "create_event": (201, 201, 201),
    "update_event": (200, 403, 200),
    "cancel_event": (200, 403, 403),
    "complete_event": (400, 403, 403),  # past the ownership check: not started yet
    "publish_event": (200, 403, 200),
    "schedule_event_publication": (409, 403, 409),
    "add_co_organizer": (201, 403, 403),  # A's is an invitation, an admin's counts at once
    "remove_co_organizer": (200, 403, 200),  # the co-organizer removed is the caller: steps down
    "transfer_event": (200, 403, 403),
    "accept_co_organizer_invitation": (403, 200, 403),
    "decline_co_organizer_invitation": (403, 200, 403),
    "get_event_organizers": (200, 404, 200),
    "get_my_invitations": (200, 200, 200),
    "get_event_bookings": (200, 404, 200),
    "get_booking": (200, 404, 200),  # the owner's booking on A's event
    # The event's organizers cancel a customer's booking, saying why (REASON_REQUIRED else).
    "cancel_booking": (422, 404, 422),
    "cancel_booking_with_reason": (200, 404, 200),
    "refund_tickets": (201, 404, 201),
    "mark_booking_paid": (409, 403, 409),
    "mark_booking_refunded": (409, 403, 409),
    "retry_booking_refund": (409, 403, 409),
    "check_in_ticket": (200, 403, 200),
    "undo_ticket_check_in": (200, 403, 200),
    "get_event_box_office": (200, 404, 200),
    "get_event_attendees": (200, 404, 200),
    "get_event_attendees_csv": (200, 404, 200),
    "create_vouchers": (201, 403, 201),
    "disable_voucher": (422, 403, 422),  # past the organizers' check: no such code
    "get_event_vouchers": (200, 404, 200),
    "get_event_vouchers_csv": (200, 404, 200),
    "set_seller": (200, 200, 200),
    "get_my_seller": (404, 404, 404),
    "set_my_retention": (200, 200, 200),
    "get_my_retention": (200, 200, 200),
    "request_invoice": (404, 404, 404),  # not their booking
    "request_invoice_for_hold": (404, 404, 404),
    "get_booking_invoices": (200, 404, 200),
    "get_my_invoices": (200, 200, 200),
    "get_my_invoices_csv": (200, 200, 200),
    "get_event_invoices": (200, 404, 200),
    "get_event_invoices_csv": (200, 404, 200),
    "get_stats": (200, 200, 200),  # each sees their own events' (B: none)
    "book_event": (201, 201, 201),  # organizers buy tickets too
    "get_users": (403, 403, 403),
    "get_user_data": (403, 403, 403),
    "create_user": (403, 403, 403),
    "set_user_role": (403, 403, 403),
    "revoke_user_sessions": (403, 403, 403),
    "erase_me": (403, 403, 403),  # the wrong password
    "erase_user": (403, 403, 403),  # an account spans every organizer's events: admins only
    # A buyer of A's event alone: A's and the co-organizer's to forget; unknown to B.
    "erase_my_buyer": (200, 404, 200),
    "get_projections": (403, 403, 403),
    "rebuild_projection": (403, 403, 403),
    "get_event_history": (403, 403, 403),
    "get_event_state": (403, 403, 403),
    "get_audit_log": (403, 403, 403),
    "get_event_types": (403, 403, 403),
    "export_event": (403, 403, 403),
    "start_verify_run": (403, 403, 403),
    "get_verify_runs": (403, 403, 403),
    "get_verify_run": (403, 403, 403),
    "get_verify_run_problems": (403, 403, 403),
    "start_reconciliation_run": (403, 403, 403),
    "get_reconciliation_runs": (403, 403, 403),
    "get_reconciliation_run": (403, 403, 403),
    "get_reconciliation_run_problems": (403, 403, 403),
    "get_revenue": (403, 403, 403),
    "get_revenue_csv": (403, 403, 403),
    "get_revenue_taxes_csv": (403, 403, 403),
    "hold_seats": (201, 201, 201),  # organizers buy tickets too
    "join_waitlist": (201, 201, 201),
    # A's event: its organizer and co-organizer register endpoints for it, B may not; another
    # organizer's (an admin's) endpoint is unknown to each of them.
    "create_webhook": (201, 403, 201),
    "get_webhooks": (200, 200, 200),
    "get_webhook": (404, 404, 404),
    "delete_webhook": (404, 404, 404),
    "get_webhook_deliveries": (404, 404, 404),
    "replay_webhook": (404, 404, 404),
    "resend_booking_email": (202, 404, 202),
    "get_event_messages": (200, 404, 200),
    "record_mail_bounce": (403, 403, 403),
}


def expected_of(operation: str) -> tuple[int, ...]:
    """The expected status for every role, in ROLES order."""
    base = MATRIX[operation][1]
    return base + ORGANIZERS.get(operation, (base[2],) * 3)


# Server-sent events stream forever: who may open them is checked on the response's status.
STREAMS: dict[str, tuple[Build, tuple[int, int, int, int, int]]] = {
    "stream_event_availability": (at("GET", "/api/events/{w.event_id}/availability/stream"),
                                  (200, 200, 200, 200, 200)),
    "stream_events_availability": (at("GET", "/api/events/availability/stream?ids={w.event_id}"),
                                   (200, 200, 200, 200, 200)),
}


def grant_organizer(client: TestClient, admin: Caller, caller: Caller) -> Caller:
    r = client.patch(f"/api/users/{caller.id}", json={"role": "organizer"},
                     headers=admin.headers)
    assert r.status_code == 200 and r.json()["role"] == "organizer", r.text
    return caller


@pytest.fixture(params=["embedded", pytest.param("distributed", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Iterator[Settings]:
    """Every cell twice: embedded, and PostgreSQL + Redis + a worker (organizers' rights are
    read from projections there, which a worker keeps)."""
    if request.param == "embedded":
        yield request.getfixturevalue("sqlite_settings")
        return
    stack = request.getfixturevalue("distributed_stack")
    with stack.isolated(request.getfixturevalue("monkeypatch")) as settings:
        yield settings


@pytest.fixture
def world(client: TestClient, admin: Caller) -> World:
    # The callers are written to the users table (signing up and in is the matrix's own rows,
    # not what builds its world), each with a token as a sign-in gives.
    made = accounts_in_store({"Owner": "customer", "Other": "customer", "OrgA": "organizer",
                              "OrgB": "organizer", "CoOrg": "organizer", "Audra": "auditor"})
    owner, other, org_a, org_b, co_org, auditor = (
        Caller(uid, f"{name.lower()}@example.com", headers)
        for name, (uid, headers) in made.items())
    event = client.post("/api/events", headers=org_a.headers, json={
        "name": "Matrix night", "starts_at": future(), "total_seats": 200})
    assert event.status_code == 201, event.text
    co_organize(client, event.json()["id"], org_a, co_org)
    booked = client.post(f"/api/events/{event.json()['id']}/book", json={"quantity": 1},
                         headers=owner.headers)
    assert booked.status_code == 201, booked.text
    callers: dict[str, Caller | None] = {
        "anonymous": None, "owner": owner, "other": other, "admin": admin, "auditor": auditor,
        "org_a": org_a, "org_b": org_b, "co_org": co_org}
    return World(client, callers, event.json()["id"], booked.json()["id"], str(owner.id),
                 booked.json()["tickets"][0]["code"], admin, owner, org_a, org_b, co_org)


def test_the_matrix_names_every_operation(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    served = {op["operationId"] for methods in spec["paths"].values() for op in methods.values()}
    assert served - set(MATRIX) - set(STREAMS) == set(), "add the new operations to MATRIX"
    assert set(MATRIX) - served == set(), "MATRIX names operations the app does not serve"


# The cells whose calls let through change what the other cells' requests find: each caller's
# tokens (logout), the callers' passwords, organizer A's seller details (an invoice is then owed
# on the world's booking), the read tables while they are rebuilt. Each of them gets a world of
# its own; every other cell leaves the world as its requests found it (a caller let through acts
# on fresh things of its own), so they share one, one subtest each.
OWN_WORLD = frozenset({"logout", "change_password", "set_seller", "rebuild_projection"})


def check_cell(world: World, operation: str) -> None:
    """Every role calls the operation and gets the status the matrix says."""
    build, expected = MATRIX[operation][0], expected_of(operation)
    got, bodies = {}, {}
    # Each caller let through acts on a request built for it (its own fresh event, booking or
    # hold). The refused ones share one: a refusal changes nothing, and a call let through
    # that should not have been fails here by its status, whatever it did to the others'.
    refused: Request | None = None
    for role, status in zip(ROLES, expected, strict=True):
        if status < 400:
            method, path, kw = build(world)
        else:
            refused = refused or build(world)
            method, path, kw = refused
        caller = world.callers[role]
        headers = caller.headers if caller else {}
        response = world.client.request(method, path, headers=headers, **kw)
        got[role] = response.status_code
        if response.status_code != status:
            bodies[role] = response.text[:300]
        if status >= 400:
            body = response.json()
            assert body["code"] and body["message"], (role, body)
            assert response.headers.get("content-type", "").startswith("application/json")
    assert got == dict(zip(ROLES, expected, strict=True)), (operation, bodies)


@pytest.mark.parametrize("operation", sorted(OWN_WORLD))
def test_who_gets_what_in_a_world_of_its_own(world: World, operation: str) -> None:
    check_cell(world, operation)


def test_who_gets_what(world: World, subtests: pytest.Subtests) -> None:
    for operation in sorted(set(MATRIX) - OWN_WORLD):
        with subtests.test(operation=operation):
            check_cell(world, operation)


def test_streams_are_public(world: World) -> None:
    spec = world.client.get("/openapi.json").json()
    served = {op["operationId"] for methods in spec["paths"].values() for op in methods.values()}
    present = sorted(set(STREAMS) & served)
    if not present:
        pytest.skip("no live streams in this build")
    for operation in present:
        method, path, kw = STREAMS[operation][0](world)
        for role in ROLES:
            caller = world.callers[role]
            with world.client.stream(method, path, headers=caller.headers if caller else {},
                                     **kw) as response:
                assert response.status_code == 200, (operation, role)


def test_guessing_booking_ids_reveals_nothing(world: World) -> None:
    """Another customer's probes get the same 404 whether the booking exists or not."""
    other = world.callers["other"]
    assert other is not None
    probes = [world.booking_id, str(uuid.uuid4()), str(uuid.UUID(int=1)),
              world.booking_id.upper()]
    bodies = []
    for probe in probes:
        for method, suffix in (("GET", ""), ("DELETE", ""), ("POST", "/cancel")):
            r = world.client.request(method, f"/api/bookings/{probe}{suffix}",
                                     headers=other.headers, json={"reason": "Mine"})
            assert r.status_code == 404, (method, probe, r.text)
            body = r.json()
            bodies.append((body["code"], body["message"].replace(probe, "ID")
                           .replace(probe.lower(), "ID")))
    assert len(set(bodies)) == 1, bodies
    # And the owner's booking is still there, untouched.
    owner = world.callers["owner"]
    assert owner is not None
    mine = world.client.get(f"/api/bookings/{world.booking_id}", headers=owner.headers)
    assert mine.json()["status"] == "confirmed"


def test_a_customer_cannot_book_or_read_as_someone_else(world: World) -> None:
    """The booking's user is the token's, whatever the body or query says."""
    other = world.callers["other"]
    assert other is not None
    r = world.client.post(f"/api/events/{world.event_id}/book", headers=other.headers,
                          json={"quantity": 1, "user_id": world.owner_id})
    assert r.status_code == 422  # unknown fields are refused, not ignored
    r = world.client.get("/api/users/me", headers=other.headers,
                         params={"user_id": world.owner_id})
    assert r.json()["id"] == str(other.id)


def test_a_demoted_admin_loses_admin_rights_at_once(world: World) -> None:
    """The role is read from the account on every request, not trusted from the token."""
    from core.db import session_scope  # noqa: PLC0415 - the app's own engine
    from query_api.auth.user_accounts import User  # noqa: PLC0415

    r = world.client.post("/api/users", headers=world.admin.headers, json={
        "email": "second@example.com", "password": "password-123", "name": "Second",
        "role": "admin"})
    assert r.status_code == 201
    token = world.client.post("/api/auth/token", data={
        "username": "second@example.com", "password": "password-123"}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert world.client.get("/api/users", headers=headers).status_code == 200
    with session_scope() as session:
        user = session.get(User, uuid.UUID(r.json()["id"]))
        assert user is not None
        user.role = "customer"
    assert world.client.get("/api/users", headers=headers).status_code == 403


def test_a_customer_cannot_make_themself_an_organizer_or_admin(world: World) -> None:
    """No route lets a customer raise their own role: only an admin grants one."""
    other = world.callers["other"]
    assert other is not None
    for role in ("organizer", "admin"):
        r = world.client.patch(f"/api/users/{other.id}", json={"role": role},
                               headers=other.headers)
        assert r.status_code == 403, r.text
        r = world.client.post("/api/users", headers=other.headers, json={
            "email": f"{role}-x@example.com", "password": "password-123", "name": "X",
            "role": role})
        assert r.status_code == 403, r.text
    r = world.client.post("/api/auth/signup", json={
        "email": "sneaky@example.com", "password": "password-123", "name": "S",
        "role": "admin"})
    assert r.status_code == 422  # unknown fields are refused: sign-up makes customers only
    r = world.client.post(f"/api/events/{world.event_id}/organizers", headers=other.headers,
                          json={"user_id": str(other.id)})
    assert r.status_code == 403
    assert world.client.get("/api/users/me", headers=other.headers).json()["role"] == "customer"


def test_an_organizer_cannot_escalate_nor_co_organize_a_customer(world: World) -> None:
    """Organizers add only organizer accounts, and grant no role."""
    r = world.client.post(f"/api/events/{world.event_id}/organizers",
                          headers=world.org_a.headers, json={"user_id": world.owner_id})
    assert (r.status_code, r.json()["code"]) == (400, "NOT_AN_ORGANIZER")
    r = world.client.patch(f"/api/users/{world.org_a.id}", json={"role": "admin"},
                           headers=world.org_a.headers)
    assert r.status_code == 403


def test_another_organizer_reads_nothing_private_of_the_event(world: World) -> None:
    """B: 404 on A's event's bookings, stats and booking, as for ids that do not exist."""
    b = world.org_b.headers
    for path, params in ((f"/api/events/{world.event_id}/bookings", {}),
                         ("/api/admin/stats", {"event_id": world.event_id}),
                         (f"/api/bookings/{world.booking_id}", {})):
        mine = world.client.get(path, params=params, headers=b)
        unknown = world.client.get(path.replace(world.event_id, str(uuid.uuid4()))
                                   .replace(world.booking_id, str(uuid.uuid4())),
                                   params={k: str(uuid.uuid4()) for k in params}, headers=b)
        assert mine.status_code == unknown.status_code == 404, (path, mine.text)
        assert mine.json()["code"] == unknown.json()["code"]
    stats = world.client.get("/api/admin/stats", headers=b).json()
    assert stats["events"] == [] and stats["totals"]["money"] == []
    seen = world.client.get("/api/admin/stats", headers=world.co_org.headers).json()
    assert [e["id"] for e in seen["events"]] == [world.event_id]


def test_an_auditor_reads_every_event_s_private_data_and_writes_none(world: World) -> None:
    """As an admin reads, with ticket codes as digests; every write to the event is 403."""
    auditor = world.callers["auditor"]
    assert auditor is not None
    admins = world.client.get("/api/admin/stats", headers=world.admin.headers).json()
    seen = world.client.get("/api/admin/stats", headers=auditor.headers).json()
    assert seen["events"] == admins["events"] and seen["totals"] == admins["totals"]
    assert world.event_id in [e["id"] for e in seen["events"]]
    one = world.client.get("/api/admin/stats", params={"event_id": world.event_id},
                           headers=auditor.headers).json()
    assert [e["id"] for e in one["events"]] == [world.event_id]
    page = world.client.get(f"/api/events/{world.event_id}/bookings", headers=auditor.headers)
    assert page.status_code == 200, page.text
    codes = [t["code"] for b in page.json()["items"] for t in b["tickets"]]
    assert codes and world.ticket not in codes
    desk = world.client.get(f"/api/events/{world.event_id}/bookings",
                            headers=world.admin.headers).json()
    assert world.ticket in [t["code"] for b in desk["items"] for t in b["tickets"]]
    for method, path, body in (
            ("PUT", f"/api/events/{world.event_id}", {"venue": "Hall D"}),
            ("POST", f"/api/events/{world.event_id}/cancel", None),
            ("POST", f"/api/events/{world.event_id}/organizers", {"user_id": str(world.org_b.id)}),
            ("POST", f"/api/tickets/{world.ticket}/check-in", None)):
        r = world.client.request(method, path, json=body, headers=auditor.headers)
        assert r.status_code == 403, (method, path, r.text)


def test_a_revoked_organizer_loses_the_rights_at_once(world: World) -> None:
    r = world.client.patch(f"/api/users/{world.org_a.id}", json={"role": "customer"},
                           headers=world.admin.headers)
    assert r.status_code == 200
    r = world.client.put(f"/api/events/{world.event_id}", json={"venue": "Hall C"},
                         headers=world.org_a.headers)
    assert r.status_code == 403
    r = world.client.patch(f"/api/users/{world.admin.id}", json={"role": "customer"},
                           headers=world.admin.headers)
    assert (r.status_code, r.json()["code"]) == (409, "CANNOT_CHANGE_OWN_ROLE")
