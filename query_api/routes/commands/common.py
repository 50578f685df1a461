"""What command routes share: the caller as the write side's actor, and a change's answer."""

from fastapi import Response
from fastapi.exceptions import RequestValidationError

from commands.application.views import Outcome
from commands.domain.actor import Actor
from query_api.auth.user_loader import Caller
from query_api.reads.consistency import stamp_write
from query_api.schemas import EventChanged


def actor(user: Caller) -> Actor:
    """The command's caller: admins run every event, organizers their own."""
    return Actor(str(user.id), admin=user.role == "admin")


def changed(outcome: Outcome, response: Response) -> EventChanged:
    """An event's change as answered: its view at the write's position (header too)."""
    stamp_write(response, outcome.position)
    return EventChanged.model_validate(outcome.view | {"position": outcome.position})


def check_quantity(quantity: int, maximum: int) -> None:
    """The per-booking maximum is a setting, so the schema cannot state it: same 422 shape."""
    if quantity > maximum:
        message = f"Input should be less than or equal to {maximum}"
        error = {"loc": ("body", "quantity"), "type": "less_than_equal", "msg": message}
        raise RequestValidationError([error])
