"""What the organizers' reads share: who may read an event's own figures, and a CSV streamed
from the read tables."""

import csv
import io
from collections.abc import Callable, Iterator
from uuid import UUID

from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from commands.domain.errors import event_not_found
from commands.ledger import Ledger
from core.db import read_scope
from query_api.auth.user_loader import Caller


def require_runs(ledger: Ledger, user: Caller, event_id: UUID) -> None:
    """Another organizer gets the 404 of an unknown event; who runs it is the write side's
    answer, so a removal or a transfer counts at once."""
    if user.role != "admin" and not ledger.runs(event_id, str(user.id)):
        raise event_not_found(event_id)


def csv_download(lines: Callable[[Session], Iterator[list[str]]],
                 filename: str) -> StreamingResponse:
    """The rows `lines` reads, as a CSV download streamed from its own session (the request's
    is closed by then)."""

    def stream() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        with read_scope() as session:
            for line in lines(session):
                writer.writerow(line)
                yield out.getvalue()
                out.seek(0)
                out.truncate()

    return StreamingResponse(
        stream(), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
