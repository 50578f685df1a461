"""The address an erased account keeps in its row, and how it is told apart.

The users table's e-mail is unique and never empty, and the outbound mail log's recipient
address is never empty either: an erased person's rows keep one made from their id, unique and
undeliverable (RFC 2606 reserves `.invalid`; the sign-up's address check refuses it, so no
one can sign up with one). It is bookkeeping, not an address: every answer of the API shows
none for an erased person (`shown_email`), and searches never match it (`ERASED_LIKE`).
"""

from uuid import UUID

ERASED_DOMAIN = "erased.invalid"
ERASED_LIKE = f"%@{ERASED_DOMAIN}"  # SQL LIKE: the rows of erased persons


def erased_address(person_id: UUID) -> str:
    """What the person's rows keep where their address was."""
    return f"{person_id.hex}@{ERASED_DOMAIN}"


def is_erased_address(email: str) -> bool:
    return email.endswith(f"@{ERASED_DOMAIN}")


def shown_email(email: str | None) -> str | None:
    """The address as the API answers it: None for an erased person's."""
    return None if email is None or is_erased_address(email) else email
