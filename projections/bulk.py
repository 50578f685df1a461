"""Bulk writes on the session's connection: COPY, UPDATE ... FROM unnest(arrays) and INSERT ...
SELECT FROM unnest(arrays) ON CONFLICT on PostgreSQL (one statement for many rows);
executemany elsewhere."""

import json
import operator
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Dialect,
    Enum,
    String,
    Table,
    TypeDecorator,
    bindparam,
    insert,
    update,
)

Convert = Callable[[Any], Any]
_converters: dict[tuple[str, ...], list[Convert | None]] = {}
# Each shape's statement and parameters, written once per process: a batch of a few events
# would otherwise spend a noticeable share of its CPU compiling the same column types again.
_statements: dict[tuple[Any, ...], tuple[str, dict[str, str]]] = {}


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts keyed by column name): COPY on PostgreSQL."""
    if connection.dialect.name == "postgresql":
        copy_rows(connection, table, rows)
    else:
        connection.execute(insert(table), rows)


def update_rows(  # noqa: PLR0913 - the shape of one multi-row update
    connection: Connection, table: Table, match: dict[str, str],
    sets: tuple[str, ...], adds: tuple[str, ...], rows: list[dict[str, Any]],
) -> None:
    """Per row: match columns (param name per column), set `s_<col>`, add `a_<col>`."""
    t = table
    if connection.dialect.name != "postgresql":
        bind = {p: bindparam(p, type_=t.c[c].type)
                for p, c in _update_params(match, sets, adds).items()}
        values = {c: bind[f"s_{c}"] for c in sets} | {c: t.c[c] + bind[f"a_{c}"] for c in adds}
        match_all = [t.c[c] == bind[p] for c, p in match.items()]
        connection.execute(update(t).where(*match_all).values(values), rows)
        return
    shape = ("update", t.name, tuple(match.items()), sets, adds)
    found = _statements.get(shape)
    if found is None:
        found = _statements[shape] = _update_statement(connection, t, match, sets, adds)
    _execute_arrays(connection, t, *found, rows)


def _update_params(match: dict[str, str], sets: tuple[str, ...],
                   adds: tuple[str, ...]) -> dict[str, str]:
    """Each parameter's column: the match's, `s_<col>` for a value set, `a_<col>` one added."""
    return ({p: c for c, p in match.items()} | {f"s_{c}": c for c in sets}
            | {f"a_{c}": c for c in adds})


def _update_statement(
    connection: Connection, t: Table, match: dict[str, str], sets: tuple[str, ...],
    adds: tuple[str, ...],
) -> tuple[str, dict[str, str]]:
    """One statement per shape, and its parameters' columns: each column's values go as one
    typed array, unnested into rows, so the query text stays small (parsed and planned once)
    whatever the row count."""
    params = _update_params(match, sets, adds)
    names, q = list(params), connection.dialect.identifier_preparer.quote
    changes = [f"{q(c)} = v.{q('s_' + c)}" for c in sets]
    changes += [f"{q(c)} = t.{q(c)} + v.{q('a_' + c)}" for c in adds]
    where = " AND ".join(f"t.{q(c)} = v.{q(p)}" for c, p in match.items())
    arrays = _arrays(connection, t, [params[n] for n in names])
    sql = (f"UPDATE {q(t.name)} AS t SET {', '.join(changes)} "  # noqa: S608 - quoted names; values are parameters
           f"FROM unnest({arrays}) AS v({', '.join(map(q, names))}) WHERE {where}")
    return sql, params


def upsert_add_rows(
    connection: Connection, table: Table, keys: list[str], counters: list[str],
    rows: list[dict[str, Any]],
) -> None:
    """PostgreSQL: insert rows of counters, or add them to the rows already at their keys, in
    one statement (the arrays unnested, as `update_rows`; an executemany of a multi-row
    VALUES had a text, and a plan, per row count)."""
    shape = ("upsert", table.name, tuple(keys), tuple(counters))
    found = _statements.get(shape)
    if found is None:
        names, q = [*keys, *counters], connection.dialect.identifier_preparer.quote
        adds = ", ".join(f"{q(c)} = t.{q(c)} + excluded.{q(c)}" for c in counters)
        sql = (f"INSERT INTO {q(table.name)} AS t ({', '.join(map(q, names))}) "  # noqa: S608 - quoted names; values are parameters
               f"SELECT * FROM unnest({_arrays(connection, table, names)}) "
               f"ON CONFLICT ({', '.join(map(q, keys))}) DO UPDATE SET {adds}")
        found = _statements[shape] = (sql, {n: n for n in names})
    _execute_arrays(connection, table, *found, rows)


def _arrays(connection: Connection, table: Table, columns: list[str]) -> str:
    """One typed array parameter per column, for `unnest`."""
    return ", ".join(f"%s::{_element_type(table.c[c], connection.dialect)}[]" for c in columns)


def _element_type(column: Column[Any], dialect: Dialect) -> str:
    """The column's type for its array's cast, a bounded string's without its bound: an
    explicit cast to VARCHAR(n) cuts a longer value short, where the assignment to the column
    refuses it, as a one-row INSERT or UPDATE would."""
    kind = column.type
    stored = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
    if isinstance(stored, String) and not isinstance(stored, Enum) and stored.length is not None:
        return String().compile(dialect=dialect)
    return kind.compile(dialect=dialect)


def _execute_arrays(connection: Connection, table: Table, sql: str, columns: dict[str, str],
                    rows: list[dict[str, Any]]) -> None:
    """Run `sql` with one array per parameter (`columns`: parameter name -> its column), each
    value converted as its column's type binds it, on the session's own connection."""
    convert = _converters_of(connection, table, list(columns.values()))
    arrays = [[v if f is None or v is None else f(v) for v in map(operator.itemgetter(n), rows)]
              for n, f in zip(columns, convert, strict=True)]
    raw: Any = connection.connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute(sql, arrays)


def copy_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """COPY `rows` (dicts keyed by column name) into `table`."""
    columns = [c.name for c in table.columns]
    convert = _converters_of(connection, table, columns)
    quote = connection.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    raw: Any = connection.connection.driver_connection  # psycopg: the session's connection
    with raw.cursor() as cursor, cursor.copy(sql) as out:
        for row in rows:
            out.write_row([v if f is None or v is None else f(v)
                           for f, v in zip(convert, map(row.get, columns), strict=True)])


def _converters_of(
    connection: Connection, table: Table, columns: list[str]
) -> list[Convert | None]:
    found = _converters.get((table.name, *columns))
    if found is None:
        found = [_converter(table.c[c], connection) for c in columns]
        _converters[(table.name, *columns)] = found
    return found


def _converter(column: Column[Any], connection: Connection) -> Convert | None:
    """The column type's own bind conversion (money to cents...), or None for plain values;
    a JSON column's value as its JSON text, which COPY and arrays take."""
    kind, own = column.type, None
    if isinstance(kind, TypeDecorator):
        own = _bind_of(kind, connection.dialect)
        kind = kind.impl_instance
    if isinstance(kind, JSON):
        return lambda value: json.dumps(value if own is None else own(value))
    return own


def _bind_of(kind: TypeDecorator[Any], dialect: Dialect) -> Convert:
    return lambda value: kind.process_bind_param(value, dialect)
