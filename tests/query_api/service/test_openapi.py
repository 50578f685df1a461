"""The OpenAPI document: clean operation ids, money as strings, OAuth2 for Swagger."""

from typing import Any

from fastapi.testclient import TestClient
from starlette.routing import Match, Route

from query_api.service.app import create_app

OPERATION_IDS = {
    "get_events",
    "create_event",
    "get_event",
    "update_event",
    "cancel_event",
    "complete_event",
    "publish_event",
    "schedule_event_publication",
    "stream_event_availability",
    "stream_events_availability",
    "book_event",
    "get_event_bookings",
    "get_booking",
    "cancel_booking",
    "cancel_booking_with_reason",
    "refund_tickets",
    "mark_booking_paid",
    "mark_booking_refunded",
    "retry_booking_refund",
    "get_user_bookings",
    "hold_seats",
    "confirm_hold",
    "release_hold",
    "get_hold",
    "pay_hold",
    "get_hold_payment",
    "payment_provider_webhook",
    "payments_config",
    "get_payment_methods",
    "join_waitlist",
    "leave_waitlist",
    "get_user_holds",
    "get_user_waitlist",
    "create_webhook",
    "get_webhooks",
    "get_webhook_event_types",
    "get_webhook",
    "delete_webhook",
    "get_webhook_deliveries",
    "replay_webhook",
    "resend_booking_email",
    "get_event_messages",
    "record_mail_bounce",
    "check_in_ticket",
    "undo_ticket_check_in",
    "get_event_box_office",
    "get_event_attendees",
    "get_event_attendees_csv",
    "get_stats",
    "get_me",
    "set_my_language",
    "get_users",
    "create_user",
    "signup",
    "login",
    "logout",
    "change_password",
    "get_projections",
    "rebuild_projection",
    "get_health",
    "get_event_history",
    "get_event_state",
    "get_event_types",
    "get_audit_log",
    "export_event",
    "start_verify_run",
    "get_verify_runs",
    "get_verify_run",
    "get_verify_run_problems",
    "start_reconciliation_run",
    "get_reconciliation_runs",
    "get_reconciliation_run",
    "get_reconciliation_run_problems",
    "get_revenue",
    "get_revenue_csv",
    "get_revenue_taxes_csv",
    "get_public_key",
    "get_checkpoints",
    "get_latest_checkpoint",
    "create_checkpoint",
    "get_booking_proof",
    "get_inclusion_proof",
    "get_consistency_proof",
    "export_proofs",
    "set_user_role",
    "revoke_user_sessions",
    "erase_me",
    "erase_user",
    "erase_my_buyer",
    "add_co_organizer",
    "remove_co_organizer",
    "transfer_event",
    "accept_co_organizer_invitation",
    "decline_co_organizer_invitation",
    "get_event_organizers",
    "get_my_invitations",
    "get_organizers",
    "get_organizer",
    "create_vouchers",
    "disable_voucher",
    "get_event_vouchers",
    "get_event_vouchers_csv",
    "set_seller",
    "get_my_seller",
    "set_my_retention",
    "get_my_retention",
    "get_seller",
    "request_invoice",
    "request_invoice_for_hold",
    "get_booking_invoices",
    "get_invoice_pdf",
    "get_my_invoices",
    "get_my_invoices_csv",
    "get_event_invoices",
    "get_event_invoices_csv",
    "get_my_data",
    "get_user_data",
}


def operations(spec: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {
        op["operationId"]: (method.upper(), path)
        for path, methods in spec["paths"].items()
        for method, op in methods.items()
    }


def test_operation_ids_are_the_route_names(client: TestClient) -> None:
    ops = operations(create_app().openapi())
    assert set(ops) == OPERATION_IDS
    assert ops["complete_event"] == ("POST", "/api/events/{event_id}/complete")
    assert ops["login"] == ("POST", "/api/auth/token")
    assert ops["set_my_language"] == ("PUT", "/api/users/me/language")
    assert ops["book_event"] == ("POST", "/api/events/{event_id}/book")
    assert ops["cancel_booking_with_reason"] == ("POST", "/api/bookings/{booking_id}/cancel")


def test_spec_and_swagger_are_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "Booking ledger"
    flows = spec["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
    assert flows["password"]["tokenUrl"] == "/api/auth/token"
    assert "swagger-ui" in client.get("/docs").text


def test_money_is_a_string_in_responses(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for model, field in (
        ("BookingOut", "unit_price"),
        ("BookingOut", "total_amount"),
        ("CategoryOut", "price"),
        ("CurrencyTotals", "revenue"),
    ):
        assert schemas[model]["properties"][field]["type"] == "string", (model, field)


def test_reads_take_min_position(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/bookings/{booking_id}",
        "/api/users/{user_id}/bookings",
        "/api/admin/stats",
    ):
        names = [p["name"] for p in spec["paths"][path]["get"]["parameters"]]
        assert "min_position" in names, path


def test_renamed_fields_keep_their_old_names_as_deprecated_aliases(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    renamed = (("PlaceOut", "place", "rank"), ("CategoryOut", "waiting", "waitlisted"))
    for model, old, new in renamed:
        fields = schemas[model]["properties"]
        assert fields[old]["deprecated"] is True, (model, old)
        assert fields[old]["description"].startswith(f"Deprecated: use {new}"), (model, old)
        assert "deprecated" not in fields[new], (model, new)


def test_the_booking_is_matched_first_and_the_document_keeps_the_routers_order() -> None:
    app = create_app()
    scope = {"type": "http", "method": "POST", "root_path": "",
             "path": "/api/events/7c9e6679-7425-40de-944b-e07fc1f90ae7/book"}
    tried = next(i for i, route in enumerate(app.router.routes)
                 if route.matches(dict(scope))[0] == Match.FULL)
    plain = sum(1 for route in app.router.routes if isinstance(route, Route))  # docs, schema
    assert tried <= plain  # the first included router's
    paths = list(app.openapi()["paths"])
    assert paths.index("/api/auth/signup") < paths.index("/api/events/{event_id}/book")
