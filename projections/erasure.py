"""A person forgotten, in the read tables: their name overwritten with "erased" wherever a
read model keeps it, by one statement per table, in the batch's order.

Rows folded before the erasure held the name opened then; rows folded after it (a lagging
partition, a rebuild) open nothing, the key being destroyed before the fact is recorded. The
invoices keep their buyer: the law keeps invoices for years (`core.personal.INVOICE`).
"""

from typing import Any
from uuid import UUID

from sqlalchemy import update

from commands.domain.erasure import Erasure
from core.personal import ERASED
from projections.unit_of_work import Batch

PERSON_ERASED = Erasure.PersonErased


def forget(b: Batch, e: Any, *tables: str) -> None:
    """Overwrite the person's name in these tables (each with `user_id` and `user_name`)."""
    try:
        person = UUID(e.person_id)
    except ValueError:  # not an account's id: no row of these names them
        return
    b.run([update(b.tables[name]).where(b.tables[name].c.user_id == person)
           .values(user_name=ERASED) for name in tables])
