"""Shadow copies of a projection's tables (`<table>__next`) and the swap that makes them live.

A rebuild fills the copies while the live tables keep serving reads; one transaction then
drops each live table, renames its copy and restores the live index names, so a next rebuild
(and Alembic) find the schema exactly as the migrations made it.
"""

from sqlalchemy import Connection, Index, MetaData, Table
from sqlalchemy.schema import CreateTable
from sqlalchemy.sql.elements import quoted_name

from projections.model import ReadModel, Tables

SUFFIX = "__next"
_shadows: dict[str, Table] = {}


def shadow_of(table: Table) -> Table:
    """The table's copy: same columns and keys; every index named after the live one."""
    found = _shadows.get(table.name)
    if found is None:
        found = table.to_metadata(MetaData(), name=table.name + SUFFIX)
        for index in found.indexes:
            index.name = quoted_name(f"{_live_index(table, index).name}{SUFFIX}", None)
        _shadows[table.name] = found
    return found


def tables(projection: ReadModel) -> Tables:
    """Live table name -> its shadow copy, as the projectors and folds take them."""
    return {t.name: shadow_of(t) for t in projection.tables}


def create(connection: Connection, projection: ReadModel, keep: dict[str, tuple[str, ...]]
           ) -> Tables:
    """Fresh, empty copies with only the indexes in `keep` (leftovers are dropped first)."""
    copies = tables(projection)
    for name, table in copies.items():
        table.drop(connection, checkfirst=True)
        connection.execute(CreateTable(table))
        for index in table.indexes:
            if tuple(c.name for c in index.columns) == keep.get(name):
                index.create(connection)
    return copies


def create_indexes(connection: Connection, projection: ReadModel) -> None:
    """The other indexes: built once, faster than kept up row by row during the fill."""
    for table in tables(projection).values():
        for index in table.indexes:
            index.create(connection, checkfirst=True)


def drop(connection: Connection, projection: ReadModel) -> None:
    for table in tables(projection).values():
        table.drop(connection, checkfirst=True)


def swap(connection: Connection, projection: ReadModel) -> None:
    """Replace every live table by its copy, in the caller's transaction."""
    quote = connection.dialect.identifier_preparer.quote
    postgres = connection.dialect.name == "postgresql"
    for live in projection.tables:
        copy = shadow_of(live)
        live.drop(connection)
        connection.exec_driver_sql(f"ALTER TABLE {quote(copy.name)} RENAME TO {quote(live.name)}")
        for index in live.indexes:
            temporary, own = quote(str(index.name) + SUFFIX), quote(str(index.name))
            if postgres:
                connection.exec_driver_sql(f"ALTER INDEX {temporary} RENAME TO {own}")
            else:  # SQLite cannot rename an index: build it again under its own name
                connection.exec_driver_sql(f"DROP INDEX {temporary}")
                index.create(connection)
        if postgres:  # PostgreSQL names the key after the table it was created with
            connection.exec_driver_sql(
                f"ALTER TABLE {quote(live.name)} RENAME CONSTRAINT "
                f"{quote(copy.name + '_pkey')} TO {quote(live.name + '_pkey')}")


def _live_index(live: Table, index: Index) -> Index:
    columns = [c.name for c in index.columns]
    return next(i for i in live.indexes if [c.name for c in i.columns] == columns)
