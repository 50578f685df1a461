"""Verify the ledger through the API, as the web UI does: start a run, follow it to its end."""

import time
from typing import Any

Http = Any  # a TestClient, or an httpx.Client with the server's base URL

def wait_finished(http: Http, headers: dict[str, str], run_id: str,
                  timeout: float = 120) -> dict[str, Any]:
    """The run once it is no longer running."""
    deadline = time.monotonic() + timeout
    while True:
        r = http.get(f"/api/audit/verify-runs/{run_id}", headers=headers)
        assert r.status_code == 200, r.text
        run: dict[str, Any] = r.json()
        if run["status"] != "running":
            return run
        assert time.monotonic() < deadline, f"verify run did not finish: {run}"
        time.sleep(0.05)


def verified(http: Http, headers: dict[str, str], timeout: float = 120) -> dict[str, Any]:
    """A new verify run, finished (after any run already under way), with its report."""
    deadline = time.monotonic() + timeout
    while True:
        r = http.post("/api/audit/verify-runs", headers=headers)
        if r.status_code == 202:
            run = wait_finished(http, headers, r.json()["id"], deadline - time.monotonic())
            assert run["status"] == "finished", run
            return run
        assert r.status_code == 409 and r.json()["code"] == "VERIFY_RUNNING", r.text
        assert time.monotonic() < deadline, "a verify run never let another start"
        time.sleep(0.05)


def verify_report(http: Http, headers: dict[str, str], timeout: float = 120) -> dict[str, Any]:
    """The report of a new verify run (its lists cut to their first entries)."""
    report: dict[str, Any] = verified(http, headers, timeout)["report"]
    return report
