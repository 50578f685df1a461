"""A person forgotten, in the read tables: their name overwritten with "erased" wherever a
read model keeps it (a buyer's, an organizer's), by one statement per table, in the batch's
order; and, once their invoices are past the law's retention, their details on those invoices
too.

Rows folded before the erasure held the name opened then; rows folded after it (a lagging
partition, a rebuild) open nothing, the key being destroyed before the fact is recorded. The
invoices keep their buyer at the person's erasure: the law keeps invoices for years
(`core.personal.INVOICE`). `InvoiceDetailsForgotten` follows when that retention is over, its
key destroyed first in the same way, and the invoices' buyer is erased as a rebuild then
writes it (`projections.personal.ERASED_BUYER`): the amounts, numbers and taxes stay.
"""

import json
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, ColumnElement, String, literal, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from commands.domain.erasure import Erasure
from core.personal import ERASED
from projections.personal import ERASED_BUYER
from projections.unit_of_work import Batch

PERSON_ERASED = Erasure.PersonErased
INVOICE_DETAILS_FORGOTTEN = Erasure.InvoiceDetailsForgotten


def person_of(e: Any) -> UUID | None:
    """The account the fact is of; None when its id is not an account's (no row names them)."""
    try:
        return UUID(e.person_id)
    except ValueError:
        return None


def forget(b: Batch, e: Any, *tables: str) -> None:
    """Overwrite the person's name in these tables (each with `user_id` and `user_name`)."""
    person = person_of(e)
    if person is None:
        return
    b.run([update(b.tables[name]).where(b.tables[name].c.user_id == person)
           .values(user_name=ERASED) for name in tables])


def forget_buyer(b: Batch, person: UUID, invoices: str) -> None:
    """Erase the person as the buyer of each of their invoices in table `invoices`: its
    `buyer` column and its document's buyer, as a rebuild without their key writes them."""
    table = b.tables[invoices]
    b.run([update(table).where(table.c.user_id == person).values(
        buyer=ERASED, document=_with_buyer_erased(table.c.document))])


class _BuyerErased(FunctionElement[Any]):
    """A JSON document with its `buyer` replaced by `ERASED_BUYER`, in the database's SQL."""

    name = "buyer_erased"
    type = JSON()
    inherit_cache = True


def _with_buyer_erased(document: ColumnElement[Any]) -> _BuyerErased:
    erased = literal(json.dumps(ERASED_BUYER, sort_keys=True), String())
    return _BuyerErased(document, erased)


@compiles(_BuyerErased)
def _sqlite(element: _BuyerErased, compiler: SQLCompiler, **kw: Any) -> str:
    document, erased = (compiler.process(c, **kw) for c in element.clauses)
    return f"json_set({document}, '$.buyer', json({erased}))"


@compiles(_BuyerErased, "postgresql")
def _postgresql(element: _BuyerErased, compiler: SQLCompiler, **kw: Any) -> str:
    # The column is `json`, which has no setter: through `jsonb` and back (key order is not
    # kept, and no reader depends on it).
    document, erased = (compiler.process(c, **kw) for c in element.clauses)
    return (f"CAST(jsonb_set(CAST({document} AS jsonb), '{{buyer}}', CAST({erased} AS jsonb))"
            " AS json)")
