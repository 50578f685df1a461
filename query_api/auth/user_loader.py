"""Signed-in users' rows, read for one event loop's requests in batches (many in one query)."""

import asyncio
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import bindparam, select
from starlette.concurrency import run_in_threadpool

from core.db import read_connection
from query_api.auth.user_accounts import User
from query_api.service.per_loop import PerLoop

# Who reads every event's private data (bookings, stats): admins, and auditors, read-only (no
# write route lets an auditor in). Organizers read only the events they run.
READS_EVERY_EVENT = ("admin", "auditor")


@dataclass(frozen=True, slots=True)
class Caller:
    """The signed-in user as a request sees it: a row read for it, never written back."""

    id: UUID
    email: str
    name: str
    phone: str | None
    role: str
    token_version: int  # a token carrying another version was revoked (logout, new password)
    language: str  # `core.languages`: what the account's messages are written in

    @property
    def reads_every_event(self) -> bool:
        """Whether the caller reads every event's private data (else only the events they run)."""
        return self.role in READS_EVERY_EVENT


CALLERS = select(User.id, User.email, User.name, User.phone, User.role, User.token_version,
                 User.language).where(User.id.in_(bindparam("ids", expanding=True)))


class UserLoader:
    """Signed-in users read for one event loop's requests, many in one query.

    Each request's row is read by a query that starts after the request asked for it, so a
    role changed in the table counts at once, as with a query per request; but while one
    query runs, the users asked for meanwhile wait and are then read together, from one
    worker thread, and no request holds a thread while it waits.
    """

    def __init__(self) -> None:
        self._waiting: dict[UUID, list[asyncio.Future[Caller | None]]] = {}
        self._reader: asyncio.Task[None] | None = None

    @classmethod
    def of_running_loop(cls) -> "UserLoader":
        return LOADERS.current()

    async def load(self, user_id: UUID) -> Caller | None:
        row: asyncio.Future[Caller | None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(user_id, []).append(row)
        if self._reader is None:
            self._reader = asyncio.create_task(self._read())
        return await row

    async def _read(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, {}
                try:
                    rows = await run_in_threadpool(read_users, list(batch))
                except BaseException as exc:
                    for waiting in batch.values():
                        for row in waiting:
                            if not row.done():
                                row.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
                for user_id, waiting in batch.items():
                    for row in waiting:
                        if not row.done():
                            row.set_result(rows.get(user_id))
        finally:
            self._reader = None


def read_users(ids: list[UUID]) -> dict[UUID, Caller]:
    """Users by id, in one short read (never held while a command writes).

    Plain rows, not ORM objects: a session per batch costs CPU on every signed-in request.
    """
    with read_connection() as conn:
        return {row.id: Caller(*row) for row in conn.execute(CALLERS, {"ids": ids})}


LOADERS: PerLoop[UserLoader] = PerLoop(UserLoader)
