"""Projection drift: each read model's live tables against a fresh replay of the store.

The replay folds the store's events with the models' own folds into a throwaway in-memory
SQLite database, each model up to the position its live tables had reached when they were
read (live tables may lag the store; that is not drift), a model in partitions each stream up
to its partition's. `verify_ledger` adds this to the
store's own checks.
"""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, create_engine
from sqlalchemy.orm import Session

from commands.audit.verify import verify_store
from commands.domain.chain import digest, plain
from commands.ledger import Ledger
from core.db import get_engine
from core.models import Base
from projections import partitions, registry
from projections.proofs.verify import TreeCheck
from projections.registry import snapshot_tables
from projections.tracking import positions as tracked
from projections.unit_of_work import Batch

MAX_DIFFERENCES = 500  # per projection: enough to see what drifted, bounded for huge drifts
FLUSH_EVERY = 2_000  # events folded between two writes of the replay's batches
Snapshot = dict[str, list[tuple[Any, ...]]]
SECRET_COLUMNS = {("tickets", "code")}  # ticket codes open doors


class Replay:
    """The models' folds applied to an in-memory database, each up to its own position (a
    model in partitions: each stream up to its partition's)."""

    def __init__(self, positions: dict[str, int], reached: dict[str, int] | None = None) -> None:
        self.positions = positions
        self.models = [registry.get(name) for name in positions]
        self.limits = {name: _limits(reached or positions, name, top)
                       for name, top in positions.items()}
        self.engine = create_engine("sqlite://")
        Base.metadata.create_all(self.engine, tables=[t for m in self.models for t in m.tables])
        self.connection: Connection = self.engine.connect()
        self.batches = [Batch(m.live, m.indexed) for m in self.models]
        self.folded = 0

    def __call__(self, event: Any, position: int) -> None:
        for model, batch in zip(self.models, self.batches, strict=True):
            tops = self.limits[model.name]
            top = tops[event.originator_id.bytes[15] % len(tops)] if len(tops) > 1 else tops[0]
            if position <= top and type(event) in model.types:
                model.fold(batch, event, position)
        self.folded += 1
        if self.folded % FLUSH_EVERY == 0:
            self.flush()

    def flush(self) -> None:
        for batch in self.batches:
            batch.flush(self.connection)

    def snapshot(self, name: str) -> Snapshot:
        self.flush()
        with Session(bind=self.connection) as session:
            return snapshot_tables(session, name)

    def close(self) -> None:
        self.connection.close()
        self.engine.dispose()


def _limits(reached: dict[str, int], name: str, top: int) -> list[int]:
    """Where projection `name`'s tables stand per partition (`projections.partitions`):
    `[top]` for one in one."""
    count = partitions.layouts(reached).get(name, 1)
    if count == 1:
        return [top]
    return [reached.get(row, 0) for row in partitions.units(name, count)]


def verify_ledger(ledger: Ledger, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The store's checks (chains, rules) and every projection compared with a replay."""
    positions, live, reached = live_tables()
    replay, tree = Replay(positions, reached), TreeCheck()
    try:
        report = verify_store(ledger, observers=[replay, tree], progress=progress)
        report["projections"] = {
            name: drift(name, positions[name], replay.snapshot(name), live[name])
            for name in positions
        }
    finally:
        replay.close()
    report["proofs"] = tree.report()  # the store against the signed tree heads
    report["ok"] = (report["ok"] and all(p["ok"] for p in report["projections"].values())
                    and report["proofs"]["ok"])
    return report


def live_tables() -> tuple[dict[str, int], dict[str, Snapshot], dict[str, int]]:
    """Each projection's position and tables, and each partition's position, read in one
    consistent snapshot."""
    engine = get_engine()
    # SQLite (WAL): a deferred read transaction already sees one snapshot from its first read.
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    reader = engine.execution_options(read_only=True, **options)
    with Session(bind=reader) as session, session.begin():
        reached = tracked(session)
        positions = {name: reached.get(name, 0) for name in registry.REGISTRY}
        tables = {name: snapshot_tables(session, name) for name in positions}
    return positions, tables, reached


def drift(name: str, position: int, expected: Snapshot, found: Snapshot) -> dict[str, Any]:
    """Row-by-row differences of one projection's tables."""
    rows = [
        d for table in registry.get(name).tables
        for d in differences(table, expected[table.name], found[table.name])
    ]
    return {"ok": not rows, "position": position, "difference_count": len(rows),
            "differences": rows[:MAX_DIFFERENCES]}


def differences(
    table: Table, expected: list[tuple[Any, ...]], found: list[tuple[Any, ...]]
) -> list[dict[str, Any]]:
    """Rows missing, extra or different, keyed by primary key; changed rows show the columns."""
    columns = [c.name for c in table.columns]
    key_at = [columns.index(c.name) for c in table.primary_key.columns]

    def keyed(rows: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
        return {tuple(row[i] for i in key_at): row for row in rows}

    def cells(
        row: tuple[Any, ...], at: Sequence[int], names: Sequence[str] = columns
    ) -> dict[str, Any]:
        return {names[i]: shown(table, names[i], row[i]) for i in at}

    want, have = keyed(expected), keyed(found)
    out = []
    for key in sorted(want.keys() | have.keys(), key=str):
        a, b = want.get(key), have.get(key)
        if a == b:
            continue
        changed = [i for i in range(len(columns)) if a is None or b is None or a[i] != b[i]]
        out.append({
            "table": table.name,
            "key": cells(key, range(len(key)), [columns[i] for i in key_at]),
            "expected": None if a is None else cells(a, changed),
            "found": None if b is None else cells(b, changed),
        })
    return out


def shown(table: Table, column: str, value: Any) -> Any:
    """A cell as the report shows it: a ticket code as its digest, as every audit view does."""
    if (table.name, column) in SECRET_COLUMNS and isinstance(value, str):
        return digest(value)
    return plain(value)
