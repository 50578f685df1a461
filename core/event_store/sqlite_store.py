"""The embedded event store: the library's SQLite store, its writers given as long to get their
turn as SQLite gives a write to get the file's lock (`SQLITE_LOCK_TIMEOUT`).

SQLite takes one writer at a time, and the library's pool queues this process's writers behind
one another, each for at most its pool timeout (five seconds by default, not configurable by
environment). The writer at the head may wait up to the lock timeout for another connection's
write (the read models' fold, another process): under load, the writers queued behind it were
refused after five seconds, and a caller got 503 STORE_UNAVAILABLE from a store that was only
busy. `EmbeddedFactory` (named by `PERSISTENCE_MODULE`) makes the pool wait as long as the lock.
"""

from eventsourcing.sqlite import SQLiteDatastore, SQLiteFactory
from eventsourcing.utils import Environment, EnvType


class EmbeddedFactory(SQLiteFactory):
    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        made = self.datastore  # as the library reads the environment; no connection opened yet
        self.datastore = SQLiteDatastore(
            db_name=made.pool.db_name, lock_timeout=made.pool.lock_timeout,
            pool_timeout=float(made.pool.lock_timeout or made.pool.pool_timeout),
            single_row_tracking=made.single_row_tracking,
            originator_id_type=made.originator_id_type)
