"""What a message needs besides the log: its recipient's address, name and language from the
accounts, and its event's details (name, venue, start, zone, currency, organizer) from the
events read table.

The workers read the accounts without importing the HTTP edge (`query_api.auth.user_accounts`
owns the table): it is named here by the columns read, as the webhooks' rights do.
"""

from collections.abc import Iterable
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import String, Uuid, column, select, table
from sqlalchemy.orm import Session

from commands.domain.chain import iso
from core.erased_address import ERASED_LIKE, is_erased_address
from core.languages import Language, language_or_default
from core.personal import ERASED
from projections.availability import EventRow
from workers.mail.zones import event_zone

users = table("users", column("id", Uuid), column("email", String), column("name", String),
              column("language", String))


class Recipient(NamedTuple):
    """Where a message goes, and the language it is written in (`core.languages`)."""

    id: UUID
    email: str
    name: str
    language: Language


def recipients(session: Session, ids: Iterable[UUID]) -> dict[UUID, Recipient]:
    """The accounts of these users that still exist, by id: an erased person's is left out,
    as one deleted is (its address is a placeholder no message is sent to)."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    # The language in the same read: a message costs no query more for being in one.
    rows = session.execute(select(users.c.id, users.c.email, users.c.name, users.c.language)
                           .where(users.c.id.in_(wanted), users.c.email.not_like(ERASED_LIKE)))
    return {row.id: Recipient(row.id, row.email, row.name, language_or_default(row.language))
            for row in rows}


def event_details(session: Session, ids: Iterable[UUID]) -> dict[UUID, dict[str, Any]]:
    """Each event's details as a message shows them (its zone through `event_zone`)."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    # The organizer's account beside: once they are erased, their messages' scrub is done, and
    # the read model may not have folded it yet (`workers.erasure`).
    found = session.execute(select(EventRow, users.c.email).outerjoin(
        users, users.c.id == EventRow.organizer_id).where(EventRow.id.in_(wanted)))
    return {row.id: details(row, organizer_erased=email is not None
                            and is_erased_address(email)) for row, email in found}


def details(row: Any, *, organizer_erased: bool = False) -> dict[str, Any]:
    """An event's row as a message's `event`: JSON-ready."""
    organizer = ERASED if organizer_erased else row.organizer_name or ""
    return {"id": str(row.id), "name": row.name, "venue": row.venue or "",
            "starts_at": iso(row.starts_at), "timezone": event_zone(row),
            "currency": row.currency, "organizer_name": organizer,
            # The name per language its organizers gave: what its messages are named by.
            "translations": {language: {"name": given["name"]}
                             for language, given in (row.translations or {}).items()
                             if given.get("name")}}
