"""Read-your-writes: reads may wait (bounded) for a position and say which one they reflect."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Response
from sqlalchemy.orm import Session

from projections import tracking
from query_api import waits
from query_api.deps import SessionDep
from query_api.schemas.common import MAX_POSITION

READ_HEADER = "X-Projection-Position"
WRITE_HEADER = "X-Position"
MinPosition = Annotated[
    int | None,
    Query(ge=0, le=MAX_POSITION,
          description="wait (bounded) until the read model reached this global position"),
]


@dataclass(frozen=True)
class Read:
    """A read session, the position its projections had reached, and whether it was enough."""

    session: Session
    position: int
    caught_up: bool


def reading(*names: str) -> Callable[..., Read]:
    """A dependency: wait for `min_position` on these projections, then open the read."""

    async def waited(min_position: MinPosition = None) -> bool:
        # On the event loop: a waiting read holds no thread and no connection.
        return await waits.wait_for(min_position, names)

    def dependency(
        response: Response,
        caught_up: Annotated[bool, Depends(waited)],
        session: SessionDep,  # after the wait: it is opened then, its connection at first use
    ) -> Read:
        reached = tracking.positions(session)  # before the rows: they are at least this new
        position = min(reached.get(name, 0) for name in names)
        response.headers[READ_HEADER] = str(position)
        return Read(session, position, caught_up)

    return dependency


EventsRead = Annotated[Read, Depends(reading("availability"))]
BookingsRead = Annotated[Read, Depends(reading("bookings"))]
StatsRead = Annotated[Read, Depends(reading("revenue", "availability"))]


def stamp_write(response: Response, position: int | None) -> None:
    """Command responses carry the position of their last event."""
    if position is not None:
        response.headers[WRITE_HEADER] = str(position)
