"""The declarative base and column types shared by every table (read tables and accounts)."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Dialect, TypeDecorator
from sqlalchemy.orm import DeclarativeBase


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on PostgreSQL and SQLite alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: give a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Money(TypeDecorator[Decimal]):
    """Exact money as integer hundredths, so sums stay exact even on SQLite."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        cents = Decimal(value) * 100
        if cents != cents.to_integral_value():
            raise ValueError(f"money with more than 2 decimals: {value}")
        return int(cents)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


# A line's decimals (`commands.domain.lines`): the rest are its category, seats, tax's name.
DECIMALS = frozenset({"unit_price", "list_price", "unit_tax", "tax_rate"})


class OrderLines(TypeDecorator[list[dict[str, Any]]]):
    """An order's lines across categories, or at a voucher's price (`commands.domain.lines`), as
    JSON, each price a decimal string; SQL NULL for None (one category at its price: its row's
    single fields say it)."""

    impl = JSON(none_as_null=True)
    cache_ok = True

    def process_bind_param(self, value: list[dict[str, Any]] | None,
                           dialect: Dialect) -> list[dict[str, Any]] | None:
        if value is None:
            return None
        return [{key: str(v) if isinstance(v, Decimal) else v for key, v in line.items()}
                for line in value]

    def process_result_value(self, value: Any, dialect: Dialect) -> list[dict[str, Any]] | None:
        if value is None:
            return None
        return [{key: Decimal(v) if key in DECIMALS else v for key, v in line.items()}
                for line in value]


class Base(DeclarativeBase):
    """All application tables share this metadata (Alembic targets it)."""
