"""Who a command runs for: the signed-in user, handed in by the caller."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The signed-in user a command runs for: admins run every event, organizers their own."""

    id: str
    admin: bool = False
