"""Schemathesis against the app's own OpenAPI document: every operation, as every role.

Each generated request (valid and invalid input alike) is sent as an anonymous caller, a
customer, an admin and an auditor: no answer may be a 500, and every answer must be one the
document declares, with that answer's schema and content type. Derandomized (a fixed seed) and
bounded (FUZZ_EXAMPLES per operation, 15 by default) so CI runs the same cases every time.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from core.db import reset_singletons
from ops.migrate import migrate
from query_api.service.app import create_app
from tests.conftest import configure
from tests.fixtures.api import future

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
ADMIN = ("admin@fuzz.test", "admin-password-1")
# Live streams never end: a fuzzer's request would wait forever (test_live.py covers them).
STREAMS = r"^stream_"
# Logout revokes the role's token: every later case would run signed out (test_auth.py covers it).
LOGOUT = r"^logout$"
CASES = {"count": 0}
# A bounce is posted whole as message/rfc822 (any bytes, as the schema says): sent as they are.
schemathesis.serializer.alias("message/rfc822", "application/octet-stream")


def _token(client: TestClient, email: str, password: str) -> dict[str, str]:
    r = client.post("/api/auth/token", data={"username": email, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture(scope="module")
def roles(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[dict[str, dict[str, str]]]:
    """One started embedded system for the whole run: an event, a booking, a token per role."""
    folder = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as monkeypatch:
        migrate(configure(
            monkeypatch, DATABASE_URL=f"sqlite:///{folder / 'ledger.db'}", ADMIN_EMAIL=ADMIN[0],
            ADMIN_PASSWORD=ADMIN[1], SECRET_KEY="fuzz-secret-key-of-at-least-32-bytes",
            READ_WAIT_MAX_SECONDS="0",  # a fuzzed min_position must not wait
            LOGIN_MAX_FAILURES="1000000",  # the fuzzer guesses a lot
            AUTH_RATE_PER_IP="1000000/minute", AUTH_RATE_GLOBAL="1000000/minute",
            SIGNUP_RATE_PER_IP="1000000/minute",
        ))
        yield from _started()
    reset_singletons()
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"fuzz: {CASES['count']} requests checked ({EXAMPLES} examples "
                            "per operation, 4 roles each)")


def _started() -> Iterator[dict[str, dict[str, str]]]:
    with TestClient(create_app()) as client:
        admin = _token(client, *ADMIN)
        for email, role in (("cust@fuzz.test", "customer"), ("aud@fuzz.test", "auditor")):
            body = {"email": email, "password": "password-123", "name": role, "role": role}
            assert client.post("/api/users", json=body, headers=admin).status_code == 201
        customer = _token(client, "cust@fuzz.test", "password-123")
        event = client.post("/api/events", headers=admin, json={
            "name": "Fuzz", "starts_at": future(), "total_seats": 50}).json()
        client.post(f"/api/events/{event['id']}/book", json={"quantity": 1}, headers=customer)
        yield {"anonymous": {}, "customer": customer, "admin": admin,
               "auditor": _token(client, "aud@fuzz.test", "password-123")}


def without_lifespan(app: Any) -> Any:
    """The app as schemathesis calls it, with no lifespan of its own.

    Schemathesis starts an app's lifespan on first use and keeps it to the end of the process:
    here that would be at import, on whatever database the settings name then, with the
    embedded scheduler ticking through every later test (and logging its failures from a
    thread while pytest parses modules, which CPython 3.11's AST builder does not survive).
    The `roles` fixture's client runs the lifespan, on the fuzz database, for the fuzz only.
    An app that raises at the lifespan scope before reading a message has none (ASGI spec).
    """
    async def serve(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            raise RuntimeError("the lifespan is the roles fixture's")
        await app(scope, receive, send)
    return serve


# Built at import (schemathesis parametrizes at collection); its requests read the settings,
# engines and ledger of the moment, which the `roles` fixture points at a fresh database.
schema = schemathesis.openapi.from_asgi("/openapi.json", without_lifespan(create_app())).exclude(
    operation_id_regex=STREAMS).exclude(operation_id_regex=LOGOUT)


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_every_operation_as_every_role(case: Any, roles: dict[str, dict[str, str]]) -> None:
    for role, auth in roles.items():
        headers = {k: v for k, v in (case.headers or {}).items()
                   if k.lower() != "authorization"} | auth
        response = case.call(headers=headers)
        CASES["count"] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:
            raise AssertionError(f"as {role}: {exc}") from exc


def test_the_fuzz_ran_as_every_role() -> None:
    """Runs after the fuzz (file order): it sent requests, 4 per generated case."""
    assert CASES["count"] >= 26 * 4 and CASES["count"] % 4 == 0, CASES
    print(f"\nfuzz: {CASES['count']} requests checked")


def test_the_fuzzer_covers_every_operation_but_the_streams() -> None:
    document = create_app().openapi()
    operations = {op["operationId"] for p in document["paths"].values() for op in p.values()}
    fuzzed = {op for op in operations if not op.startswith("stream_")}
    assert len(fuzzed) >= 26, sorted(operations)
