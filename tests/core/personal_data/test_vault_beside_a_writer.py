"""On SQLite a read model's fold holds the write lock while it opens the names it folds: the
persons' keys are then read on another connection of the same process, and must not wait for
that lock (a write transaction there would, until the lock's timeout: "database is locked")."""

import time
from datetime import UTC, datetime

from sqlalchemy import text

from core.db import get_engine
from core.personal import ERASED
from core.personal_data.vault import PersonalData, personal_data
from core.settings import Settings

PATIENCE = 1.0  # seconds: the lock's timeout is several times this


def test_keys_are_read_while_this_process_holds_the_write_lock(
        sqlite_settings: Settings) -> None:
    sealer = personal_data()
    kept = sealer.seal("p-kept", "Ann Kept")
    gone = sealer.seal("p-gone", "Bob Gone")
    sealer.erase("p-gone", datetime.now(UTC))
    vault = PersonalData(sealer.keyring, sealer.engine)  # a process that never read a key

    with get_engine().begin() as writer:  # BEGIN IMMEDIATE: the write lock, as a fold holds it
        writer.execute(text("SELECT 1"))
        began = time.monotonic()
        opened = (vault.open(kept), vault.open(gone), vault.has_key("p-kept"))
        waited = time.monotonic() - began

    assert opened == ("Ann Kept", ERASED, True)
    assert waited < PATIENCE
