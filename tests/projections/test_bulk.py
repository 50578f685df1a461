"""The bulk writes' arrays on PostgreSQL: what a one-row INSERT or UPDATE would store or refuse,
the same for many rows in one statement."""

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    select,
)

from projections import bulk
from tests.pg import require_postgres
from tests.stack import pg_database

pytestmark = pytest.mark.postgres  # its own database, not through a fixture that marks it

metadata = MetaData()
names = Table("bulk_names", metadata, Column("id", Integer, primary_key=True),
              Column("name", String(8), nullable=False), Column("seen", Integer, nullable=False))


@pytest.fixture
def connection() -> Iterator[Connection]:
    require_postgres()
    with pg_database() as url:
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                metadata.create_all(conn)
                conn.execute(names.insert(), [{"id": 1, "name": "first", "seen": 0}])
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()


def stored(connection: Connection, table: Table = names) -> list[tuple[object, ...]]:
    """The table's rows, read in the transaction under way (then ended)."""
    rows = [tuple(r) for r in connection.execute(select(table).order_by(*table.primary_key))]
    connection.rollback()
    return rows


def test_an_update_of_many_rows_stores_a_value_of_the_column_s_length_whole(
    connection: Connection,
) -> None:
    bulk.update_rows(connection, names, {"id": "w_id"}, ("name",), ("seen",),
                     [{"w_id": 1, "s_name": "eight ch", "a_seen": 2}])
    assert stored(connection) == [(1, "eight ch", 2)]


def test_an_update_of_many_rows_refuses_a_value_longer_than_its_column(
    connection: Connection,
) -> None:
    with pytest.raises(psycopg.errors.StringDataRightTruncation), connection.begin():
        bulk.update_rows(connection, names, {"id": "w_id"}, ("name",), (),
                         [{"w_id": 1, "s_name": "nine chars"}])
    assert stored(connection) == [(1, "first", 0)]  # not cut to "nine cha"


def test_an_upsert_of_many_rows_refuses_a_key_longer_than_its_column(
    connection: Connection,
) -> None:
    counts = Table("bulk_counts", MetaData(), Column("name", String(8), primary_key=True),
                   Column("seen", Integer, nullable=False))
    with connection.begin():
        counts.create(connection)
        for seen in (1, 2):
            bulk.upsert_add_rows(connection, counts, ["name"], ["seen"],
                                 [{"name": "eight ch", "seen": seen}])
    assert stored(connection, counts) == [("eight ch", 3)]
    with pytest.raises(psycopg.errors.StringDataRightTruncation), connection.begin():
        bulk.upsert_add_rows(connection, counts, ["name"], ["seen"],
                             [{"name": "eight chars", "seen": 1}])
    # Not added to "eight ch", its first eight characters.
    assert stored(connection, counts) == [("eight ch", 3)]
