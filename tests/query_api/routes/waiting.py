"""Wait, through the API, for a rebuild started at a given moment to finish."""

import time
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import Caller


def wait_rebuilt(
    client: TestClient, who: Caller, name: str, started_at: str, timeout: float = 30
) -> dict[str, Any]:
    """The projection's status once the rebuild begun at `started_at` is idle again."""
    deadline = time.monotonic() + timeout
    while True:
        rows = client.get("/api/projections", headers=who.headers).json()
        row: dict[str, Any] = next(r for r in rows if r["name"] == name)
        progress = row["rebuild"]
        if progress["started_at"] == started_at and progress["state"] == "idle":
            return row
        assert progress["state"] != "failed", progress
        assert time.monotonic() < deadline, f"rebuild of {name} did not finish: {progress}"
        time.sleep(0.05)
