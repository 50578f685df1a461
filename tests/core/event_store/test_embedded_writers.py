"""The embedded store (SQLite: one writer at a time, in this process and across processes):
appends queued behind a write that holds the file's lock wait for it as long as SQLite itself
waits for a lock, and none is refused meanwhile as "store unavailable" (a 503 to its caller).

The library's pool gives a writer five seconds to get its turn, while the writer before it may
wait thirty for SQLite's lock: under load (the read models folding, a slow disk) the third of
three appends was refused though the store was only busy."""

import sqlite3
import threading
import time
from contextlib import closing
from uuid import UUID, uuid4

from eventsourcing.persistence import InfrastructureFactory, StoredEvent
from eventsourcing.utils import Environment
from sqlalchemy.engine import make_url

from core.db import store_env
from core.settings import Settings

WRITERS = 3
HELD_SECONDS = 6.0  # longer than the library's own pool timeout (5 s), far below SQLite's (30 s)


def test_appends_queued_behind_a_held_write_lock_all_commit_once_it_is_released(
    sqlite_settings: Settings,
) -> None:
    factory = InfrastructureFactory.construct(Environment(env=store_env(sqlite_settings)))
    recorder = factory.application_recorder()
    streams = [uuid4() for _ in range(WRITERS)]
    failures: list[BaseException] = []

    def append(stream: UUID) -> None:
        try:
            recorder.insert_events([StoredEvent(originator_id=stream, originator_version=1,
                                                topic="tests:Appended", state=b"{}")])
        except BaseException as exc:  # each writer's outcome is the assertion
            failures.append(exc)

    # Another connection's write transaction: the read models' fold, or another process.
    path = make_url(sqlite_settings.database_url).database or ""
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        writers = [threading.Thread(target=append, args=(s,)) for s in streams]
        for writer in writers:
            writer.start()
        time.sleep(HELD_SECONDS)
        other.execute("COMMIT")
    for writer in writers:
        writer.join(timeout=60)

    assert failures == []
    assert [len(recorder.select_events(stream)) for stream in streams] == [1] * WRITERS
