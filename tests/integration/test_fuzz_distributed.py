"""Schemathesis against the distributed stack: the API in 2 processes, PostgreSQL, a Celery worker.

The same checks as tests/security/test_fuzz.py (no 500, every answer as documented): first
every operation as every role, then stateful runs that follow links from one answer into the
next request (an event's id from its creation into its reads, bookings and cancellation, a
booking's into its reads and cancellation, ...). The document declares no links, so they are
the ones schemathesis infers from the schema's shapes. Derandomized and bounded
(FUZZ_DISTRIBUTED_EXAMPLES per operation, 4 by default) so CI runs the same cases every time.
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis.schemas import BaseSchema

from tests.security.test_fuzz import ADMIN, CHECKS, LOGOUT, STREAMS
from tests.stack import pg_database, require_services, service_env, start_api, start_worker

EXAMPLES = int(os.environ.get("FUZZ_DISTRIBUTED_EXAMPLES", "4"))
STEPS = 8
Served = tuple[str, dict[str, dict[str, str]]]
CASES = {"count": 0}


def _token(client: httpx.Client, email: str, password: str) -> dict[str, str]:
    r = client.post("/api/auth/token", data={"username": email, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _roles(url: str) -> dict[str, dict[str, str]]:
    """A token per role, and an event with a booking for the fuzzer to find."""
    with httpx.Client(base_url=url, timeout=30) as client:
        admin = _token(client, *ADMIN)
        for email, role in (("cust@fuzz.test", "customer"), ("aud@fuzz.test", "auditor")):
            body = {"email": email, "password": "password-123", "name": role, "role": role}
            assert client.post("/api/users", json=body, headers=admin).status_code == 201
        customer = _token(client, "cust@fuzz.test", "password-123")
        event = client.post("/api/events", headers=admin, json={
            "name": "Fuzz", "starts_at": "2099-01-01T10:00:00Z", "total_seats": 50}).json()
        client.post(f"/api/events/{event['id']}/book", json={"quantity": 1}, headers=customer)
        return {"anonymous": {}, "customer": customer, "admin": admin,
                "auditor": _token(client, "aud@fuzz.test", "password-123")}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The API (2 processes) and a worker on a fresh PostgreSQL database and a Redis queue."""
    require_services()
    with pg_database("ledger_fuzz") as database_url:
        env = service_env(
            database_url, f"fuzz{uuid.uuid4().hex[:8]}", ADMIN_EMAIL=ADMIN[0],
            ADMIN_PASSWORD=ADMIN[1], SECRET_KEY="fuzz-secret-key-of-at-least-32-bytes",
            READ_WAIT_MAX_SECONDS="0", LOGIN_MAX_FAILURES="1000000",
            AUTH_RATE_PER_IP="1000000/minute", AUTH_RATE_GLOBAL="1000000/minute",
            SIGNUP_RATE_PER_IP="1000000/minute")
        subprocess.run([sys.executable, "-m", "ops.migrate"], env=env, check=True,  # noqa: S603
                       capture_output=True)
        logs = tmp_path_factory.mktemp("fuzz-distributed")
        worker = start_worker(env, logs)
        try:
            api, url = start_api(env, logs, workers=2)
            try:
                yield url, _roles(url)
            finally:
                api.stop()
        finally:
            worker.stop()


@pytest.fixture(scope="module")
def api_schema(served: Served) -> BaseSchema:
    found = schemathesis.openapi.from_url(f"{served[0]}/openapi.json")
    return found.exclude(operation_id_regex=STREAMS).exclude(operation_id_regex=LOGOUT)


BOUNDED = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                   phases=[Phase.explicit, Phase.generate],
                   suppress_health_check=list(HealthCheck))


def fuzz(operation: Any, served: Served) -> None:
    """EXAMPLES cases of one operation, each sent as every role."""
    label = operation.label

    @given(case=operation.as_strategy())
    @BOUNDED
    def each_role(case: Any) -> None:
        for role, auth in served[1].items():
            headers = {k: v for k, v in (case.headers or {}).items()
                       if k.lower() != "authorization"} | auth
            response = case.call(headers=headers, timeout=30)
            CASES["count"] += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:
                raise AssertionError(f"{label} as {role}: {exc}") from exc

    each_role()


def test_every_operation_as_every_role_on_postgres_with_workers(
    api_schema: BaseSchema, served: Served
) -> None:
    # One test over the operations: the schema comes from the served stack, after collection.
    operations = [result.ok() for result in api_schema.get_all_operations()]  # type: ignore[union-attr]  # an invalid operation fails here
    assert len(operations) >= 26
    for operation in operations:
        fuzz(operation, served)


def test_stateful_runs_follow_links_on_postgres_with_workers(
    api_schema: BaseSchema, served: Served
) -> None:
    workflow = api_schema.as_state_machine()
    transitions = api_schema.statistic.transitions.total
    assert transitions >= 50, f"only {transitions} links found between operations"
    admin = served[1]["admin"]

    class AsAdmin(workflow):  # type: ignore[misc, valid-type]  # built at run time
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": admin, "timeout": 30}

        def step(self, input: Any) -> Any:  # noqa: A002 - the library's name
            # A step that raises (a timeout, a dropped connection) would make Hypothesis replay
            # the run against a stack whose answers have moved on; the replay then draws other
            # links and reports a FlakyStrategyDefinition instead of the error. Keep the error.
            try:
                return super().step(input)
            except Exception as exc:
                failures.append(f"{input.case.operation.label} raised: {exc!r}"[:3000])
                return None

        def validate_response(self, response: Any, case: Any, **_: Any) -> None:
            CASES["count"] += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:  # kept, not raised: a replay against the live stack differs
                failures.append(f"{case.operation.label}: {exc}"[:3000])

    failures: list[str] = []
    before = CASES["count"]
    try:
        AsAdmin.run(settings=settings(BOUNDED, max_examples=EXAMPLES * 3,
                                      stateful_step_count=STEPS, phases=[Phase.generate]))
    except FlakyStrategyDefinition:
        # Which links can be followed depends on the live stack's answers, which each run
        # changes (a user created once is taken the next time): Hypothesis may then find a
        # prefix of choices it explored drawing otherwise, and stops generating. Every check
        # made until then is kept in `failures`, and enough steps must have run.
        assert CASES["count"] - before >= STEPS * 2, "the stateful run stopped at once"
    assert not failures, "\n\n".join(failures[:5])


def test_the_distributed_fuzz_sent_requests() -> None:
    """Runs after the fuzz (file order): it did send requests to the served stack."""
    assert CASES["count"] >= 26 * 4, CASES
