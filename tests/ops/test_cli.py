"""The `ledger` command: verify, replay, export, rebuild and repartition on the embedded system."""

from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import text

from bench.scenario import scenario
from commands.ledger import Ledger
from core.db import get_engine, session_scope
from ops.cli import main
from projections import catch_up, registry, tracking
from tests.support.tampering import delete_row
from tools import verify_export


def test_verify_prints_a_summary_and_exits_1_on_drift(
    ledger: Ledger, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario(ledger)
    catch_up.advance_all(ledger.eventlog)
    assert main(["verify"]) == 0
    assert "OK" in capsys.readouterr().out

    with get_engine().begin() as conn:
        conn.execute(text("UPDATE event_categories SET sold = 99"))
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert "drift in projection availability" in out and "sold=99" in out


def test_export_writes_lines_the_offline_verifier_accepts(
    ledger: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event_id = scenario(ledger).event_id
    export = tmp_path / "event.jsonl"

    assert main(["export", str(event_id), "-o", str(export)]) == 0
    assert verify_export.main([str(export)]) == 0
    assert "OK: 10 events" in capsys.readouterr().out
    lines = export.read_text().splitlines()
    export.write_text("\n".join(lines[:3] + lines[4:]))
    assert verify_export.main([str(export)]) == 1
    assert "line 4: version 5 follows 3" in capsys.readouterr().out
    assert main(["export", str(uuid4())]) == 1


def test_replay_reports_its_rate_and_a_stream_that_does_not_replay(
    ledger: Ledger, capsys: pytest.CaptureFixture[str]
) -> None:
    event_id = scenario(ledger).event_id
    assert main(["replay"]) == 0
    assert "replayed 17 events of 4 streams" in capsys.readouterr().err

    delete_row(ledger, event_id, 4)
    assert main(["replay"]) == 1
    assert f"stream {event_id} does not replay at version 5" in capsys.readouterr().err


def test_rebuild_gives_the_same_tables(ledger: Ledger) -> None:
    scenario(ledger)
    catch_up.advance_all(ledger.eventlog)
    with session_scope() as session:
        before = {n: registry.snapshot_tables(session, n) for n in catch_up.PROJECTIONS}

    assert main(["rebuild"]) == 0
    assert main(["rebuild", "nonsense"]) == 2
    with session_scope() as session:
        assert before == {n: registry.snapshot_tables(session, n) for n in catch_up.PROJECTIONS}


def test_repartition_changes_the_layout_and_keeps_the_tables(
    ledger: Ledger, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario(ledger)
    catch_up.advance_all(ledger.eventlog)
    with session_scope() as session:
        before = {n: registry.snapshot_tables(session, n) for n in catch_up.PROJECTIONS}

    assert main(["repartition", "--partitions", "3"]) == 0
    assert "3 partition(s) from position" in capsys.readouterr().err  # the console's
    assert tracking.current_positions()["bookings#2/3"] == ledger.eventlog.last()
    with pytest.raises(SystemExit):  # argparse: out of 1 to 64
        main(["repartition", "--partitions", "0"])
    assert main(["repartition", "--partitions", "1"]) == 0
    assert tracking.current_positions()["bookings"] == ledger.eventlog.last()
    with session_scope() as session:
        assert before == {n: registry.snapshot_tables(session, n) for n in catch_up.PROJECTIONS}
