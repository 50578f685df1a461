"""The mail sender's transaction a message (the last attempt recorded, the next message claimed)
on PostgreSQL, three ways, alternated in one process on one database: CPU of this process per
message (PostgreSQL's own not counted).

    python -m bench.mail_claims [--rounds 3] [--messages 400]

- `session a message`: a session from the pool for each message, the Core statements in it
  (the sender before it held a connection for its batch);
- `held, Core`: the Core statements on one connection held for the batch (`CoreClaims`, what
  SQLite runs);
- `held, prepared`: psycopg's prepared statements on that connection (`PreparedClaims`, what
  PostgreSQL runs).
"""

import argparse
import json
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bench.db import bench_database, migrated_ledger


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--messages", type=int, default=400)
    args = p.parse_args()
    with bench_database("bench_mail_claims") as url, migrated_ledger(url):
        run(args.rounds, args.messages)


def run(rounds: int, count: int) -> None:
    from sqlalchemy import insert  # noqa: PLC0415 - after the database is set

    from core.db import get_engine, session_scope  # noqa: PLC0415
    from workers.mail.claims import CLAIM, RECORD, CoreClaims, PreparedClaims  # noqa: PLC0415
    from workers.mail.tables import CONFIRMATION, QUEUED, SENT, messages  # noqa: PLC0415

    def queued(n: int) -> list[uuid.UUID]:
        now = datetime.now(UTC)
        rows: list[dict[str, Any]] = [
                {"id": uuid.uuid4(), "kind": CONFIRMATION, "subject_id": uuid.uuid4(),
                 "event_id": uuid.uuid4(), "booking_id": uuid.uuid4(),
                 "recipient_id": uuid.uuid4(), "recipient_email": "ann@example.com",
                 "recipient_name": "Ann", "resend": 0, "requested_by": None, "position": 1,
                 "data": json.dumps({"tickets": []}), "status": QUEUED, "attempts": 0,
                 "takeovers": 0, "next_attempt_at": now, "sending_since": None,
                 "last_error": None, "sent_at": None, "created_at": now} for _ in range(n)]
        with session_scope() as session:
            session.execute(insert(messages), rows)
        return [row["id"] for row in rows]

    def record_of(row: Any, now: datetime) -> dict[str, object] | None:
        return None if row is None else {
            "recorded": row.id, "attempts_then": row.attempts, "new_status": SENT,
            "error": None, "sent": now, "next_at": None, "new_takeovers": 0}

    def session_a_message(ids: list[uuid.UUID]) -> None:
        row = None
        for message_id in [*ids, None]:
            now = datetime.now(UTC)
            with session_scope() as session:
                if (record := record_of(row, now)) is not None:
                    session.execute(RECORD, record)
                row = None if message_id is None else session.execute(
                    CLAIM, {"claimed": message_id, "now": now}).one_or_none()

    def held(make: Callable[[Any], Any]) -> Callable[[list[uuid.UUID]], None]:
        def send(ids: list[uuid.UUID]) -> None:
            with get_engine().connect() as connection:
                claims, row = make(connection), None
                for message_id in [*ids, None]:
                    now = datetime.now(UTC)
                    row = claims.record_then_claim(record_of(row, now), message_id, now)
        return send

    ways = {"session a message": session_a_message, "held, Core": held(CoreClaims),
            "held, prepared": held(PreparedClaims)}
    for send in ways.values():
        send(queued(50))  # warm: the pool, the statements' caches, the prepared statements
    cpu: dict[str, list[float]] = {name: [] for name in ways}
    for round_number in range(1, rounds + 1):
        for name, send in ways.items():
            ids = queued(count)
            started = time.process_time()
            send(ids)
            cpu[name].append((time.process_time() - started) / count * 1000)
        print(f"round {round_number}: " + ", ".join(
            f"{name} {cpu[name][-1]:.3f}" for name in ways) + " ms a message", flush=True)
    print("\n| way | CPU per message, ms (median) | rounds |\n|---|---:|---|")
    for name, values in cpu.items():
        print(f"| {name} | {statistics.median(values):.3f} | "
              + ", ".join(f"{v:.3f}" for v in values) + " |")


if __name__ == "__main__":
    main()
