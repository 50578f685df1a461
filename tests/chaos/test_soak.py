"""A short chaos soak on the distributed stack: every fault of the schedule, then the checker.

Forty-five seconds of load on a private PostgreSQL, a streaming replica of it (the API's reads)
and a private Redis (never the shared ones), with the faults compressed into them: an API process
and a worker killed, Redis down for 5 s, PostgreSQL restarted, a worker paused for 10 s, a
projection rebuilt, the replica stopped for 5 s; the read models caught up in two partitions.
It must pass, and the replica must have served reads. The ten-minute soak is
`python -m bench.chaos` (docs/operations.md).
"""

import shutil
from pathlib import Path
from typing import Any

import pytest

from bench.chaos import history
from bench.chaos.faults import KINDS
from bench.chaos.runner import parse, run
from bench.chaos.services import pg_bin
from projections import catch_up
from tests.conftest import IN_CI

pytestmark = pytest.mark.scenario


def require_binaries() -> None:
    try:
        pg_bin()
        missing = [] if shutil.which("redis-server") else ["redis-server"]
    except RuntimeError:
        missing = ["PostgreSQL's initdb"]
    if missing:
        message = f"the chaos soak needs {', '.join(missing)}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def not_recovered_from(report: dict[str, Any]) -> list[str]:
    """The faults after which no booking was answered 2xx, of those that ended while bookings
    were still being sent: the service came back from each, whatever the machine's speed (a
    count of bookings would measure the machine)."""
    ops = [op for op in history.read(Path(report["out"]) / "history.jsonl") if op["kind"] == "book"]
    last_sent = max(op["t0"] for op in ops)
    booked = [op["t1"] for op in ops if op["type"] == "ok"]
    return [fault["kind"] for fault in report["faults"]
            if fault["end"] < last_sent and not any(t > fault["end"] for t in booked)]


def test_a_short_soak_with_every_fault_passes_its_checker(tmp_path: Path) -> None:
    require_binaries()
    report = run(parse(["--minutes", "0.75", "--events", "40", "--customers", "16",
                        "--api-processes", "2", "--probe-seconds", "3", "--out", str(tmp_path)]))
    assert report["check"]["ok"], report["check"]["violations"]
    assert report["verify"]["ok"]
    assert [f["kind"] for f in report["faults"]] == list(KINDS)
    failed = [f for f in report["faults"] if "Error" in f["note"]]
    assert not failed, failed
    faults = {f["kind"]: f for f in report["faults"]}
    assert faults["rebuild"]["note"].startswith("202"), faults["rebuild"]  # rebuilt
    assert faults["replica-stop"]["target"].startswith("replica :"), faults["replica-stop"]
    assert report["replica_reads"] > 0
    # The read models caught up in two partitions each (the soak's default), the tree whole.
    assert {n: report["partitions"][n] for n in catch_up.PROJECTIONS} == dict.fromkeys(
        catch_up.PROJECTIONS, 2)
    assert not_recovered_from(report) == []
    workers = {k: m for k, m in report["memory"].items() if k.startswith("worker")}
    # A bound on what a worker holds, not only on its growth (checked by the soak's own checker):
    # the workers now import the retention tick's modules at start (its task registered), which
    # moved their settled size near the old 150 MB with no growth after.
    assert len(workers) == 2 and all(m["peak_mb"] < 160 for m in workers.values()), workers
    assert (Path(report["out"]) / "rss.html").read_text().count("<polyline") >= 5
