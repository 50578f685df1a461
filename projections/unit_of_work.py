"""The unit of work of a projection batch: each table's net row changes, folded in memory,
then written in a few statements.

A fold never touches the database, so a batch can be folded before its transaction begins.
Rows inserted by the batch take later changes in memory; rows written by earlier batches
collect per-key sets and increments, written as one statement per shape of change. What
depends on rows the batch may not hold (a new category's ordinal) runs as SQL statements,
queued in order between the inserts and the updates of a segment.
"""

import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Executable, Table
from sqlalchemy.dialects import sqlite

from projections import bulk

Key = tuple[Any, ...]


class Batch:
    """One read model's pending changes, in segments written in order by `flush`."""

    # A segment writes its inserts, then its statements, then its updates.

    def __init__(self, tables: Mapping[str, Table],
                 indexed: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.tables = tables
        self.indexed = indexed or {}
        self.segments: list[tuple[dict[str, TableChanges], list[Executable]]] = []
        self.seal()

    def __getitem__(self, live_name: str) -> "TableChanges":
        return self.changes[live_name]

    def seal(self) -> None:
        """Later changes are written after everything before this point."""
        self.changes = {name: TableChanges(t, self.indexed.get(name, ()))
                        for name, t in self.tables.items()}
        self.statements: list[Executable] = []
        self.segments.append((self.changes, self.statements))

    @property
    def pending(self) -> bool:
        """Whether anything is left to write."""
        return any(statements or any(t.pending for t in changes.values())
                   for changes, statements in self.segments)

    def run(self, statements: list[Executable]) -> None:
        """Queue statements: they run after this segment's inserts, before its updates."""
        # So they may read rows inserted before them, and only add to counters that pending
        # updates also touch (additions commute); what must follow them calls `seal` first.
        self.statements.extend(statements)

    def flush(self, connection: Connection) -> None:
        for changes, statements in self.segments:
            for table in changes.values():
                table.flush_inserts(connection)
            for statement in statements:
                connection.execute(statement)
            for table in changes.values():
                table.flush_updates(connection)
        self.segments = []
        self.seal()


class TableChanges:
    """Pending inserts, sets, increments and upserts of one table."""

    def __init__(self, table: Table, index: Iterable[str] = ()) -> None:
        self.table = table
        self.keys = [c.name for c in table.primary_key.columns]
        # A row's key as a tuple, whether the primary key has one column or several.
        get = operator.itemgetter(*self.keys)
        self._key_of: Callable[[dict[str, Any]], Key] = (
            (lambda row: (get(row),)) if len(self.keys) == 1 else get
        )
        self.indexed = tuple(index)
        self._clear()

    def _clear(self) -> None:
        self.inserts: dict[Key, dict[str, Any]] = {}
        self.sets: dict[Key, dict[str, Any]] = {}
        self.adds: dict[Key, dict[str, Any]] = {}
        self.upserts: dict[Key, dict[str, Any]] = {}
        self.where: dict[str, dict[Any, dict[str, Any]]] = {c: {} for c in self.indexed}
        self.index: dict[str, dict[Any, list[Key]]] = {c: {} for c in self.indexed}

    @property
    def pending(self) -> bool:
        return bool(self.inserts or self.sets or self.adds or self.upserts
                    or any(self.where.values()))

    def insert(self, row: dict[str, Any]) -> None:
        key = self._key_of(row)
        self.inserts[key] = row
        for column, found in self.index.items():
            found.setdefault(row[column], []).append(key)

    def set(self, key: Key, values: dict[str, Any]) -> None:
        row = self.inserts.get(key)
        if row is not None:
            row.update(values)
            return
        self.sets.setdefault(key, {}).update(values)
        adds = self.adds.get(key)
        for column in values if adds else ():
            adds.pop(column, None)  # type: ignore[union-attr]  # guarded by `if adds`

    def add(self, key: Key, deltas: dict[str, Any]) -> None:
        row = self.inserts.get(key)
        sets = row if row is not None else self.sets.get(key, {})
        adds = self.adds.setdefault(key, {}) if row is None else {}
        for column, delta in deltas.items():
            if column in sets:
                sets[column] += delta
            else:
                adds[column] = adds.get(column, 0) + delta

    def upsert_add(self, key: Key, deltas: dict[str, Any]) -> None:
        """Add to a row of counters that may not exist yet (it starts at zero)."""
        if key in self.inserts:
            self.add(key, deltas)
            return
        counters = self.upserts.setdefault(key, {})
        for column, delta in deltas.items():
            counters[column] = counters.get(column, 0) + delta

    def set_where(self, column: str, value: Any, values: dict[str, Any]) -> None:
        """Set `values` on every row whose `column` is `value` (inserted together, or before)."""
        keys = self.index[column].get(value)
        if keys:  # rows sharing this value are inserted in one go: all of them are here
            for key in keys:
                self.inserts[key].update(values)
        else:
            self.where[column].setdefault(value, {}).update(values)

    def pending_where(self, column: str, value: Any) -> bool:
        return value in self.where[column]

    def flush(self, connection: Connection) -> None:
        """Write every pending change, then forget them."""
        self.flush_inserts(connection)
        self.flush_updates(connection)

    def flush_inserts(self, connection: Connection) -> None:
        if self.inserts:
            bulk.insert_rows(connection, self.table, list(self.inserts.values()))
        self.inserts, self.index = {}, {c: {} for c in self.indexed}

    def flush_updates(self, connection: Connection) -> None:
        t = self.table
        by_shape: dict[tuple[tuple[str, ...], tuple[str, ...]], list[dict[str, Any]]] = {}
        for key in self.sets.keys() | self.adds.keys():
            sets, adds = self.sets.get(key, {}), self.adds.get(key, {})
            params = {f"k_{c}": v for c, v in zip(self.keys, key, strict=True)}
            params |= {f"s_{c}": v for c, v in sets.items()}
            params |= {f"a_{c}": v for c, v in adds.items()}
            by_shape.setdefault((tuple(sorted(sets)), tuple(sorted(adds))), []).append(params)
        match = {c: f"k_{c}" for c in self.keys}
        for (sets_, adds_), rows in by_shape.items():
            bulk.update_rows(connection, t, match, sets_, adds_, rows)
        if self.upserts:
            self._write_upserts(connection)
        for column, targets in self.where.items():
            shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for value, values in targets.items():
                params = {f"w_{column}": value} | {f"s_{c}": v for c, v in values.items()}
                shapes.setdefault(tuple(sorted(values)), []).append(params)
            for shape, rows in shapes.items():
                bulk.update_rows(connection, t, {column: f"w_{column}"}, shape, (), rows)
        self._clear()

    def _write_upserts(self, connection: Connection) -> None:
        t = self.table
        counters = [c.name for c in t.columns if c.name not in self.keys]
        rows = [dict(zip(self.keys, key, strict=True)) | {c: add.get(c, 0) for c in counters}
                for key, add in self.upserts.items()]
        if connection.dialect.name == "postgresql":
            bulk.upsert_add_rows(connection, t, self.keys, counters, rows)
            return
        stmt = sqlite.insert(t)
        statement: Executable = stmt.on_conflict_do_update(
            index_elements=self.keys, set_={c: t.c[c] + stmt.excluded[c] for c in counters})
        connection.execute(statement, rows)
