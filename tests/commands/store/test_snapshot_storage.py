"""How PostgreSQL stores a large snapshot: compressed with lz4 where the server has it
(migrations/versions/0036_store_states_lz4.py), and loaded back as it was."""

import importlib
from decimal import Decimal

import pytest
from sqlalchemy import text

from bench.scenario import book, new_event
from commands.audit.timetravel import state_at
from commands.audit.verify import verify_store
from commands.ledger import Ledger
from core.db import get_engine

pytestmark = pytest.mark.postgres

# The migration's own question of the server (a module name starting with a digit).
HAS_LZ4 = importlib.import_module("migrations.versions.0036_store_states_lz4").HAS_LZ4


def test_a_full_snapshot_is_stored_compressed_with_lz4_and_loads_as_it_was(
    pg_ledger: Ledger,
) -> None:
    event_id = new_event(pg_ledger, categories=[
        {"name": "General", "price": Decimal("25.00"), "capacity": 1000}])
    for _ in range(200):
        book(pg_ledger, event_id, quantity=2)
    version = pg_ledger.event(event_id).version
    assert pg_ledger.snapshot_at(event_id, version)
    with get_engine().connect() as connection:
        has_lz4 = connection.exec_driver_sql(HAS_LZ4).scalar()
        stored = connection.execute(text(
            "SELECT octet_length(state), pg_column_compression(state) FROM ledger_snapshots "
            "WHERE originator_id = :id AND originator_version = :version"),
            {"id": event_id, "version": version}).one()
    assert stored[0] > 8192  # large enough to be compressed at all
    assert stored[1] == ("lz4" if has_lz4 else "pglz")

    cold = Ledger(pg_ledger.settings)  # a process that starts now: nothing warm
    try:
        then = state_at(cold, event_id, version=version)  # time travel starts at the snapshot
        report = verify_store(cold)  # every snapshot read back, its seal and chain checked
    finally:
        cold.close()
    assert then["bookings_total"] == 200 and then["categories"][0]["sold"] == 400
    assert report["ok"] is True, report
    assert report["snapshots"]["checked"] >= 1 and report["snapshots"]["bad"] == []
